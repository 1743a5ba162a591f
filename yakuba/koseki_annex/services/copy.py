"""The 戸籍の附票の写し as a certificate (住民基本台帳法 第20条; registry-facts §17.3), issued by the
certificates machinery (``yakuba.certificates.services.issue_document``: the number, the QR code,
the signature, the 交付履歴 and the print audit, in the caller's transaction).

- **Who asked** (``rules/requests.check_request``): a person on the 附票 (the clerk's 「本人」: the
  requester's 宛名番号 here or, for one living in another town, their 住民票コード — the
  requester's ``person_id`` — must be one of its persons), their 配偶者 or a 直系尊属・卑属, a 代理人
  with a 委任状, a 第三者 / 職務上請求 / 公用 with their 請求事由; never by 広域交付. The
  同一世帯 of the 住民票 (住基法12条) is no ground here: the 附票 is the 戸籍's.
- **What it shows** (``rules/items.copy_items``): 氏名, 住所 and 住所を定めた年月日 (the 国外転出者
  entry with its 転出予定年月日) and, when held, 生年月日・性別; 本籍・筆頭者, the 在外選挙人 notes
  and the 住民票コード only when asked (長野市
  https://www.city.nagano.nagano.jp/n085500/contents/p006205.html : 「以下の表示については、原則
  省略したものを交付します」).
- **支援措置**: a person under a measure of this town's registry is checked by the machinery (the
  persons' 宛名番号 are its subjects); a person another 住所地 marked on its notice has no 宛名番号
  here, so the copy is refused for them here the same way — unless it is their own request (本人
  by 住民票コード) or a clerk who may see protected persons records why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from yakuba.certificates import services as certificates
from yakuba.koseki_annex.codes import ElectorChange
from yakuba.koseki_annex.models import Annex, Entry
from yakuba.koseki_annex.rules.domicile import koseki_key
from yakuba.koseki_annex.rules.items import Item
from yakuba.koseki_annex.rules.requests import Requester, check_request
from yakuba.koseki_annex.services.annex import AnnexRecord, PersonOnAnnex, annex_of
from yakuba.platform.audit import log as audit_log
from yakuba.platform.audit.log import Action
from yakuba.platform.japanese.wareki import WarekiError, format_wareki
from yakuba.registry.services import Visibility

KIND = "annex_copy"
LAYOUT = "annex"
TITLE = "戸籍の附票の写し"
ATTESTATION = "この写しは、戸籍の附票の原本と相違ないことを証明する。"
PURPOSE = "戸籍の附票の写しの交付（住民基本台帳法第20条）"
SEX = {1: "男", 2: "女"}
# The optional items a requester may ask for (the others are shown whenever held).
OPTIONAL = (Item.DOMICILE, Item.OVERSEAS_ELECTOR, Item.JUMINHYO_CODE)

# The certificates machinery's requester types (codes.Requester) as 第20条 reads them; a 代理人
# asks for a person on the 附票.
_GROUNDS = {
    "self": Requester.ON_ANNEX,
    "agent": Requester.ON_ANNEX,
    "spouse": Requester.SPOUSE,
    "lineal": Requester.LINEAL,
    "third_party": Requester.THIRD_PARTY,
    "official": Requester.OFFICIAL,
    "professional": Requester.PROFESSIONAL,
}
NOT_A_GROUND = (
    "同一世帯の者の請求は住民票の写しの区分です。附票に記載されている方は「本人」、"
    "その配偶者・直系尊属・直系卑属はその区分を選んでください"
)
NOT_ON_ANNEX = "請求者（{who}）はこの附票に記載されていません（配偶者・直系の方はその区分を選んでください）"
NO_SELF = "請求者（本人）の宛名番号を入力してください（他の市区町村の住民は住民票コード）"
NO_ANNEX = "本籍「{honseki}」筆頭者「{hittosha}」の附票はありません"
PROTECTED = "支援措置の対象者が含まれるため、この附票の写しは交付できません"
NOT_A_PERSON = "この附票に記録されていない住民票コードです: {codes}"
UNKNOWN_ITEM = "請求できる記載事項は {items} です: {item}"


@dataclass(frozen=True)
class CopyRequest:
    """A request for the copy of the 附票 of (本籍, 筆頭者): ``requested`` the optional items
    asked for; ``mandate`` a 代理人's 委任状 seen; ``wide_area`` asked at another town's counter;
    ``persons`` the 住民票コード of the persons to copy (一部の写し; empty: everyone, 全部の写し —
    南アルプス市 https://www.city.minami-alps.yamanashi.jp/docs/1488.html)."""

    honseki: str
    hittosha: str
    requested: tuple[str, ...] = ()
    mandate: bool = False
    wide_area: bool = False
    persons: tuple[str, ...] = ()

    def options(self) -> dict:
        return {
            "honseki": self.honseki,
            "hittosha": self.hittosha,
            "requested": list(self.requested),
            "mandate": self.mandate,
            "persons": list(self.persons),
        }


def issue_copy(
    request: CopyRequest,
    *,
    requester: certificates.RequesterInfo,
    visibility: Visibility,
    fee_exempt_reason: str = "",
    reissue_of: str = "",
) -> certificates.Issued:
    """Issue the 附票の写し (inside the caller's ``tenant_context`` and transaction). Raises the
    certificates door's ``RuleViolation`` with every broken rule at once, each at its field."""
    errors: list[tuple[str, str]] = []
    items = _items(request.requested, errors)
    key = koseki_key(request.honseki, request.hittosha)
    annex = Annex.objects.filter(honseki=key[0], hittosha=key[1]).first()
    if annex is None:
        errors.append(("honseki", NO_ANNEX.format(honseki=request.honseki, hittosha=request.hittosha)))
    ground = _GROUNDS.get(requester.type)
    if ground is None:
        errors.append(("requester.type", NOT_A_GROUND))
    else:
        errors += [
            ("requester.purpose" if field == "reason" else field, message)
            for field, message in check_request(
                ground,
                agent=requester.type == "agent",
                mandate=request.mandate,
                reason=requester.purpose,
                at_honseki_town=not request.wide_area,
            )
        ]
    persons = _persons(annex) if annex is not None else {}
    if annex is not None and requester.type == "self":
        errors += _not_on_annex(requester, persons)
    if annex is not None and request.persons:
        strangers = [c for c in request.persons if c not in persons]
        if strangers:
            errors.append(("persons", NOT_A_PERSON.format(codes="、".join(strangers))))
        persons = {c: v for c, v in persons.items() if c in request.persons}
    if errors:
        raise certificates.RuleViolation(errors)
    own = _refuse_marked(persons, requester, visibility)
    return certificates.issue_document(
        KIND,
        lambda vis: document(
            request,
            items,
            visibility=replace(vis, protected=True) if own else vis,
            official=requester.type == "official",
        ),
        subjects={atena for atena, _ in persons.values() if atena},
        options=request.options(),
        requester=requester,
        visibility=visibility,
        fee_exempt_reason=fee_exempt_reason,
        reissue_of=reissue_of,
    )


def reissue(options: dict, **issue_options) -> certificates.Issued:
    """再発行 from the 交付履歴 (``register_reissue``): the same 附票 and items, today's rows."""
    return issue_copy(
        CopyRequest(
            options["honseki"],
            options["hittosha"],
            tuple(options.get("requested", ())),
            mandate=options.get("mandate", False),
            persons=tuple(options.get("persons", ())),
        ),
        **issue_options,
    )


def _items(requested: Iterable[str], errors: list) -> tuple[Item, ...]:
    allowed = {item.value: item for item in OPTIONAL}
    chosen = []
    for value in requested:
        if value not in allowed:
            errors.append(("requested", UNKNOWN_ITEM.format(items="、".join(allowed), item=value)))
        else:
            chosen.append(allowed[value])
    return tuple(dict.fromkeys(chosen))


def _persons(annex: Annex) -> dict[str, tuple[str, bool]]:
    """Each person of the 附票 by 住民票コード: their 宛名番号 here (latest row that has one) and
    whether a notice marked them under 支援措置. One query."""
    persons: dict[str, tuple[str, bool]] = {}
    for code, atena, marked in (
        Entry.objects.filter(annex=annex).order_by("id").values_list("juminhyo_code", "atena_no", "protected")
    ):
        before = persons.get(code, ("", False))
        persons[code] = (atena or before[0], marked or before[1])
    return persons


def _not_on_annex(requester: certificates.RequesterInfo, persons: dict) -> list[tuple[str, str]]:
    """本人: anyone on the 附票, whoever of it the copy is of — known by the 宛名番号 they have
    here or, living in another town (no 宛名番号 here), by their 住民票コード on the 附票 (the
    requester's ``person_id`` in this app: the 附票's own key of a person)."""
    if not (requester.atena_no or requester.person_id):
        return [("requester.atena_no", NO_SELF)]
    errors = []
    if requester.person_id and requester.person_id not in persons:
        who = f"住民票コード {requester.person_id}"
        errors.append(("requester.juminhyo_code", NOT_ON_ANNEX.format(who=who)))
    if requester.atena_no and requester.atena_no not in {atena for atena, _ in persons.values()}:
        errors.append(("requester.atena_no", NOT_ON_ANNEX.format(who=f"宛名番号 {requester.atena_no}")))
    return errors


def _refuse_marked(persons: dict, requester: certificates.RequesterInfo, visibility: Visibility) -> bool:
    """A person another 住所地 marked under 支援措置 (no 宛名番号 here for the machinery's check):
    the copy goes out only on a recorded override by a clerk who may see protected persons, or
    on the marked person's own request (本人 by 住民票コード) when no other marked person is on
    it. True for that own request: the copy then shows them (the machinery still checks the
    persons protected in this town's registry)."""
    own = requester.person_id if requester.type == "self" else ""
    marked = sorted(code for code, (atena, flag) in persons.items() if flag and not atena)
    others = [code for code in marked if code != own]
    if not others:
        return bool(marked)
    if visibility.protected and requester.override_reason.strip():
        return False
    audit_log.refuse(
        Action.PRINT, "certificate", subjects=marked, reason="protected", requester=requester.type
    )
    raise certificates.RuleViolation([("requester", PROTECTED)])


def _day(value) -> str:
    try:
        return format_wareki(value)
    except WarekiError:
        return value.isoformat()


def _person(p: PersonOnAnnex) -> certificates.Person:
    """A person as the 附票 layout prints them: who they are, then one block per 住所 (the
    国外転出者 entry with its 転出予定年月日), the 在外選挙人 notes, the 除籍 mark."""
    facts = [certificates.Item("name", "氏名", p.name)]
    if p.birth_date is not None:
        facts.append(certificates.Item("birth_date", "生年月日", _day(p.birth_date)))
    if p.sex is not None:
        facts.append(certificates.Item("sex", "性別", SEX.get(p.sex, "")))
    if p.juminhyo_code is not None:
        facts.append(certificates.Item("juminhyo_code", "住民票コード", p.juminhyo_code))
    blocks = [certificates.Block("附票に記録されている者", tuple(facts))]
    for r in p.rows:
        if r.overseas:
            items = (
                certificates.Item("address", "住所", f"国外転出（{r.country}）"),
                certificates.Item("address_set_on", "転出予定年月日", _day(r.address_set_on)),
            )
        else:
            items = (
                certificates.Item("address", "住所", r.address),
                certificates.Item("address_set_on", "住所を定めた年月日", _day(r.address_set_on)),
            )
        blocks.append(certificates.Block("住所", items))
    if p.elector:
        lines = tuple(
            certificates.Item(
                "overseas_elector", "", f"{_day(n.on)} {ElectorChange(n.change).label}（{n.municipality}）"
            )
            for n in p.elector
        )
        blocks.append(certificates.Block("在外選挙人", lines))
    if p.left_on is not None:
        blocks.append(certificates.Block("除籍", (certificates.Item("left_on", "除籍日", _day(p.left_on)),)))
    return certificates.Person(
        p.atena_no, p.name, False, (), blocks=tuple(blocks), removed="除籍" if p.left_on else ""
    )


def document(
    request: CopyRequest, items: Iterable[Item], *, visibility: Visibility, official: bool = False
) -> certificates.Document:
    """The copy's content: the 附票 read with the items asked for (one audit row), the 戸籍の表示
    only when asked, then each person with their 住所 in order. ``official``: a 公用 request
    (第20条2項), marked 「公用」 and free of the fee."""
    record: AnnexRecord = annex_of(
        request.honseki,
        request.hittosha,
        requested=tuple(items),
        protected=visibility.protected,
        only=request.persons,
        purpose=PURPOSE,
    )
    household: tuple[certificates.Item, ...] = ()
    if record.honseki is not None:
        household = (
            certificates.Item("domicile", "本籍", record.honseki),
            certificates.Item("domicile_head", "筆頭者", record.hittosha or ""),
        )
    persons = tuple(_person(p) for p in record.persons)
    return certificates.Document(
        kind=KIND,
        layout=LAYOUT,
        setai_no="",
        atena_nos=[p.atena_no for p in record.persons if p.atena_no],
        sheets=[certificates.Sheet(household=household, persons=persons)],
        title=TITLE,
        attestation=ATTESTATION,
        notes=("除附票",) if record.closed and not request.persons else (),
        official_use=official,
    )
