"""The 印鑑登録 consumer: the registry's resident events, read as an outside vendor reads them
(docs/linkage.md), through the platform's shared consumer (``platform/linkage/consumer.py``: one
transaction per page with its cursor, resumable after a kill).

What one event does to an open registration is ``rules/lifecycle.decide`` (civil-facts §2.5):
転出 → 廃止 from the 転出日, 死亡 and 住民票消除 → 抹消, a new 氏名 the seal no longer shows → 抹消.
A 転居 needs nothing: the address is never copied, a certificate reads it from the registry.
Each page loads the open registrations of its persons in one query and writes its changes in
one statement each, its ENDED events included (one INSERT into the outbox per page).
"""

from __future__ import annotations

from django.utils import timezone

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.linkage.consumer import Consumer, Followed, resident_change
from yakuba.platform.linkage.outbox import emit_many
from yakuba.seal_registration.codes import Status
from yakuba.seal_registration.models import FeedPosition, Registration, RegistrationChange
from yakuba.seal_registration.rules.impression import Name
from yakuba.seal_registration.rules.lifecycle import decide
from yakuba.seal_registration.services.registrations import PURPOSE, RESOURCE, ended_event

TYPES = ("jp.yakuba.registry.resident.",)
# A registrant under 支援措置 is registered like any other: their events too (the 氏名 of a
# 氏 change needs ``registry:read``).
SCOPES = frozenset({"registry:read", "registry:protected"})

__all__ = ["CONSUMER", "Followed", "follow"]


def _handle(events: list[dict], detail: dict) -> int:
    changes = [(resident_change(e), e) for e in events]
    open_rows = {
        row.atena_no: row
        for row in Registration.objects.filter(
            atena_no__in={c.atena_no for c, _e in changes}, status=Status.REGISTERED
        ).defer("image")
    }
    now, actor = timezone.now(), current_actor().name
    ended: list[Registration] = []
    history: list[RegistrationChange] = []
    for change, event in changes:
        row = open_rows.get(change.atena_no)
        if row is None:
            continue
        data = event["data"]
        name = (
            Name(
                data["name"], data.get("former_surname", ""), data.get("alias", ""), data.get("name_kana", "")
            )
            if "name" in data
            else None
        )
        end = decide(change.event, change.move_date, row.seal_text, name)
        if end is None:
            continue
        row.status, row.end_reason, row.ended_on, row.updated_at = end.status, end.reason, end.on, now
        del open_rows[change.atena_no]
        ended.append(row)
        history.append(
            RegistrationChange(
                lg_code=row.lg_code, registration=row, status=end.status, reason=end.reason, on=end.on,
                detail={"event": change.event}, source_event=change.event_id, created_at=now, created_by=actor,
            )
        )  # fmt: skip
    if not ended:
        return 0
    Registration.objects.bulk_update(ended, ["status", "end_reason", "ended_on", "updated_at"])
    RegistrationChange.objects.bulk_create(history)
    emit_many([ended_event(row) for row in ended])
    record(
        Action.UPDATE,
        RESOURCE,
        purpose=PURPOSE,
        subjects=sorted(row.atena_no for row in ended),
        detail={**detail, "ended": len(ended)},
    )
    return len(ended)


CONSUMER = Consumer("seal_registration.registrations", FeedPosition, _handle, TYPES, SCOPES)
# Handle pages until the feed is caught up (call with an audit actor bound).
follow = CONSUMER.follow
