"""The 児童手当 consumer: the registry's resident events, read as an outside vendor reads them.

児童手当 follows the municipality's own feed through the platform's shared consumer
(``yakuba.platform.linkage.consumer``: one transaction per page with its cursor in
``FeedPosition``, resumable after a kill). What each event does (insurance-welfare-facts §6):

- **出生** (born): into the 世帯 of a 受給者 → a "額改定認定請求 未受理" work item (the 額改定 is not
  automatic: the 受給者 must claim it); otherwise → "認定請求 未受理". Each shows the last day the
  15日特例 applies (the birth + 15 days).
- **転入** (moved-in) of a child to the 18歳年度末: "認定請求 未受理" for the 世帯 (one per 世帯 and
  day), or "額改定認定請求 未受理" when a 受給者 lives there. The deadline shown counts from the
  転入 date: the 15日特例 counts from the day after the 転出予定日 on the 転出証明書, which the
  registry does not keep — the clerk enters it at the 請求, and it is never later than the 転入.
- **転出** (moved-out) and **死亡** (died) of a 受給者 → 消滅, paid through the month of the
  転出予定日 / the death (``services/timing.py`` cites the municipal pages).
- **死亡** of a counted child → 減額 from the month after (児童手当法 第9条第3項), or 消滅 when no
  child is paid any more. A child who moves out alone is left to the clerk (別居監護 may go on).
- Any event of a 受給者 keeps the 認定's 世帯番号 current (births are matched on it).
- 異動の取消し (canceled) changes nothing here: the clerk corrects by hand with the 届.

Like 国保 the consumer holds ``registry:protected``: persons under 支援措置 are paid like anyone;
the screens hide them from staff who may not see them.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from yakuba.child_allowance.codes import EndReason, PeriodReason, Status, WorkKind, WorkStatus
from yakuba.child_allowance.models import CountedChild, Entitlement, FeedPosition, WorkItem
from yakuba.child_allowance.rules.amounts import year_end_after
from yakuba.child_allowance.services.amounts import month_amount
from yakuba.child_allowance.services.ledger import (
    PURPOSE,
    RESOURCE,
    counted_children,
    current_period,
    earliest_change,
    end,
    revise,
)
from yakuba.child_allowance.services.timing import month_of, next_month, special_deadline
from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage.consumer import Consumer, ResidentChange, resident_change
from yakuba.platform.tenancy.context import require_tenant

TYPES = ("jp.yakuba.registry.resident.",)
SCOPES = frozenset({"registry:read", "registry:protected"})
CHILD_AGE = 18  # a 転入 of someone to the 18歳年度末 raises a 認定請求 item

__all__ = ["CONSUMER", "follow"]


def _is_child(change: ResidentChange) -> bool:
    born = change.birth_date
    return born is not None and (change.move_date.year, change.move_date.month) <= year_end_after(
        born, CHILD_AGE
    )


def _handle(events: list[dict], detail: dict) -> int:
    changes = [(resident_change(e), e["data"]) for e in events]
    atena_nos = {c.atena_no for c, _ in changes}
    setai_nos = {c.setai_no for c, _ in changes if c.setai_no}
    claimants = {
        e.claimant_atena_no: e
        for e in Entitlement.objects.filter(status=Status.ACTIVE, claimant_atena_no__in=atena_nos)
    }
    by_setai = {
        e.setai_no: e for e in Entitlement.objects.filter(status=Status.ACTIVE, setai_no__in=setai_nos)
    }
    counted = {
        c.atena_no: c
        for c in CountedChild.objects.select_related("entitlement").filter(
            atena_no__in=atena_nos, until_month__isnull=True, entitlement__status=Status.ACTIVE
        )
    }
    open_items = set(
        WorkItem.objects.filter(status=WorkStatus.OPEN, setai_no__in=setai_nos).values_list(
            "kind", "setai_no", "event_date"
        )
    )
    work: list[WorkItem] = []
    lg_code = require_tenant().lg_code
    written = 0
    for change, data in changes:
        entitlement = claimants.get(change.atena_no)
        if entitlement is not None and entitlement.status == Status.ACTIVE:
            written += _claimant_event(entitlement, change, data, by_setai)
            continue
        child = counted.get(change.atena_no)
        if change.event == "died" and child is not None:
            written += _child_died(child, change)
            continue
        if change.event not in ("born", "moved-in") or not _is_child(change):
            continue
        receiving = by_setai.get(change.setai_no)
        kind = WorkKind.REVISION if receiving is not None else WorkKind.CLAIM
        if change.event == "moved-in" and (kind, change.setai_no, change.move_date) in open_items:
            continue  # one 認定請求 item per 世帯 and 転入
        open_items.add((kind, change.setai_no, change.move_date))
        work.append(
            WorkItem(
                lg_code=lg_code,
                kind=kind,
                atena_no=change.atena_no,
                setai_no=change.setai_no,
                event=change.event,
                event_date=change.move_date,
                deadline=special_deadline(change.move_date),
                entitlement=receiving,
                source_event=change.event_id,
                created_at=timezone.now(),
            )
        )
    if work:
        WorkItem.objects.bulk_create(work, ignore_conflicts=True)
        record(
            Action.CREATE,
            "child_allowance.work_item",
            subjects=sorted({w.atena_no for w in work}),
            purpose=PURPOSE,
            detail={"work_items": len(work), **detail},
        )
    return written + len(work)


def _claimant_event(entitlement: Entitlement, change: ResidentChange, data: dict, by_setai: dict) -> int:
    """A 受給者's own 異動: 消滅 on 転出 or 死亡; otherwise the 世帯番号 kept current."""
    if change.event == "moved-out":
        planned = data.get("planned_move_out_on") or change.move_date.isoformat()
        on = date.fromisoformat(planned)
        end(entitlement, month_of(on), EndReason.MOVE_OUT, on, source=change.event_id)
        return 1
    if change.event == "died":
        end(
            entitlement, month_of(change.move_date), EndReason.DEATH, change.move_date, source=change.event_id
        )
        return 1
    if change.setai_no and change.setai_no != entitlement.setai_no:
        by_setai.pop(entitlement.setai_no, None)
        entitlement.setai_no = change.setai_no
        entitlement.save(update_fields=["setai_no", "updated_at"])
        by_setai[change.setai_no] = entitlement
        return 1
    return 0


def _child_died(child: CountedChild, change: ResidentChange) -> int:
    """減額 from the month after the death (児童手当法 第9条第3項), or 消滅 with no child paid."""
    entitlement = child.entitlement
    died = month_of(change.move_date)
    child.until_month = max(died, child.from_month)
    child.save(update_fields=["until_month"])
    start = earliest_change(current_period(entitlement), next_month(died))
    amount = month_amount(counted_children([entitlement.id])[entitlement.id], start)
    if not any(c["eligible"] for c in amount.children):
        end(entitlement, died, EndReason.NO_CHILD, change.move_date, source=change.event_id)
    else:
        revise(entitlement, amount, PeriodReason.CHILD_REMOVED)
        record(
            Action.UPDATE,
            RESOURCE,
            subjects=[entitlement.claimant_atena_no, child.atena_no],
            purpose=PURPOSE,
            detail={"entitlement": entitlement.id, "child_died": change.move_date.isoformat()},
        )
    return 1


CONSUMER = Consumer("child_allowance.entitlement", FeedPosition, _handle, TYPES, SCOPES)


# Pages until the feed is caught up (``pages=`` to stop earlier); call with an audit actor bound.
follow = CONSUMER.follow
