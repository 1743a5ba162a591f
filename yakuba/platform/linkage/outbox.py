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
    event_type = catalogue.get(type_)
    tenant = require_tenant()
    event = Event.objects.using(tenant.alias).create(
        lg_code=tenant.lg_code,
        type=event_type.type,
        source=f"/yakuba/{tenant.lg_code}/{event_type.domain}",
        subject=str(subject),
        time=timezone.now(),
        data=data or {},
    )
    _dispatch_after_commit(tenant.alias, tenant.lg_code, event.txid)
    return event.event_id


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
