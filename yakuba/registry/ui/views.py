"""住民記録 staff screens: 住民検索, 個人照会 (現在・異動履歴), 世帯照会, 異動入力, 支援措置.

Every screen runs in ``@staff_view`` (second factor, role check, audit actor, tenant context)
and goes through ``yakuba.registry.services`` only, the same door the API uses, so a rule is
enforced once. Every read of personal data is written to the audit log (住民記録システム標準仕様書
§10.2 操作ログ); restricted items follow the role matrix (§10.3); persons under 支援措置 exist
only for the roles that handle the measure (§3.4).
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yakuba.address import services as address_services
from yakuba.platform.audit.log import Action, audited, note, record
from yakuba.platform.identity.roles import can_see
from yakuba.platform.japanese.kana import is_katakana_name, to_katakana_fullwidth
from yakuba.platform.ui.staff import forbidden, staff_view
from yakuba.registry import services
from yakuba.registry.access import DOMICILE, JUMINHYO_CODE
from yakuba.registry.codes import MoveKind, ResidentType, Status
from yakuba.registry.rules import registered_age
from yakuba.registry.ui import display
from yakuba.registry.ui.access import (
    PROTECTION_ROLES,
    READ_ROLES,
    WRITE_ROLES,
    may_reveal_my_number,
    may_write,
    visibility,
)

SEARCH_FIELDS = ("name_kana", "name", "birth_date", "address", "atena_no", "head", "former", "alias")
# Boxes that take a written name or its reading (one box each keeps the form short): the
# service's criterion for each (written, reading).
EITHER_FIELDS = {
    "head": ("head_name", "head_name_kana"),
    "former": ("former_surname", "former_surname_kana"),
    "alias": ("alias", "alias_kana"),
}
# Criteria folded under 「詳しい条件」: opened when one of them is used.
MORE_FIELDS = ("head", "former", "alias", "atena_no")
HIDDEN_HEAD = "（表示できません）"
MY_NUMBER_PURPOSES = (
    ("identity", "本人確認（届出・申請の受付）"),
    ("certificate", "住民票の写し等の交付（個人番号の記載の請求）"),
    ("tax", "税務事務"),
    ("welfare", "福祉・社会保障事務"),
    ("linkage", "情報連携の照会・確認"),
)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def not_found(request, message: str = "指定された住民は見つかりません。宛名番号を確認してください。"):
    return forbidden(request, message, title="見つかりません", status=404)


# -- 住民検索 (§2 検索・照会) ---------------------------------------------------------------


@audited(Action.SEARCH, "resident")
def _run_search(query: services.SearchQuery, vis: services.Visibility, criteria: dict):
    hits = services.search_hits(query, visibility=vis)
    persons = [h.record.atena_no for h in hits]
    heads = {h.head_atena_no for h in hits if h.head_atena_no} - set(persons)  # names shown too
    note(subjects=[*persons, *sorted(heads)], criteria=criteria)
    return hits


def search_criteria(params: dict) -> dict:
    """The service's criteria from the form: a box of ``EITHER_FIELDS`` holds a reading when
    it is kana only (katakana, hiragana or half-width, as clerks type it), else a name."""
    criteria = {k: v for k, v in params.items() if k not in EITHER_FIELDS and v}
    for box, (written, reading) in EITHER_FIELDS.items():
        if text := params.get(box):
            criteria[reading if is_katakana_name(to_katakana_fullwidth(text)) else written] = text
    return criteria


def _result_row(hit: services.SearchHit, today) -> dict:
    """A result line: the summary with 年齢 (on today, as the register counts it; none for a
    除票 or an unknown birth date), 続柄 and the 世帯主 — 「（表示できません）」 for a 世帯主
    under 支援措置 the clerk may not see (§3.4)."""
    record = hit.record
    row = display.summary(record)
    alive = record.birth_date and record.status != Status.REMOVED
    row["age"] = registered_age(record.birth_date, today) if alive else None
    row["head_name"] = HIDDEN_HEAD if hit.head_name is None else hit.head_name
    row["head_hidden"] = hit.head_name is None
    row["short_address"] = _town_address(record)
    return row


def _town_address(record) -> str:
    """The address from the 町字 on (with 方書): the municipality goes without saying on its
    own screen, and the result table keeps one line a person."""
    tail = f"{record.town_area}{record.block}"
    text = tail if record.town_area and record.address.endswith(tail) else record.address
    return f"{text}　{record.address_extra}" if record.address_extra else text


@staff_view(roles=READ_ROLES)
def search(request):
    """住民検索: kana prefix (half-width and hiragana folded), name, 和暦 birth date, address,
    世帯主, 旧氏, 通称, 宛名番号; each result with 年齢, 続柄 and 世帯主.

    The same URL serves the full page (no JavaScript) and, for htmx, only the result table;
    the search is audited with every person it returned (and the 世帯主 it named). 除票 are
    included only on request.
    """
    params = {k: request.GET.get(k, "").strip()[:100] for k in SEARCH_FIELDS}
    include_removed = request.GET.get("include_removed") == "1"
    submitted = any(k in request.GET for k in SEARCH_FIELDS)
    errors: dict[str, str] = {}
    hits = None
    if submitted and (any(params.values()) or not _is_htmx(request)):
        criteria = search_criteria(params)
        query = services.SearchQuery(**criteria, include_removed=include_removed)
        if include_removed:
            criteria["include_removed"] = True
        try:
            hits = _run_search(query, visibility(request.roles), criteria)
        except services.RuleViolation as exc:
            for field, message in exc.errors:
                errors.setdefault(field, message)
    today = timezone.localdate()
    context = {
        "params": params,
        "include_removed": include_removed,
        "more_open": include_removed or any(params[k] for k in MORE_FIELDS),
        "errors": errors,
        "results": [_result_row(h, today) for h in hits or []],
        "searched": hits is not None,
        "limit_hit": hits is not None and len(hits) >= services.SearchQuery.limit,
        "can_write": may_write(request.roles),
    }
    if _is_htmx(request):
        return render(request, "registry/_search_results.html", context)
    status = 422 if errors else 200
    return render(request, "registry/search.html", context, status=status)


# -- 個人照会 -------------------------------------------------------------------------------


def _restricted(roles) -> dict:
    return {
        "my_number": may_reveal_my_number(roles),
        "juminhyo_code": can_see(roles, JUMINHYO_CODE),
        "domicile": can_see(roles, DOMICILE),
    }


def _resident_context(request, row, *, tab: str, my_number: str | None = None) -> dict:
    foreign = row.resident_type == ResidentType.FOREIGN
    allowed = _restricted(request.roles)
    basic = [
        ("宛名番号", row.atena_no),
        ("住民種別", display.resident_type(row.resident_type)),
        ("住民状態", display.status(row.status)),
        ("氏名", row.name),
        ("氏名フリガナ", row.name_kana),
    ]
    if row.former_surname:
        basic += [("旧氏", row.former_surname), ("旧氏フリガナ", row.former_surname_kana)]
    if row.alias:
        basic += [("通称", row.alias), ("通称フリガナ", row.alias_kana)]
    basic += [
        ("生年月日", display.birth(row)),
        ("性別", display.sex(row.sex)),
        ("続柄", row.relationship),
    ]
    address = [
        ("郵便番号", f"〒{row.postal_code[:3]}-{row.postal_code[3:]}" if row.postal_code else ""),
        ("住所", row.address),
        ("方書", row.address_extra),
        ("住民となった年月日", display.wareki(row.became_resident_on)),
        ("住所を定めた年月日", display.wareki(row.address_set_on)),
        ("届出年月日", display.wareki(row.notified_on)),
        ("転入前住所", row.previous_address),
    ]
    foreign_items = []
    if foreign:
        foreign_items = [
            ("国籍・地域", row.nationality),
            ("在留資格", row.residence_status),
            ("在留期間等の満了の日", display.residence_expiry(row)),
            ("在留カード等の番号", row.residence_card_no),
        ]
    removal = []
    if row.status != Status.RESIDENT:
        removal = [
            ("転出予定日", display.wareki(row.planned_move_out_on)),
            ("転出先住所", row.destination_address),
            ("消除事由", display.removal(row.removal_reason)),
            ("消除年月日", display.wareki(row.removed_on)),
        ]
    last_move = [
        ("履歴番号", str(row.history_no)),
        ("最後の異動", display.move_kind(row.move_kind)),
        ("異動日", display.wareki(row.move_date)),
        ("処理日時", display.processed(row.processed_at)),
    ]
    return {
        "row": row,
        "tab": tab,
        "status_label": display.status(row.status),
        "foreign": foreign,
        "basic": basic,
        "address": address,
        "foreign_items": foreign_items,
        "removal": removal,
        "last_move": last_move,
        "allowed": allowed,
        "juminhyo_code": row.juminhyo_code,
        "domicile": row.domicile,
        "domicile_head": row.domicile_head,
        "has_my_number": row.has_my_number,
        "my_number": my_number,
        "purposes": MY_NUMBER_PURPOSES,
        "protected": row.protected,
        "can_write": may_write(request.roles),
        "can_protect": bool(PROTECTION_ROLES & set(request.roles)),
        "active": "registry-search",
    }


@audited(Action.READ, "resident", subject="atena_no")
def _read_resident(atena_no: str, vis: services.Visibility):
    row = services.get_resident(atena_no, visibility=vis)
    if row.protected:
        note(protected_override=True)
    return row


@staff_view(roles=READ_ROLES)
def resident(request, atena_no: str):
    """個人照会（現在）: every 住民票 item, restricted items per role (§10.3).

    個人番号 is never on the page by default, even for roles that may see it: it is revealed
    only by an explicit action that records its purpose (see ``reveal_my_number``).
    """
    try:
        row = _read_resident(atena_no, visibility(request.roles))
    except services.NotFound:
        return not_found(request)
    return render(request, "registry/resident.html", _resident_context(request, row, tab="current"))


@staff_view(roles=READ_ROLES)
@require_http_methods(["POST"])
def reveal_my_number(request, atena_no: str):
    """Show 個人番号 once, on an explicit request with its purpose; audited with my_number_shown.

    番号法 limits 個人番号 to the マイナンバー利用事務: the purpose chosen is kept in the audit
    row so that every disclosure can be justified later.
    """
    if not may_reveal_my_number(request.roles):
        return forbidden(request, "個人番号を表示する権限がありません。")
    purposes = dict(MY_NUMBER_PURPOSES)
    purpose = request.POST.get("purpose", "")
    try:
        row = services.get_resident(atena_no, visibility=visibility(request.roles, my_number=True))
    except services.NotFound:
        return not_found(request)
    context = _resident_context(request, row, tab="current")
    if purpose not in purposes:
        context["purpose_error"] = "利用目的を選んでください"
        template = "registry/_my_number.html" if _is_htmx(request) else "registry/resident.html"
        return render(request, template, context, status=422)
    number = row.my_number or ""
    record(
        Action.READ,
        "resident_my_number",
        subjects=[atena_no],
        purpose=purposes[purpose],
        my_number_shown=bool(number),
    )
    context["my_number"] = f"{number[:4]} {number[4:8]} {number[8:]}" if number else "（記載なし）"
    template = "registry/_my_number.html" if _is_htmx(request) else "registry/resident.html"
    return render(request, template, context)


# -- 世帯照会 -------------------------------------------------------------------------------


@audited(Action.READ, "household", subject="setai_no")
def read_household(setai_no: str, vis: services.Visibility):
    household = services.household(setai_no, visibility=vis)
    note(subjects=[m.atena_no for m in household.members])
    return household, list(household.members)


@staff_view(roles=READ_ROLES)
def household(request, setai_no: str):
    """世帯照会: address, 世帯主 and members in the standard order (§5.2) with 続柄.

    The 異動 form opened from it carries the household's version (a hidden input, never shown:
    it means nothing to a clerk), so an edit based on a stale view is refused (409) instead of
    overwriting another clerk's work.
    """
    try:
        household, members = read_household(setai_no, visibility(request.roles))
    except services.NotFound:
        return not_found(request, "指定された世帯は見つかりません。世帯番号を確認してください。")
    rows = [display.summary(m) for m in members]
    head = next((r for r in rows if r["atena_no"] == household.head_atena_no), None)
    actions = [
        (MoveKind.MOVE_WITHIN, "転居"),
        (MoveKind.MOVE_OUT, "転出"),
        (MoveKind.DEATH, "死亡"),
        (MoveKind.HOUSEHOLD_SPLIT, "世帯分離"),
    ]
    return render(
        request,
        "registry/household.html",
        {
            "household": household,
            "members": rows,
            "head": head,
            "address": f"{household.address}　{household.address_extra}"
            if household.address_extra
            else household.address,
            "can_write": may_write(request.roles),
            "actions": [(k.value, label) for k, label in actions],
            "active": "registry-search",
        },
    )


# -- 住所辞書 on the 異動 forms (through the address door only) -------------------------------

TOWN_CHOICES = 500  # the <datalist> of a 町字 input; a larger master is filtered as the clerk types


def town_choices_page(q: str = "") -> tuple[list, bool]:
    """(町字 of the 住所辞書 in force, matching ``q``; whether there are more than shown)."""
    page = address_services.town_areas(q=q, limit=TOWN_CHOICES)
    return page.town_areas, page.next is not None


@staff_view(roles=WRITE_ROLES)
def town_choices(request):
    """The <option>s of the 町字 <datalist> for what the clerk typed (htmx, a master too large
    to send whole): the clerk chooses a 町字 of the master rather than typing one that fails
    the 住所辞書 check on submit."""
    names, _more = town_choices_page(request.GET.get("household.address.town_area", "")[:60])
    return render(request, "registry/_town_options.html", {"town_choices": names})


def postal_towns(code: str, target: str) -> dict:
    """The 町字 a postal code stands for in the 住所辞書, for the slot under the 町字 input
    ``target`` (an id). ``code`` is left empty (nothing said) without a master."""
    if not code or not address_services.is_loaded():
        return {"target": target, "code": "", "names": []}
    return {"target": target, "code": code, "names": [t.name for t in address_services.by_postal_code(code)]}
