"""The one writer of 受給: open an amount period (closing the previous one), end an entitlement,
each with its event and audit row in the caller's transaction.

Every change of 児童手当 — the clerk's 認定 and 額改定, the feed consumer's 消滅, the monthly age
review — goes through here, so a period never overlaps the one before (the table's exclusion
constraint stops any that would) and every change is announced once.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from yakuba.child_allowance.codes import EndReason, PeriodReason, Status, WorkStatus
from yakuba.child_allowance.events import AMOUNT_REVISED, ENDED
from yakuba.child_allowance.models import AmountPeriod, CountedChild, Entitlement, WorkItem
from yakuba.child_allowance.services.amounts import Counted, MonthAmount, period_key
from yakuba.child_allowance.services.timing import month_of, next_month, previous_month
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.calculations import CalculationRejected
from yakuba.platform.linkage import outbox

RESOURCE = "child_allowance.entitlement"
PURPOSE = "児童手当の認定・額改定・消滅"


def ym(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def counted_children(entitlement_ids: list[int]) -> dict[int, list[Counted]]:
    """{認定: its children as counted} in one query."""
    found: dict[int, list[Counted]] = {i: [] for i in entitlement_ids}
    for row in CountedChild.objects.filter(entitlement_id__in=entitlement_ids).order_by("birth_date", "id"):
        found[row.entitlement_id].append(
            Counted(row.atena_no, row.name, row.birth_date, row.bears_costs, row.from_month, row.until_month)
        )
    return found


def amount_data(amount: MonthAmount) -> dict:
    return {
        "from_month": ym(amount.month),
        "monthly_total": amount.total,
        "children": len(amount.children),
        "eligible": sum(1 for c in amount.children if c["eligible"]),
    }


def open_period(
    entitlement: Entitlement,
    amount: MonthAmount,
    reason: str,
    *,
    claimed_on: date | None = None,
    previous: AmountPeriod | None = None,
) -> AmountPeriod:
    """The period from ``amount.month``: the open one before is closed the month before; an
    ``amount_revised`` event unless it is the 認定's first."""
    now = timezone.now()
    if previous is not None:
        previous.until_month = previous_month(amount.month)
        previous.save(update_fields=["until_month"])
    period = AmountPeriod.objects.create(
        lg_code=entitlement.lg_code,
        entitlement=entitlement,
        from_month=amount.month,
        monthly_total=amount.total,
        children=amount.children,
        steps=amount.steps,
        reason=reason,
        claimed_on=claimed_on,
        created_at=now,
        created_by=current_actor().name,
    )
    if reason != PeriodReason.CERTIFIED:
        _revised(entitlement, amount, reason, previous.monthly_total if previous is not None else 0)
    return period


class Rejected(CalculationRejected):
    """A 額改定 or 消滅 that cannot be recorded: ``[{"field", "message"}]`` in Japanese."""

    @classmethod
    def one(cls, field: str, message: str) -> Rejected:
        return cls([{"field": field, "message": message}])


def current_period(entitlement: Entitlement) -> AmountPeriod:
    """The open period, locked: two changes of one entitlement are serialised on it."""
    return AmountPeriod.objects.select_for_update().get(entitlement=entitlement, until_month__isnull=True)


def earliest_change(period: AmountPeriod, wanted: date) -> date:
    """The first month an automatic change reported late can still take: ``wanted``, unless the
    open period starts later — then that month while it is not past (``revise`` replaces it),
    else the month after it (the months before were decided; the clerk corrects them by hand)."""
    if wanted > period.from_month or period.from_month >= month_of(timezone.localdate()):
        return max(wanted, period.from_month)
    return next_month(period.from_month)


def revise(
    entitlement: Entitlement, amount: MonthAmount, reason: str, *, claimed_on: date | None = None
) -> AmountPeriod | None:
    """The amount from ``amount.month`` on (None when it is the amount already in force).

    The open period is closed the month before. One that starts in that very month is replaced
    instead when the month is not yet past (this month or later): no payment can have covered
    it (each payment covers months already ended), and the audit row keeps what it said. A
    change before the open period's first month cannot be recorded (``Rejected``): the months
    after it were decided on amounts the change would alter.
    """
    previous = current_period(entitlement)
    if amount.key == period_key(previous.children):
        return None
    if previous.from_month < amount.month:
        return open_period(entitlement, amount, reason, claimed_on=claimed_on, previous=previous)
    if previous.from_month == amount.month and amount.month >= month_of(timezone.localdate()):
        record(
            Action.UPDATE,
            RESOURCE,
            subjects=[entitlement.claimant_atena_no],
            purpose=PURPOSE,
            detail={
                "entitlement": entitlement.id,
                "replaced_period": previous.id,
                "from_month": ym(previous.from_month),
                "monthly_total": previous.monthly_total,
                "reason": previous.reason,
            },
        )
        before = previous.monthly_total
        previous.monthly_total, previous.children, previous.steps = (
            amount.total,
            amount.children,
            amount.steps,
        )
        previous.reason, previous.claimed_on = reason, claimed_on or previous.claimed_on
        previous.save(update_fields=["monthly_total", "children", "steps", "reason", "claimed_on"])
        _revised(entitlement, amount, reason, before)
        return previous
    raise Rejected.one(
        "claimed_on",
        f"{ym(previous.from_month)}分からの額がすでに記録されているため、{ym(amount.month)}分からの額改定は記録できません",
    )


def announce(type_: str, entitlement: Entitlement, **data) -> None:
    """One event of the 受給者 (events.py: the 認定's number and the 受給者 first)."""
    outbox.emit(
        type_,
        subject=entitlement.claimant_atena_no,
        data={"entitlement_id": entitlement.id, "claimant_atena_no": entitlement.claimant_atena_no, **data},
    )


def _revised(entitlement: Entitlement, amount: MonthAmount, reason: str, before: int) -> None:
    announce(AMOUNT_REVISED, entitlement, **amount_data(amount), previous_total=before, reason=reason)


def end(entitlement: Entitlement, last_month: date, reason: EndReason, on: date, *, source: str) -> None:
    """消滅: the entitlement ends with ``last_month`` paid; the open period and the children's
    counting stop there, open work items about it close."""
    entitlement.status = Status.ENDED
    entitlement.last_month = last_month
    entitlement.end_reason = reason
    entitlement.ended_on = on
    entitlement.save(update_fields=["status", "last_month", "end_reason", "ended_on", "updated_at"])
    open_one = current_period(entitlement)
    if open_one.from_month <= last_month:
        open_one.until_month = last_month
        open_one.save(update_fields=["until_month"])
    # The children stop being counted here (a later 認定 of another parent may count them).
    entitlement.children.filter(until_month__isnull=True).update(until_month=last_month)
    WorkItem.objects.filter(entitlement=entitlement, status=WorkStatus.OPEN).update(
        status=WorkStatus.DONE, closed_at=timezone.now()
    )
    announce(ENDED, entitlement, last_month=ym(last_month), reason=str(reason), date=on.isoformat())
    record(
        Action.UPDATE,
        RESOURCE,
        subjects=[entitlement.claimant_atena_no],
        purpose=PURPOSE,
        detail={
            "entitlement": entitlement.id,
            "ended": str(reason),
            "last_month": ym(last_month),
            "by": source,
        },
    )
