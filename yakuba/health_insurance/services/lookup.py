"""Reading 国保 for the staff screens: a 国保世帯 with each member's whole 資格 history and every
stored version of its 本算定, a premium's calculation explained again, pages of open work items
and their counts for the home screen.

Persons are named through the registry's door only, masked for the caller's ``Visibility`` the
way the registry's own reads mask them (registry/services/queries.py ``household``): for a caller
who may not see persons under 支援措置, a 国保世帯 whose 世帯主 is protected does not exist (its
address and premium are theirs), protected members are left out of any other, and a protected
person looked up by 宛名番号 is not found — the attempt audited. Every read of personal data
writes its audit row (住民記録システム標準仕様書 §10.2 操作ログ, as every domain's reads do).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from yakuba.health_insurance.codes import (
    AcquiredReason,
    Change,
    LostReason,
    PremiumReason,
    WorkKind,
    WorkStatus,
)
from yakuba.health_insurance.models import KokuhoHousehold, Member, PremiumAssessment, Qualification, WorkItem
from yakuba.health_insurance.services.calculation import KokuhoIn, calculate_kokuho
from yakuba.platform.audit.log import Action, record, refuse
from yakuba.registry import services as registry

PURPOSE = "国民健康保険の資格・保険税の照会"
HOUSEHOLD = "health_insurance.household"
PREMIUM = "health_insurance.premium"
WORK = "health_insurance.work_item"
WORK_PAGE = 50
_REASONS = {**dict(AcquiredReason.choices), **dict(LostReason.choices)}
# The parts of the premium in the order of the 通知書 (contract §9.3), with the names the
# engine's steps start with.
PARTS = (
    ("medical", "医療分"),
    ("support", "後期高齢者支援金等分"),
    ("care", "介護納付金分"),
    ("child_rearing", "子ども・子育て支援納付金分"),
)


class NotFound(LookupError):
    """Nothing to show: unknown to 国保, or hidden from the caller by 支援措置 (the same answer)."""


@dataclass(frozen=True)
class HistoryLine:
    """One 資格 row as the clerk reads it; ``voided`` when a later 訂正 row names it."""

    id: int
    change: str
    effective_on: date
    reason: str
    notified_on: date | None
    corrects: int | None
    voided: bool
    created_by: str

    @property
    def change_label(self) -> str:
        return Change(self.change).label

    @property
    def reason_label(self) -> str:
        if self.change == Change.CORRECTED:
            return f"記録 {self.corrects} の訂正"
        return _REASONS.get(self.reason, self.reason)


@dataclass(frozen=True)
class MemberLine:
    atena_no: str
    name: str
    setai_no: str
    insured: bool
    special_from: date | None
    special_until: date | None
    history: tuple[HistoryLine, ...]

    @property
    def special(self) -> bool:
        """特定同一世帯所属者 now (facts §2.5)."""
        return self.special_from is not None and self.special_until is None


@dataclass(frozen=True)
class PremiumVersion:
    fiscal_year: int
    version: int
    reason: str
    medical: int
    support: int
    care: int
    child_rearing: int
    total: int
    installments: tuple[tuple[str, int], ...]

    @property
    def reason_label(self) -> str:
        return PremiumReason(self.reason).label


@dataclass(frozen=True)
class HouseholdView:
    setai_no: str
    head_atena_no: str
    head_name: str
    pseudo_head: bool
    members: tuple[MemberLine, ...]
    premiums: tuple[PremiumVersion, ...]  # by 年度 then 版, newest first


@dataclass(frozen=True)
class PartSteps:
    key: str
    label: str
    total: int
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Explained:
    """A stored premium calculated again from its stored input: the engine's steps under each
    part (the common lines — 所得, 軽減判定 — first, the year's total last)."""

    premium: PremiumVersion
    setai_no: str
    head_name: str
    common: tuple[str, ...]
    parts: tuple[PartSteps, ...]
    closing: tuple[str, ...]


@dataclass(frozen=True)
class WorkRow:
    id: int
    kind: str
    atena_no: str
    name: str
    setai_no: str
    due_on: date

    @property
    def kind_label(self) -> str:
        return WorkKind(self.kind).label


def _hidden(atena_nos: set[str], visibility: registry.Visibility) -> set[str]:
    return set() if visibility.protected else registry.protected_among(atena_nos)


def _histories(atena_nos: set[str]) -> dict[str, list[HistoryLine]]:
    """Every 資格 row of the persons, in the order they happened (one query; the 訂正 rows'
    targets marked voided)."""
    rows = list(
        Qualification.objects.filter(atena_no__in=atena_nos)
        .order_by("atena_no", "effective_on", "id")
        .values_list(
            "id", "atena_no", "change", "effective_on", "reason", "notified_on", "corrects", "created_by"
        )
    )
    voided = {r[6] for r in rows if r[6] is not None}
    found: dict[str, list[HistoryLine]] = defaultdict(list)
    for row_id, atena_no, change, on, reason, notified_on, corrects, by in rows:
        found[atena_no].append(
            HistoryLine(row_id, change, on, reason, notified_on, corrects, row_id in voided, by)
        )
    return found


def setai_of(atena_no: str, *, visibility: registry.Visibility) -> str:
    """The 国保世帯 a person belongs to (or last belonged to); ``NotFound`` for one 国保 does
    not know or the caller may not see."""
    if atena_no in _hidden({atena_no}, visibility):
        refuse(Action.READ, HOUSEHOLD, subjects=[atena_no], reason="protected")
        raise NotFound(atena_no)
    setai_no = Member.objects.filter(atena_no=atena_no).values_list("setai_no", flat=True).first()
    if setai_no is None:
        raise NotFound(atena_no)
    return setai_no


def household(setai_no: str, *, visibility: registry.Visibility) -> HouseholdView:
    """The 国保世帯 with its members (insured or not now: 特定同一世帯所属者, those who left) and
    their 資格 history, and every version of its 本算定 — a fixed number of queries, audited."""
    row = KokuhoHousehold.objects.filter(setai_no=setai_no).first()
    if row is None:
        raise NotFound(setai_no)
    members = list(
        Member.objects.filter(setai_no=setai_no)
        .order_by("atena_no")
        .values_list("atena_no", "insured", "special_from", "special_until")
    )
    everyone = {row.head_atena_no, *(m[0] for m in members)} - {""}
    hidden = _hidden(everyone, visibility)
    if row.head_atena_no in hidden:
        refuse(Action.READ, HOUSEHOLD, subjects=[setai_no, row.head_atena_no], reason="protected")
        raise NotFound(setai_no)
    shown = [m for m in members if m[0] not in hidden]
    names = registry.names_of(sorted(everyone - hidden), visibility=visibility)
    histories = _histories({m[0] for m in shown})
    lines = [
        MemberLine(a, names.get(a, ""), setai_no, insured, start, until, tuple(histories.get(a, ())))
        for a, insured, start, until in shown
    ]
    # The 世帯主 first, then the insured, then the others (特定同一世帯所属者, those who left).
    lines.sort(key=lambda m: (m.atena_no != row.head_atena_no, not m.insured))
    premiums = _premiums(PremiumAssessment.objects.filter(setai_no=setai_no))
    record(
        Action.READ,
        HOUSEHOLD,
        subjects=sorted({row.head_atena_no, *(m.atena_no for m in lines)} - {""}),
        purpose=PURPOSE,
        detail={"setai_no": setai_no, "premiums": len(premiums)},
    )
    return HouseholdView(
        setai_no,
        row.head_atena_no,
        names.get(row.head_atena_no, ""),
        row.pseudo_head,
        tuple(lines),
        tuple(premiums),
    )


def _premiums(rows) -> list[PremiumVersion]:
    return [
        PremiumVersion(*r[:8], tuple(tuple(i) for i in r[8]))
        for r in rows.order_by("-fiscal_year", "-version").values_list(
            "fiscal_year",
            "version",
            "reason",
            "medical",
            "support",
            "care",
            "child_rearing",
            "total",
            "installments",
        )
    ]


def member(atena_no: str, *, visibility: registry.Visibility) -> MemberLine:
    """One person 国保 knows, with the whole 資格 history (the 脱退届 and 訂正 forms): audited."""
    if atena_no in _hidden({atena_no}, visibility):
        refuse(Action.READ, HOUSEHOLD, subjects=[atena_no], reason="protected")
        raise NotFound(atena_no)
    row = Member.objects.filter(atena_no=atena_no).values_list(
        "setai_no", "insured", "special_from", "special_until"
    )
    found = row.first()
    if found is None:
        raise NotFound(atena_no)
    name = registry.names_of([atena_no], visibility=visibility).get(atena_no, "")
    record(Action.READ, HOUSEHOLD, subjects=[atena_no], purpose=PURPOSE)
    return MemberLine(atena_no, name, found[0], *found[1:], tuple(_histories({atena_no}).get(atena_no, ())))


def explain(setai_no: str, fiscal_year: int, version: int, *, visibility: registry.Visibility) -> Explained:
    """A stored premium's stored input run through ``calculate_kokuho`` again (the row keeps the
    result without its ``steps``: the same input gives the same steps), grouped by part."""
    row = PremiumAssessment.objects.filter(
        setai_no=setai_no, fiscal_year=fiscal_year, version=version
    ).first()
    if row is None:
        raise NotFound(setai_no)
    if row.head_atena_no in _hidden({row.head_atena_no}, visibility):
        refuse(Action.READ, PREMIUM, subjects=[setai_no, row.head_atena_no], reason="protected")
        raise NotFound(setai_no)
    steps = calculate_kokuho(KokuhoIn.model_validate(row.calculation["input"]))["steps"]
    common, closing, grouped = [], [], {key: [] for key, _label in PARTS}
    for step in steps:
        part = next((key for key, label in PARTS if step.startswith(label)), None)
        if part is not None:
            grouped[part].append(step)
        elif any(grouped.values()):
            closing.append(step)
        else:
            common.append(step)
    record(
        Action.READ,
        PREMIUM,
        subjects=[row.head_atena_no],
        purpose=PURPOSE,
        detail={"setai_no": setai_no, "fiscal_year": fiscal_year, "version": version},
    )
    premium = _premiums(PremiumAssessment.objects.filter(id=row.id))[0]
    name = registry.names_of([row.head_atena_no], visibility=visibility).get(row.head_atena_no, "")
    parts = tuple(
        PartSteps(key, label, getattr(premium, key), tuple(grouped[key]))
        for key, label in PARTS
        if grouped[key]
    )
    return Explained(premium, setai_no, name, tuple(common), parts, tuple(closing))


def work_page(
    kind: str,
    *,
    after: tuple[date, int] | None = None,
    limit: int = WORK_PAGE,
    visibility: registry.Visibility,
) -> tuple[list[WorkRow], tuple[date, int] | None]:
    """One page of the open work items of ``kind``, oldest first (keyset on (基準日, id)), named
    through the registry — persons the caller may not see left out — and the key of the next
    page (None on the last). A fixed number of queries whatever the page's size, audited."""
    rows = WorkItem.objects.filter(kind=kind, status=WorkStatus.OPEN)
    if after is not None:
        rows = rows.filter(Q(due_on__gt=after[0]) | Q(due_on=after[0], id__gt=after[1]))
    items = list(
        rows.order_by("due_on", "id").values_list("id", "kind", "atena_no", "setai_no", "due_on")[: limit + 1]
    )
    more = len(items) > limit
    items = items[:limit]
    hidden = _hidden({i[2] for i in items}, visibility)
    shown = [i for i in items if i[2] not in hidden]
    names = registry.names_of([i[2] for i in shown], visibility=visibility)
    if shown:
        record(
            Action.READ, WORK, subjects=sorted({i[2] for i in shown}), purpose=PURPOSE, detail={"kind": kind}
        )
    lines = [WorkRow(i, k, a, names.get(a, ""), s, d) for i, k, a, s, d in shown]
    return lines, ((items[-1][4], items[-1][0]) if more else None)


def work_item(item_id: int, *, visibility: registry.Visibility) -> WorkRow:
    """One open work item (the 加入届 and 対象外 forms), named; ``NotFound`` when done, unknown
    or about a person hidden from the caller."""
    found = (
        WorkItem.objects.filter(id=item_id, status=WorkStatus.OPEN)
        .values_list("id", "kind", "atena_no", "setai_no", "due_on")
        .first()
    )
    if found is None:
        raise NotFound(str(item_id))
    if found[2] in _hidden({found[2]}, visibility):
        refuse(Action.READ, WORK, subjects=[found[2]], reason="protected")
        raise NotFound(str(item_id))
    name = registry.names_of([found[2]], visibility=visibility).get(found[2], "")
    record(Action.READ, WORK, subjects=[found[2]], purpose=PURPOSE, detail={"work_item": item_id})
    return WorkRow(found[0], found[1], found[2], name, found[3], found[4])


def open_counts() -> dict[str, int]:
    """{kind: open work items} — one grouped query on the (lg_code, kind, status) index, for the
    home screen. Counts only: no person is named, nothing to audit."""
    counts = dict(
        WorkItem.objects.filter(status=WorkStatus.OPEN)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
        .order_by()
    )
    return {kind: counts.get(kind, 0) for kind in WorkKind.values}
