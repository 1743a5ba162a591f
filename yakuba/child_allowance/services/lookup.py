"""Reading 児童手当 for the screens, the API and the CLI: a 受給者's 認定 with its children and
every amount period (with the engine's steps), the amount payable for a month, pages of
受給者 and of open work items, the home screen's counts.

Persons are named through the registry's door, masked for the caller's ``Visibility``: for a
caller who may not see persons under 支援措置, a 受給者 who is protected does not exist (the
attempt audited), and a protected child is left out of what is shown (never of what is paid).
Every read of personal data writes its audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from yakuba.child_allowance.codes import ChoiceBasis, EndReason, PeriodReason, Status, WorkKind, WorkStatus
from yakuba.child_allowance.models import AmountPeriod, CountedChild, Entitlement, WorkItem
from yakuba.platform.audit.log import Action, record, refuse
from yakuba.registry import services as registry

PURPOSE = "児童手当の照会"
RESOURCE = "child_allowance.entitlement"
WORK = "child_allowance.work_item"
PAGE = 50


class NotFound(LookupError):
    """Nothing to show: no such 受給者, or hidden from the caller by 支援措置 (the same answer)."""


@dataclass(frozen=True)
class ChildLine:
    atena_no: str
    name: str
    birth_date: date
    relationship: str
    cohabitation: str
    bears_costs: bool
    from_month: date
    until_month: date | None


@dataclass(frozen=True)
class PeriodLine:
    id: int
    from_month: date
    until_month: date | None
    monthly_total: int
    children: list[dict]
    steps: list[str]
    reason: str
    claimed_on: date | None
    created_by: str

    @property
    def reason_label(self) -> str:
        return PeriodReason(self.reason).label


@dataclass(frozen=True)
class EntitlementView:
    id: int
    claimant_atena_no: str
    claimant_name: str
    setai_no: str
    spouse_atena_no: str
    choice_basis: str
    status: str
    claimed_on: date
    certified_on: date
    first_month: date
    last_month: date | None
    end_reason: str
    ended_on: date | None
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    account_holder_kana: str
    children: tuple[ChildLine, ...]
    periods: tuple[PeriodLine, ...]  # newest first

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def choice_label(self) -> str:
        return ChoiceBasis(self.choice_basis).label

    @property
    def end_label(self) -> str:
        return EndReason(self.end_reason).label if self.end_reason else ""


@dataclass(frozen=True)
class ListLine:
    id: int
    claimant_atena_no: str
    name: str
    status: str
    first_month: date
    last_month: date | None
    monthly_total: int


@dataclass(frozen=True)
class WorkRow:
    id: int
    kind: str
    atena_no: str
    name: str
    setai_no: str
    event: str
    event_date: date
    deadline: date

    @property
    def kind_label(self) -> str:
        return WorkKind(self.kind).label

    @property
    def event_label(self) -> str:
        return {"born": "出生", "moved-in": "転入"}.get(self.event, self.event)


def _hidden(atena_nos: set[str], visibility: registry.Visibility) -> set[str]:
    return set() if visibility.protected or not atena_nos else registry.protected_among(atena_nos)


def entitlements_of(atena_no: str, *, visibility: registry.Visibility) -> list[EntitlementView]:
    """Every 認定 of a 受給者, newest first, with children and amount periods (a fixed number of
    queries whatever their number); ``NotFound`` for none or a hidden 受給者. Audited."""
    if atena_no in _hidden({atena_no}, visibility):
        refuse(Action.READ, RESOURCE, subjects=[atena_no], reason="protected")
        raise NotFound(atena_no)
    rows = list(Entitlement.objects.filter(claimant_atena_no=atena_no).order_by("-id"))
    if not rows:
        raise NotFound(atena_no)
    ids = [r.id for r in rows]
    children: dict[int, list[CountedChild]] = {i: [] for i in ids}
    for child in CountedChild.objects.filter(entitlement_id__in=ids).order_by("birth_date", "id"):
        children[child.entitlement_id].append(child)
    periods: dict[int, list[PeriodLine]] = {i: [] for i in ids}
    for p in AmountPeriod.objects.filter(entitlement_id__in=ids).order_by("-from_month"):
        periods[p.entitlement_id].append(
            PeriodLine(
                p.id,
                p.from_month,
                p.until_month,
                p.monthly_total,
                p.children,
                p.steps,
                p.reason,
                p.claimed_on,
                p.created_by,
            )
        )
    everyone = {c.atena_no for cs in children.values() for c in cs} - {""}
    hidden = _hidden(everyone, visibility)
    name = registry.names_of([atena_no], visibility=visibility).get(atena_no, "")
    record(
        Action.READ,
        RESOURCE,
        subjects=sorted({atena_no} | (everyone - hidden)),
        purpose=PURPOSE,
        detail={"entitlements": ids},
    )
    return [
        EntitlementView(
            r.id,
            r.claimant_atena_no,
            name,
            r.setai_no,
            r.spouse_atena_no,
            r.choice_basis,
            r.status,
            r.claimed_on,
            r.certified_on,
            r.first_month,
            r.last_month,
            r.end_reason,
            r.ended_on,
            r.bank_code,
            r.branch_code,
            r.account_type,
            r.account_number,
            r.account_holder_kana,
            tuple(
                ChildLine(
                    c.atena_no,
                    c.name,
                    c.birth_date,
                    c.relationship,
                    c.cohabitation,
                    c.bears_costs,
                    c.from_month,
                    c.until_month,
                )
                for c in children[r.id]
                if c.atena_no not in hidden
            ),
            tuple(_masked(p, hidden) for p in periods[r.id]),
        )
        for r in rows
    ]


def _masked(period: PeriodLine, hidden: set[str]) -> PeriodLine:
    """A period as the caller may see it: a hidden child's line says only that a child is there."""
    if not hidden:
        return period
    children = [
        {**c, "atena_no": "", "name": "（表示できません）", "birth_date": ""}
        if c["atena_no"] in hidden
        else c
        for c in period.children
    ]
    return PeriodLine(**{**period.__dict__, "children": children, "steps": []})


def payable(entitlement_id: int, month: date) -> int:
    """The amount payable for ``month`` (its 1st): the period's total within the 認定's months,
    0 outside (the rule B's payment run applies in SQL, docs/child_allowance.md)."""
    month = month.replace(day=1)
    found = (
        AmountPeriod.objects.filter(
            entitlement_id=entitlement_id,
            entitlement__first_month__lte=month,
            from_month__lte=month,
        )
        .filter(Q(until_month__isnull=True) | Q(until_month__gte=month))
        .filter(Q(entitlement__last_month__isnull=True) | Q(entitlement__last_month__gte=month))
        .values_list("monthly_total", flat=True)
        .first()
    )
    return found or 0


def entitlement_page(
    *, status: str = Status.ACTIVE, after: int = 0, limit: int = PAGE, visibility: registry.Visibility
) -> tuple[list[ListLine], int | None]:
    """One page of 受給者 in 認定 order (keyset on id) with the amount in force, named; hidden
    受給者 left out. Three queries whatever the page's size; audited."""
    rows = list(
        Entitlement.objects.filter(status=status, id__gt=after)
        .order_by("id")
        .values_list("id", "claimant_atena_no", "status", "first_month", "last_month")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    hidden = _hidden({r[1] for r in rows}, visibility)
    shown = [r for r in rows if r[1] not in hidden]
    totals = dict(
        AmountPeriod.objects.filter(entitlement_id__in=[r[0] for r in shown])
        .order_by("entitlement_id", "-from_month")
        .distinct("entitlement_id")
        .values_list("entitlement_id", "monthly_total")
    )
    names = registry.names_of([r[1] for r in shown], visibility=visibility)
    if shown:
        record(
            Action.READ,
            RESOURCE,
            subjects=sorted({r[1] for r in shown}),
            purpose=PURPOSE,
            detail={"list": status},
        )
    lines = [ListLine(i, a, names.get(a, ""), s, f, last, totals.get(i, 0)) for i, a, s, f, last in shown]
    return lines, (rows[-1][0] if more else None)


def work_page(
    kind: str, *, after: tuple[date, int] | None = None, limit: int = PAGE, visibility: registry.Visibility
) -> tuple[list[WorkRow], tuple[date, int] | None]:
    """One page of the open work items of ``kind``, nearest deadline first (keyset on (期限, id)),
    named through the registry — persons the caller may not see left out. Audited."""
    rows = WorkItem.objects.filter(kind=kind, status=WorkStatus.OPEN)
    if after is not None:
        rows = rows.filter(Q(deadline__gt=after[0]) | Q(deadline=after[0], id__gt=after[1]))
    items = list(
        rows.order_by("deadline", "id").values_list(
            "id", "kind", "atena_no", "setai_no", "event", "event_date", "deadline"
        )[: limit + 1]
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
    lines = [WorkRow(i, k, a, names.get(a, ""), s, e, d, dl) for i, k, a, s, e, d, dl in shown]
    return lines, ((items[-1][6], items[-1][0]) if more else None)


def open_counts() -> dict[str, int]:
    """{kind: open work items} — one grouped query, for the home screen (counts only)."""
    counts = dict(
        WorkItem.objects.filter(status=WorkStatus.OPEN)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
        .order_by()
    )
    return {kind: counts.get(kind, 0) for kind in WorkKind.values}
