"""住民記録 staff screens: 住民検索, 個人照会 (現在・異動履歴), 世帯照会, 異動入力, 支援措置.

Every screen runs in ``@staff_view`` (second factor, role check, audit actor, tenant context)
and goes through ``yakuba.registry.services`` only, the same door the API uses, so a rule is
enforced once. Every read of personal data is written to the audit log (住民記録システム標準仕様書
§10.2 操作ログ); restricted items follow the role matrix (§10.3); persons under 支援措置 exist
only for the roles that handle the measure (§3.4).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yakuba.platform.audit.log import Action, audited, note, record
from yakuba.platform.identity.roles import can_see
from yakuba.platform.japanese.wareki import WarekiError
from yakuba.platform.tenancy.context import require_tenant
from yakuba.platform.ui.staff import forbidden, staff_view
from yakuba.registry import services
from yakuba.registry.access import DOMICILE, JUMINHYO_CODE
from yakuba.registry.codes import MoveKind, ProtectionKind, ResidentType, Status
from yakuba.registry.services import current_measure
from yakuba.registry.ui import display
from yakuba.registry.ui.access import (
    PROTECTION_ROLES,
    READ_ROLES,
    WRITE_ROLES,
    may_reveal_my_number,
    may_write,
    visibility,
)
from yakuba.registry.ui.forms import FAMILY, MAX_PERSONS, NEEDS_HOUSEHOLD, MoveForm, parse_date_text

SEARCH_FIELDS = ("name_kana", "name", "birth_date", "address", "atena_no")
SESSION_RESULTS = "registry_move_results"
MY_NUMBER_PURPOSES = (
    ("identity", "本人確認（届出・申請の受付）"),
    ("certificate", "住民票の写し等の交付（個人番号の記載の請求）"),
    ("tax", "税務事務"),
    ("welfare", "福祉・社会保障事務"),
    ("linkage", "情報連携の照会・確認"),
)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def _not_found(request, message: str = "指定された住民は見つかりません。宛名番号を確認してください。"):
    return forbidden(request, message, title="見つかりません", status=404)


# -- 住民検索 (§2 検索・照会) ---------------------------------------------------------------


@audited(Action.SEARCH, "resident")
def _run_search(query: services.SearchQuery, vis: services.Visibility, criteria: dict):
    rows = services.search(query, visibility=vis)
    note(subjects=[r.atena_no for r in rows], criteria=criteria)
    return rows


@staff_view(roles=READ_ROLES)
def search(request):
    """住民検索: kana prefix (half-width and hiragana folded), name, 和暦 birth date, address, 宛名番号.

    The same URL serves the full page (no JavaScript) and, for htmx, only the result table;
    the search is audited with every person it returned. 除票 are included only on request.
    """
    params = {k: request.GET.get(k, "").strip()[:100] for k in SEARCH_FIELDS}
    include_removed = request.GET.get("include_removed") == "1"
    submitted = any(k in request.GET for k in SEARCH_FIELDS)
    errors: dict[str, str] = {}
    rows = None
    if submitted and (any(params.values()) or not _is_htmx(request)):
        query = services.SearchQuery(**params, include_removed=include_removed)
        criteria = {k: v for k, v in params.items() if v}
        if include_removed:
            criteria["include_removed"] = True
        try:
            rows = _run_search(query, visibility(request.roles), criteria)
        except services.RuleViolation as exc:
            for field, message in exc.errors:
                errors.setdefault(field, message)
    results = [display.summary(r) for r in rows or []]
    context = {
        "params": params,
        "include_removed": include_removed,
        "errors": errors,
        "results": results,
        "searched": rows is not None,
        "limit_hit": rows is not None and len(rows) >= services.SearchQuery.limit,
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
        return _not_found(request)
    return render(request, "registry/resident.html", _resident_context(request, row, tab="current"))


@audited(Action.READ, "resident_history", subject="atena_no")
def _read_history(atena_no: str, vis: services.Visibility):
    rows = services.history(atena_no, visibility=vis)
    return rows


@staff_view(roles=READ_ROLES)
def resident_history(request, atena_no: str):
    """個人照会（異動履歴）: every history row, newest first (§1.2.1: rows are never rewritten)."""
    vis = visibility(request.roles)
    try:
        row = services.get_resident(atena_no, visibility=vis)
        history = _read_history(atena_no, vis)
    except services.NotFound:
        return _not_found(request)
    context = _resident_context(request, row, tab="history")
    context["history"] = [
        {
            "history_no": h.history_no,
            "kind": display.move_kind(h.move_kind),
            "move_date": display.wareki(h.move_date),
            "processed": display.processed(h.processed_at),
            "address": display.full_address(h),
            "setai_no": h.setai_no,
            "relationship": h.relationship,
            "status": display.status(h.status),
            "current": h.history_no == row.history_no,
        }
        for h in reversed(history)
    ]
    return render(request, "registry/resident.html", context)


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
        return _not_found(request)
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
def _read_household(setai_no: str, vis: services.Visibility):
    household = services.household(setai_no, visibility=vis)
    note(subjects=[m.atena_no for m in household.members])
    return household, list(household.members)


@staff_view(roles=READ_ROLES)
def household(request, setai_no: str):
    """世帯照会: address, 世帯主 and members in the standard order (§5.2) with 続柄.

    The page carries the household's version into every 異動 started from it, so an edit
    based on a stale view is refused (409) instead of overwriting another clerk's work.
    """
    try:
        household, members = _read_household(setai_no, visibility(request.roles))
    except services.NotFound:
        return _not_found(request, "指定された世帯は見つかりません。世帯番号を確認してください。")
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


# -- 異動入力 (§4) --------------------------------------------------------------------------


def dry_run(request_dict: dict, vis: services.Visibility) -> list[tuple[str, str]]:
    """The messages the clerk would get for this 異動, without locking or writing anything."""
    try:
        return services.check_move(request_dict, visibility=vis)
    except services.NotFound:
        return []


def _source_household(request, data) -> tuple[object | None, list, list[str]]:
    """The 世帯 a 異動 starts from: ?setai_no= (世帯照会), ?atena= (個人照会) or the hidden field."""
    setai_no = (data.get("source_setai_no") or request.GET.get("setai_no") or "").strip()
    preselect = [a for a in request.GET.getlist("atena") if a.isdigit()]
    vis = visibility(request.roles)
    if not setai_no and preselect:
        try:
            setai_no = services.get_resident(preselect[0], visibility=vis).setai_no
        except services.NotFound:
            setai_no = ""
    if not setai_no or not setai_no.isdigit():
        return None, [], preselect
    try:
        household, members = _read_household(setai_no, vis)
    except services.NotFound:
        return None, [], preselect
    return household, members, preselect


def _move_context(request, form: MoveForm, *, source_version=None) -> dict:
    return {
        "form": form,
        "kind": form.kind,
        "source_version": source_version or (form.household.version if form.household else ""),
        "max_persons": MAX_PERSONS,
        "next_row": form.person_rows,
        "active": "registry-move",
    }


@staff_view(roles=WRITE_ROLES)
def move_menu(request):
    """異動入力: the kinds of 異動 (§1.2.2), grouped as the counter thinks of them."""
    groups = [
        ("記載", [MoveKind.MOVE_IN, MoveKind.BIRTH, MoveKind.EX_OFFICIO_RECORD]),
        (
            "住所・世帯",
            [
                MoveKind.MOVE_WITHIN,
                MoveKind.HEAD_CHANGE,
                MoveKind.HOUSEHOLD_SPLIT,
                MoveKind.HOUSEHOLD_MERGE,
                MoveKind.HOUSEHOLD_CHANGE,
            ],
        ),
        ("消除", [MoveKind.MOVE_OUT, MoveKind.DEATH, MoveKind.EX_OFFICIO_REMOVE]),
        (
            "修正・取消し",
            [
                MoveKind.CORRECTION,
                MoveKind.EX_OFFICIO_MODIFY,
                MoveKind.FORMER_SURNAME,
                MoveKind.ALIAS,
                MoveKind.CANCEL,
            ],
        ),
    ]
    return render(
        request,
        "registry/move_menu.html",
        {
            "groups": [
                (title, [(k.value, k.label, FAMILY[k] in NEEDS_HOUSEHOLD) for k in kinds])
                for title, kinds in groups
            ],
            "active": "registry-move",
        },
    )


def _conflict(request, message: str, household=None):
    return render(
        request,
        "registry/conflict.html",
        {"message": message, "household": household, "active": "registry-move"},
        status=409,
    )


@staff_view(roles=WRITE_ROLES)
def move(request, kind: str):
    """異動入力 for one kind: the form, and on submit ``apply_move`` in this staff's tenant.

    Broken rules come back all at once, each next to its input and in a summary at the top;
    a stale 世帯 version or a concurrent edit answers 409 with 「他の職員が…」.
    """
    if kind not in MoveKind.values:
        raise Http404
    data = request.POST if request.method == "POST" else None
    household, members, preselect = _source_household(request, data or {})
    if request.method == "GET" and request.GET.get("person_rows"):
        data = {"person_rows": request.GET["person_rows"]}
    form = MoveForm(
        kind,
        data,
        household=household,
        members=members,
        preselect=preselect,
        today=timezone.localdate(),
    )
    if request.method == "GET" or form.needs_household:
        return render(request, "registry/move_form.html", _move_context(request, form))
    if request.method != "POST":
        return HttpResponse(status=405)
    seen = request.POST.get("source_version", "")
    if household is not None and seen.isdigit() and int(seen) != household.version:
        return _conflict(
            request,
            "他の職員が先にこの世帯を更新しました。世帯照会を開き直して内容を確認してください。",
            household,
        )
    req, input_errors = form.to_request()
    if input_errors:
        typed = {f for f, _m in input_errors}
        trial = dict(req)
        if "move_date" in typed:
            # Stand in a valid date so the trial reaches the rules after the date checks.
            trial["move_date"] = timezone.localdate().isoformat()
        more = [
            (f, m) for f, m in dry_run(trial, visibility(request.roles)) if form.form_name(f) not in typed
        ]
        form.set_errors(input_errors + more)
        return render(request, "registry/move_form.html", _move_context(request, form), status=422)
    try:
        with transaction.atomic(using=require_tenant().alias):
            result = services.apply_move(req, visibility=visibility(request.roles))
    except services.RuleViolation as exc:
        form.set_errors(exc.errors)
        return render(request, "registry/move_form.html", _move_context(request, form), status=422)
    except services.Conflict as exc:
        return _conflict(request, str(exc), household)
    except services.NotFound:
        return _not_found(request)
    results = request.session.get(SESSION_RESULTS, {})
    # Keep only the last few results: the page is for the clerk who just filed the 異動.
    results = dict(list(results.items())[-9:])
    results[str(result.move_id)] = {
        "kind": result.kind,
        "setai_no": result.setai_no or (household.setai_no if household else None),
        "persons": [list(p) for p in result.persons],
        "warnings": result.warnings,
    }
    request.session[SESSION_RESULTS] = results
    return redirect("registry:move-done", move_id=result.move_id)


@staff_view(roles=WRITE_ROLES)
def move_done(request, move_id: uuid.UUID):
    """The result of a 異動 (after a redirect, so a reload does not file it twice)."""
    result = request.session.get(SESSION_RESULTS, {}).get(str(move_id))
    if result is None:
        # The session copy can be lost to a concurrent request (an htmx check still in flight
        # saves the session it read earlier): the 異動 itself is in the database.
        try:
            result = services.move_summary(move_id)
        except services.NotFound:
            raise Http404 from None
    return render(
        request,
        "registry/move_done.html",
        {
            "move_id": move_id,
            "kind_label": display.move_kind(result["kind"]),
            "setai_no": result["setai_no"],
            "persons": result["persons"],
            "warnings": result["warnings"],
            "active": "registry-move",
        },
    )


@staff_view(roles=WRITE_ROLES)
@require_http_methods(["POST"])
def move_validate(request, kind: str):
    """Immediate check of one input (htmx, on change): the same validators and rules as submit.

    First the rules that need only this input; if it passes, the whole form is checked against
    every 異動 rule (``check_move``: no lock, no number, no write) and the messages about this
    input are shown next to it.
    """
    if kind not in MoveKind.values:
        raise Http404
    household, members, _pre = _source_household(request, request.POST)
    form = MoveForm(kind, request.POST, household=household, members=members, today=timezone.localdate())
    name = request.headers.get("HX-Trigger-Name") or request.POST.get("_field", "")
    f = form.fields.get(name)
    if f is None:
        return HttpResponse(status=204)
    errors = form.check_field(name)
    # Without its 世帯 (a stale or forged page) a household 異動 cannot be checked as a whole;
    # submitting it shows the 世帯 choice again.
    if not errors and f.value and not form.needs_household:
        req, _input_errors = form.to_request()
        errors = [m for fld, m in dry_run(req, visibility(request.roles)) if form.form_name(fld) == name]
    f.errors = errors
    return render(request, "registry/_field_feedback.html", {"f": f})


@staff_view(roles=WRITE_ROLES)
def person_row(request, kind: str):
    """One more person row for 転入 (htmx ``beforeend``), up to six persons."""
    if kind not in MoveKind.values or FAMILY[kind] != "record":
        raise Http404
    try:
        index = int(request.GET.get("person_rows", "1"))
    except ValueError:
        index = 1
    if index >= MAX_PERSONS:
        return HttpResponse(status=204)
    form = MoveForm(kind, None, today=timezone.localdate())
    row = form.person_row(index, autofocus=True)
    return render(
        request,
        "registry/_person_row.html",
        {
            "row": row,
            "kind": kind,
            "next_row": index + 1,
            "max_persons": MAX_PERSONS,
            "oob": True,
            "validate_url": reverse("registry:move-validate", args=[kind]),
        },
    )


# -- 支援措置 (§3.4) ------------------------------------------------------------------------


@audited(Action.READ, "protection", subject="atena_no")
def _read_protection(atena_no: str):
    return current_measure(atena_no)


def _set_protection(atena_no: str, values: dict) -> None:
    try:
        starts = parse_date_text(values["starts_on"]) if values["starts_on"] else None
    except (WarekiError, ValueError) as exc:
        raise services.RuleViolation([("starts_on", str(exc))]) from None
    if starts is None:
        raise services.RuleViolation([("starts_on", "開始日を入力してください")])
    covered = [c for c in values["covered"].replace("、", ",").replace(" ", ",").split(",") if c]
    bad = [c for c in covered if not c.isdigit() or len(c) > 15]
    if bad:
        raise services.RuleViolation([("covered", f"宛名番号ではありません: {'、'.join(bad)}")])
    services.set_measure(
        atena_no,
        starts_on=starts,
        kind=values["kind"],
        provisional=values["provisional"] == "1",
        covered=covered,
        summary=values["reason"],
    )


# The service's field names → the screen's inputs.
_PROTECTION_FIELDS = {"start_date": "starts_on", "summary": "reason"}


@staff_view(roles=PROTECTION_ROLES)
def protection(request, atena_no: str):
    """支援措置: show the current measure; set (支援措置/仮支援措置, with the family members
    covered), extend, end.

    Only the counter and administrators handle measures. Each change is recorded in the audit
    log by the service; reading the page is recorded here.
    """
    try:
        row = services.get_resident(atena_no, visibility=visibility(request.roles))
    except services.NotFound:
        return _not_found(request)
    errors: dict[str, str] = {}
    values = {"kind": ProtectionKind.DV, "provisional": "", "starts_on": "", "covered": "", "reason": ""}
    status = 200
    measure = current_measure(atena_no)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            with transaction.atomic(using=require_tenant().alias):
                if action == "set":
                    values = {k: request.POST.get(k, "").strip() for k in values}
                    _set_protection(atena_no, values)
                    message = "支援措置を設定しました。"
                elif action in ("extend", "end") and measure is not None:
                    if action == "extend":
                        services.extend_measure(measure.protection_id, atena_no=atena_no)
                        message = "支援措置を1年延長しました。"
                    else:
                        services.end_measure(measure.protection_id, atena_no=atena_no)
                        message = "支援措置を終了しました。"
                else:
                    raise services.RuleViolation([("action", "操作を選んでください")])
        except services.RuleViolation as exc:
            for field, msg in exc.errors:
                key = "covered" if field.startswith("covered") else _PROTECTION_FIELDS.get(field, field)
                errors.setdefault(key if key in values else "form", msg)
            status = 422
        except services.NotFound as exc:
            errors["form"] = str(exc)
            status = 422
        else:
            from django.contrib import messages

            messages.success(request, message)
            return redirect("registry:protection", atena_no=atena_no)
    measure = _read_protection(atena_no)
    return render(
        request,
        "registry/protection.html",
        {
            "row": row,
            "measure": measure,
            "starts": display.wareki(measure.start_date) if measure else "",
            "ends": display.wareki(measure.end_date) if measure else "",
            "errors": errors,
            "values": values,
            "kinds": ProtectionKind.choices,
            "today": display.wareki(date.today()),
            "active": "registry-search",
        },
        status=status,
    )
