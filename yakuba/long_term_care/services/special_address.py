"""住所地特例 (介護保険法 §13): the clerk's 適用 and 終了, and the lists.

- 住所地特例者 (``ours``): our 被保険者 entered a 施設 in another municipality and stays ours; the
  feed consumer keeps him insured through the registry's 転出 (``qualification.kept_since``), and a
  喪失 it wrote before the 適用 is voided here by a 訂正 row (``rules.special_address``).
- 他市町村住所地特例者 (``theirs``): a person insured by another municipality lives in one of our
  施設; ``excluded`` keeps the registry's 転入 and the 65歳到達 from enrolling him, and a 取得 the
  consumer wrote before is voided. The list of them is the 施設所在地's (``special_list``).
Each write is one transaction: the 住所地特例 row, the 資格 rows it causes (the shared ``Ledger``),
the events and the audit rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from yakuba.long_term_care.codes import Direction, EndReason, FacilityKind, SpecialChange
from yakuba.long_term_care.events import SPECIAL_APPLIED, SPECIAL_ENDED
from yakuba.long_term_care.models import Qualification, SpecialAddress
from yakuba.long_term_care.rules import qualification as age_rule
from yakuba.long_term_care.rules import special_address as rules
from yakuba.long_term_care.services.common import not_future, refuse_if
from yakuba.long_term_care.services.qualification import BOOK, PURPOSE
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.linkage import outbox
from yakuba.platform.municipalities import UnknownMunicipality, lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

RESOURCE = "long_term_care.special_address"
SPECIAL_PURPOSE = f"{PURPOSE}（住所地特例）"
MINIMAL = registry.Visibility()


@dataclass(frozen=True)
class SpecialLine:
    atena_no: str
    name: str  # "" where the caller may not see the person (not listed then)
    direction: str
    facility_name: str
    facility_kind: str  # its Japanese label
    admitted_on: date
    municipality: str  # 団体コード
    municipality_name: str
    ended_on: date | None
    end_reason: str


def _latest(atena_no: str, direction: str) -> SpecialAddress | None:
    return SpecialAddress.objects.filter(atena_no=atena_no, direction=direction).order_by("-id").first()


def _last_row(atena_no: str) -> rules.Row | None:
    row = (
        Qualification.objects.filter(atena_no=atena_no)
        .order_by("-effective_on", "-id")
        .values_list("change", "effective_on", "reason")
        .first()
    )
    return rules.Row(*row) if row else None


def check_apply(
    atena_no: str,
    direction: str,
    facility_name: str,
    facility_kind: str,
    admitted_on: date,
    municipality: str,
) -> list[tuple[str, str]]:
    """Every broken rule of an 適用, as (field, message); no writes."""
    errors = []
    if direction not in Direction.values:
        return [("direction", "区分は ours（住所地特例者）か theirs（他市町村住所地特例者）です")]
    if not facility_name.strip() or len(facility_name) > 80:
        errors.append(("facility_name", "施設名を80文字以内で入力してください"))
    if facility_kind not in FacilityKind.values:
        errors.append(("facility_kind", f"施設の種類は {', '.join(FacilityKind.values)} のいずれかです"))
    errors += not_future("admitted_on", admitted_on, "入所日")
    try:
        lookup(municipality)
        if municipality == require_tenant().lg_code:
            errors.append(("municipality", "相手の市区町村に当市町村は指定できません"))
    except UnknownMunicipality as exc:
        errors.append(("municipality", str(exc)))
    latest = _latest(atena_no, direction)
    if latest is not None and latest.change == SpecialChange.APPLIED:
        errors.append(("atena_no", "この方にはすでに住所地特例が適用されています"))
    known = BOOK.load([atena_no], purpose=SPECIAL_PURPOSE).known(atena_no)
    if direction == Direction.OURS:
        last = _last_row(atena_no)
        voidable = rules.voiding(direction, atena_no, admitted_on, last)
        if not (known and known.insured) and not voidable:
            errors.append(
                (
                    "atena_no",
                    "当市町村の第1号被保険者ではありません（転出による喪失の後なら入所日を確認してください）",
                )
            )
    elif atena_no not in registry.birth_dates_of([atena_no]):
        errors.append(("atena_no", "住民記録にない宛名番号です"))
    return errors


def apply_special(
    atena_no: str,
    direction: str,
    facility_name: str,
    facility_kind: str,
    admitted_on: date,
    municipality: str,
) -> SpecialLine:
    """Record an 適用 (one transaction; see the module docstring). ``Rejected`` names each field."""
    with transaction.atomic():
        refuse_if(check_apply(atena_no, direction, facility_name, facility_kind, admitted_on, municipality))
        ledger = BOOK.load([atena_no], purpose=SPECIAL_PURPOSE)
        ledger.apply(rules.voiding(direction, atena_no, admitted_on, _last_row(atena_no)))
        row = _write(
            ledger,
            atena_no,
            direction,
            SpecialChange.APPLIED,
            facility_name=facility_name.strip(),
            facility_kind=facility_kind,
            admitted_on=admitted_on,
            municipality=municipality,
        )
    return _line(row, "")


def check_end(atena_no: str, direction: str, ended_on: date, reason: str) -> list[tuple[str, str]]:
    latest = _latest(atena_no, direction) if direction in Direction.values else None
    if latest is None or latest.change != SpecialChange.APPLIED:
        return [("atena_no", "この方に適用中の住所地特例はありません")]
    errors = not_future("ended_on", ended_on, "終了日")
    if ended_on < latest.admitted_on:
        errors.append(("ended_on", f"終了日は入所日（{latest.admitted_on.isoformat()}）より前にできません"))
    allowed = rules.ENDS[Direction(direction)]
    if reason not in allowed:
        errors.append(("reason", f"終了事由は {', '.join(allowed)} のいずれかです"))
    return errors


def end_special(atena_no: str, direction: str, ended_on: date, reason: str) -> SpecialLine:
    """Record an 終了 (退所・転居・死亡) and the 資格 change it makes (``rules.ending``)."""
    with transaction.atomic():
        refuse_if(check_end(atena_no, direction, ended_on, reason))
        latest = _latest(atena_no, direction)
        ledger = BOOK.load([atena_no], purpose=SPECIAL_PURPOSE)
        known = ledger.known(atena_no)
        first = False
        if reason == EndReason.MOVED_HERE:
            birth = registry.birth_dates_of([atena_no]).get(atena_no)
            first = birth is not None and age_rule.qualifying_day(birth) <= ended_on
        ledger.apply(
            rules.ending(
                direction,
                atena_no,
                reason,
                ended_on,
                insured=bool(known and known.insured),
                first_insured=first,
            )
        )
        row = _write(
            ledger,
            atena_no,
            direction,
            SpecialChange.ENDED,
            facility_name=latest.facility_name,
            facility_kind=latest.facility_kind,
            admitted_on=latest.admitted_on,
            municipality=latest.municipality,
            ended_on=ended_on,
            end_reason=reason,
        )
    return _line(row, "")


def _write(ledger, atena_no: str, direction: str, change: str, **fields) -> SpecialAddress:
    """The 資格 the action caused (``ledger``; a 他市町村住所地特例者 excluded from the registry's
    enrolment while it applies), the 住所地特例 row, its event and audit row."""
    if direction == Direction.THEIRS:
        ledger.exclude(atena_no, change == SpecialChange.APPLIED)
    ledger.flush({"special_address": change})
    row = SpecialAddress.objects.create(
        lg_code=require_tenant().lg_code,
        atena_no=atena_no,
        direction=direction,
        change=change,
        created_at=timezone.now(),
        created_by=current_actor().name,
        **fields,
    )
    data = {
        "atena_no": atena_no,
        "direction": direction,
        "facility_kind": row.facility_kind,
        "admitted_on": row.admitted_on.isoformat(),
        "municipality": row.municipality,
        "ended_on": row.ended_on.isoformat() if row.ended_on else "",
        "end_reason": row.end_reason,
    }
    outbox.emit(
        SPECIAL_APPLIED if change == SpecialChange.APPLIED else SPECIAL_ENDED, subject=atena_no, data=data
    )
    record(
        Action.CREATE,
        RESOURCE,
        subjects=[atena_no],
        purpose=SPECIAL_PURPOSE,
        detail={"direction": direction, "change": change, "end_reason": row.end_reason},
    )
    return row


def _line(row: SpecialAddress, name: str) -> SpecialLine:
    try:
        other = lookup(row.municipality).full_name
    except UnknownMunicipality:
        other = ""
    return SpecialLine(
        row.atena_no,
        name,
        row.direction,
        row.facility_name,
        FacilityKind(row.facility_kind).label,
        row.admitted_on,
        row.municipality,
        other,
        row.ended_on,
        row.end_reason,
    )


def special_list(
    direction: str, *, after: str = "", limit: int = 100, visibility: registry.Visibility = MINIMAL
) -> tuple[list[SpecialLine], str]:
    """The persons a 住所地特例 applies to now, in 宛名番号 order after ``after`` (keyset; the
    宛名番号 to continue after, "" at the end): ``theirs`` is the 施設所在地's list of
    他市町村住所地特例者 in its 施設. Three queries a page; persons hidden from the caller by
    支援措置 are left out; one audit row naming those shown."""
    latest = (
        SpecialAddress.objects.filter(direction=direction, atena_no__gt=after)
        .order_by("atena_no", "-id")
        .distinct("atena_no")
    )
    rows = list(
        SpecialAddress.objects.filter(id__in=latest.values("id"), change=SpecialChange.APPLIED).order_by(
            "atena_no"
        )[:limit]
    )
    names = registry.names_of([r.atena_no for r in rows], visibility=visibility)
    lines = [_line(r, names[r.atena_no]) for r in rows if r.atena_no in names]
    record(
        Action.READ,
        RESOURCE,
        subjects=[line.atena_no for line in lines],
        purpose=SPECIAL_PURPOSE,
        detail={"direction": direction, "after": after, "count": len(lines)},
    )
    return lines, rows[-1].atena_no if len(rows) == limit else ""
