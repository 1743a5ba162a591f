"""The 在外選挙人名簿's consumer of the registry's events (platform/linkage/consumer.py: one
transaction per page with its cursor, resumable): a 国外転出 (a ``moved-out`` event whose 消除事由
is 国外転出) of a Japanese national who is 18 by the 転出予定日 raises a 出国時申請 work item — the
person may apply from the 転出届's day (the event's day) to the 転出予定日 (civil-facts §1.4,
§1.8); a ``canceled`` 異動 withdraws the person's open items.

Whether the person is on the 選挙人名簿 is asked when they apply (``applications``), not per event:
a page of events makes no query per person.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from yakuba.overseas_electors.codes import LeadStatus
from yakuba.overseas_electors.models import DepartureLead, FeedPosition
from yakuba.overseas_electors.rules import eligibility
from yakuba.overseas_electors.services.applications import JAPANESE, MOVE_OUT_ABROAD
from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage.consumer import Consumer, resident_change
from yakuba.platform.tenancy.context import require_tenant

TYPES = ("jp.yakuba.registry.resident.moved-out.", "jp.yakuba.registry.resident.canceled.")
# A person under 支援措置 may apply like anyone: their events too.
SCOPES = frozenset({"registry:read", "registry:protected"})
RESOURCE = "overseas_electors.lead"


def _lead(change, event: dict, lg_code: str) -> DepartureLead | None:
    data = event["data"]
    if data.get("removal_reason") != MOVE_OUT_ABROAD or str(data.get("resident_type")) != str(JAPANESE):
        return None
    planned = date.fromisoformat(data.get("planned_move_out_on") or data["move_date"])
    if (
        change.birth_date is None
        or eligibility.age_reached_on(change.birth_date, eligibility.VOTING_AGE) > planned
    ):
        return None
    return DepartureLead(
        lg_code=lg_code,
        atena_no=change.atena_no,
        filed_on=timezone.localdate(datetime.fromisoformat(event["time"].replace("Z", "+00:00"))),
        planned_on=planned,
        source_event=change.event_id,
        created_at=timezone.now(),
    )


def _handle(events: list[dict], detail: dict) -> int:
    """In the page's order: a 国外転出 adds an item; a 取消し that leaves the person no longer
    moving abroad withdraws theirs (the page's own and the stored open ones)."""
    lg_code = require_tenant().lg_code
    leads: dict[str, DepartureLead] = {}
    withdrawn: set[str] = set()
    for event in events:
        change = resident_change(event)
        if change.event == "canceled":
            if event["data"].get("removal_reason") != MOVE_OUT_ABROAD:
                leads.pop(change.atena_no, None)
                withdrawn.add(change.atena_no)
        elif (lead := _lead(change, event, lg_code)) is not None:
            leads[change.atena_no] = lead
    closed = (
        DepartureLead.objects.filter(atena_no__in=withdrawn, status=LeadStatus.OPEN).update(
            status=LeadStatus.CANCELED
        )
        if withdrawn
        else 0
    )
    made = DepartureLead.objects.bulk_create(leads.values(), ignore_conflicts=True)
    if leads or closed:
        record(Action.CREATE, RESOURCE, purpose="出国時申請の案内", subjects=sorted(leads),
               detail={**detail, "leads": len(leads), "withdrawn": closed})  # fmt: skip
    return len(made) + closed


CONSUMER = Consumer("overseas_electors.departures", FeedPosition, _handle, TYPES, SCOPES)
follow = CONSUMER.follow
