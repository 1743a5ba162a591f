"""``emit``: record an event in the same transaction as the change (transactional outbox).

No change without its event, no event without its change: the row is written by the caller's
``tenant_context`` transaction, so a rolled-back change emits nothing and a committed one
always has its event (ARCHITECTURE "Linkage").
"""

from __future__ import annotations

import uuid

from django.db import connections, transaction
from django.utils import timezone

from yakuba.platform.linkage import catalogue
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import require_tenant


def emit(type_: str, *, subject: str = "", data: dict | None = None) -> uuid.UUID:
    """Write one event of a catalogued type for the current municipality; returns its id."""
    return emit_many([(type_, subject, data)])[0]


def emit_many(events: list[tuple[str, str, dict | None]]) -> list[uuid.UUID]:
    """Write several events (type, subject, data) in one INSERT; returns their ids in order."""
    tenant = require_tenant()
    now = timezone.now()
    rows = []
    for type_, subject, data in events:
        event_type = catalogue.get(type_)
        rows.append(
            Event(
                lg_code=tenant.lg_code,
                type=event_type.type,
                source=f"/yakuba/{tenant.lg_code}/{event_type.domain}",
                subject=str(subject),
                time=now,
                data=data or {},
            )
        )
    created = Event.objects.using(tenant.alias).bulk_create(rows)
    if created:
        _dispatch_after_commit(tenant.alias, tenant.lg_code, created[0].txid)
    return [e.event_id for e in created]


def _dispatch_after_commit(alias: str, lg_code: str, txid: str) -> None:
    # One dispatch job per committed transaction, however many events it emitted. The marker
    # is keyed by transaction id, so a rolled-back transaction leaves nothing that could
    # suppress the next one's dispatch.
    connection = connections[alias]
    pending = connection.__dict__.setdefault("yakuba_dispatch_marks", set())
    key = (lg_code, txid)
    if key in pending:
        return
    if len(pending) > 1000:  # marks of rolled-back transactions: never needed again
        pending.clear()
    pending.add(key)

    def after_commit() -> None:
        pending.discard(key)
        from yakuba.platform.linkage.tasks import schedule_dispatch

        schedule_dispatch(lg_code)

    transaction.on_commit(after_commit, using=alias)
