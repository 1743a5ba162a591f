"""消滅 from the registry: the 受給者's 転出 or 死亡 (or 職権消除) ends the 認定, read from the
municipality's event feed through the platform's shared consumer (``platform.linkage.consumer``:
a named internal client, one transaction per page with its cursor, resumable after a kill),
like the 国保 資格 consumer.

A 職権消除 (the person no longer lives here) ends it too. The 支給終了月 is the month of the 異動日 (児童扶養手当法 §7①「支給すべき事由が消滅した日の属する月
で終わる」); for a 転出 the 異動日 the event carries is the 転出予定日. The page's 受給者 are loaded
in one query; an event of a person with no active 認定 changes nothing.
"""

from __future__ import annotations

from yakuba.child_support_allowance.codes import EndReason, Status
from yakuba.child_support_allowance.models import Entitlement, FeedPosition
from yakuba.child_support_allowance.services.entitlement import end
from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage.consumer import Consumer, resident_change

PURPOSE = "児童扶養手当の資格管理（住民記録の異動）"
TYPES = ("jp.yakuba.registry.resident.",)
# The persons under 支援措置 too: many 受給者 are (their events are withheld from others).
SCOPES = frozenset({"registry:read", "registry:protected"})
ENDING = {"moved-out": EndReason.MOVE_OUT, "died": EndReason.DEATH, "removed": EndReason.REMOVED}


def _handle(events: list[dict], detail: dict) -> int:
    changes = [c for c in map(resident_change, events) if c.event in ENDING]
    active = dict(
        Entitlement.objects.filter(
            claimant_atena_no__in=[c.atena_no for c in changes], status=Status.ACTIVE
        ).values_list("claimant_atena_no", "id")
    )
    ended = 0
    for change in changes:
        entitlement_id = active.pop(change.atena_no, None)
        if entitlement_id is not None and end(entitlement_id, ENDING[change.event], change.move_date):
            ended += 1
    if ended:
        record(
            Action.UPDATE,
            "child_support_allowance.entitlement",
            purpose=PURPOSE,
            detail={**detail, "ended": ended},
        )
    return ended


CONSUMER = Consumer("child_support_allowance.follow", FeedPosition, _handle, TYPES, SCOPES)


# Handle pages until the feed is caught up (or ``pages`` of them); call with an audit actor bound.
follow = CONSUMER.follow
