"""The clerk's work the registry leaves (``follow``): a child in care who moved out or died —
the 認定 and the 利用者負担 were ended; the clerk tells the 施設 and the family, then closes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from yakuba.childcare.models import WorkItem, WorkStatus
from yakuba.childcare.services.common import PURPOSE, listed_names
from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import require_tenant

EVENTS = {"moved-out": "転出", "died": "死亡"}


@dataclass(frozen=True)
class Work:
    id: int
    atena_no: str  # the child's
    name: str  # "" for a child hidden from the caller by 支援措置
    certificate_no: str
    event: str  # 転出, 死亡
    event_date: date
    last_month: date  # the last month of 利用者負担


def open_work(*, after: int = 0, limit: int = 50, protected: bool = False) -> list[Work]:
    """The open items after ``after`` (their id, oldest first): a keyset page in two queries and
    one audit row whatever its size."""
    page = list(WorkItem.objects.filter(status=WorkStatus.OPEN, id__gt=after).order_by("id")[:limit])
    names = listed_names([w.atena_no for w in page], "childcare.work_item", protected=protected)
    return [
        Work(
            w.id,
            w.atena_no,
            names.get(w.atena_no, ""),
            w.certificate_no,
            EVENTS[w.event],
            w.event_date,
            w.last_month,
        )
        for w in page
    ]


def count_open_work() -> int:
    return WorkItem.objects.filter(status=WorkStatus.OPEN).count()


def close_work(item_id: int) -> bool:
    """Close an open item (one transaction with its audit row); False when none is open."""
    with transaction.atomic(using=require_tenant().alias):
        item = WorkItem.objects.select_for_update().filter(id=item_id, status=WorkStatus.OPEN).first()
        if item is None:
            return False
        item.status, item.closed_at = WorkStatus.CLOSED, timezone.now()
        item.save(update_fields=["status", "closed_at"])
        record(
            Action.UPDATE,
            "childcare.work_item",
            subjects=[item.atena_no],
            purpose=PURPOSE,
            detail={"id": item_id},
        )
    return True
