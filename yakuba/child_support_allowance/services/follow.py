"""消滅 and 額改定 from the registry: the 受給者's 転出 or 死亡 (or 職権消除) ends the 認定, a
対象児童's lowers the amount from the month after it (``entitlement.revise_for_children``) — read
from the municipality's event feed through the platform's shared consumer (``platform.linkage.consumer``:
a named internal client, one transaction per page with its cursor, resumable after a kill),
like the 国保 資格 consumer.

A 職権消除 (the person no longer lives here) ends it too. The 支給終了月 is the month of the
異動日 (児童扶養手当法 §7①「支給すべき事由が消滅した日の属する月で終わる」); for a 転出 the 異動日
the event carries is the 転出予定日. The page's 受給者 and the 認定 naming its children are loaded
in one query each; an event of a person in no active 認定 changes nothing.
"""

from __future__ import annotations

from yakuba.child_support_allowance.codes import EndReason, Status
from yakuba.child_support_allowance.models import Entitlement, FeedPosition
from yakuba.child_support_allowance.services.ending import end
from yakuba.child_support_allowance.services.entitlement import revise_for_children
from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage.consumer import Consumer, resident_change

PURPOSE = "児童扶養手当の資格管理（住民記録の異動）"
TYPES = ("jp.yakuba.registry.resident.",)
# The persons under 支援措置 too: many 受給者 are (their events are withheld from others).
SCOPES = frozenset({"registry:read", "registry:protected"})
ENDING = {"moved-out": EndReason.MOVE_OUT, "died": EndReason.DEATH, "removed": EndReason.REMOVED}


def _handle(events: list[dict], detail: dict) -> int:
    changes = [c for c in map(resident_change, events) if c.event in ENDING]
    who = [c.atena_no for c in changes]
    active = dict(
        Entitlement.objects.filter(claimant_atena_no__in=who, status=Status.ACTIVE).values_list(
            "claimant_atena_no", "id"
        )
    )
    ended = revised = 0
    for change in changes:
        entitlement_id = active.pop(change.atena_no, None)
        if entitlement_id is not None and end(entitlement_id, ENDING[change.event], change.move_date):
            ended += 1
    # A 対象児童 who left: the 認定 goes on with fewer children from the month after (額改定).
    for entitlement in Entitlement.objects.filter(status=Status.ACTIVE, children__has_any_keys=who):
        revised += revise_for_children(entitlement)
    if ended or revised:
        record(
            Action.UPDATE,
            "child_support_allowance.entitlement",
            purpose=PURPOSE,
            detail={**detail, "ended": ended, "revised": revised},
        )
    return ended + revised


CONSUMER = Consumer("child_support_allowance.follow", FeedPosition, _handle, TYPES, SCOPES)


# Handle pages until the feed is caught up (or ``pages`` of them); call with an audit actor bound.
follow = CONSUMER.follow
