"""``emit``: record an event in the same transaction as the change (transactional outbox).

No change without its event, no event without its change: the row is written by the caller's
``tenant_context`` transaction, so a rolled-back change emits nothing and a committed one
always has its event (docs/reference/contract.md#events). Restricted fields (個人番号) are stored
encrypted (``restricted``).
"""

from __future__ import annotations

import json
import uuid

from django.db import connections, transaction
from django.utils import timezone

from yakuba.platform.ids import uuid7
from yakuba.platform.linkage import catalogue, restricted
from yakuba.platform.prepared import prepared_cursor
from yakuba.platform.tenancy.context import require_tenant


def emit(type_: str, *, subject: str = "", data: dict | None = None) -> uuid.UUID:
    """Write one event of a catalogued type for the current municipality; returns its id."""
    return emit_many([(type_, subject, data)])[0]


# Rows travel as one JSON parameter, so the statement text is the same for any number of
# events; ORDINALITY keeps their order in ``seq``. Parameters are named ``event_…`` so that a
# domain's write statement can carry this INSERT as one of its CTEs (see ``prepare``).
INSERT_SQL = """
    INSERT INTO linkage_event (lg_code, event_id, type, source, subject, time, data)
    SELECT %(event_lg_code)s, e.event_id, e.type, e.source, e.subject, %(event_time)s, e.data
      FROM ROWS FROM (jsonb_to_recordset(%(events)s::jsonb)
                      AS (event_id uuid, type text, source text, subject text, data jsonb))
           WITH ORDINALITY AS e(event_id, type, source, subject, data, n)
     ORDER BY e.n
    RETURNING txid
"""


def prepare(events: list[tuple[str, str, dict | None]]) -> tuple[list[uuid.UUID], dict]:
    """(ids, parameters of ``INSERT_SQL``) for several events (type, subject, data).

    For a write that is one statement (a 異動): it embeds ``INSERT_SQL`` as a CTE with these
    parameters — one round trip less while its locks are held — and hands the returned txid
    to ``inserted``. Anything else calls ``emit_many``.
    """
    tenant = require_tenant()
    ids = [uuid7() for _ in events]
    rows = []
    for event_id, (type_, subject, data) in zip(ids, events, strict=True):
        event_type = catalogue.get(type_)
        rows.append(
            {
                "event_id": str(event_id),
                "type": event_type.type,
                "source": f"/yakuba/{tenant.lg_code}/{event_type.domain}",
                "subject": str(subject),
                "data": restricted.seal(tenant.lg_code, event_id, event_type.restricted, data or {}),
            }
        )
    params = {
        "event_lg_code": tenant.lg_code,
        "event_time": timezone.now(),
        "events": json.dumps(rows, ensure_ascii=False),
    }
    return ids, params


def emit_many(events: list[tuple[str, str, dict | None]]) -> list[uuid.UUID]:
    """Write several events (type, subject, data) in one INSERT; returns their ids in order.

    A plain INSERT rather than the ORM, as every change emits through here.
    """
    if not events:
        return []
    ids, params = prepare(events)
    with prepared_cursor(require_tenant().alias) as cursor:
        cursor.execute(INSERT_SQL, params)
        inserted(cursor.fetchone()[0])
    return ids


def inserted(txid: object) -> None:
    """Events were written by transaction ``txid`` (None: none were): dispatch after commit."""
    if txid is not None:
        tenant = require_tenant()
        _dispatch_after_commit(tenant.alias, tenant.lg_code, str(txid))


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
