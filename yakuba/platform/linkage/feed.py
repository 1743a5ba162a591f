"""The pull feed (the standard's PULL principle): events after a cursor, oldest first.

Ordering problem: ids from a sequence are assigned at INSERT, but transactions commit in any
order, so a consumer that read up to id 10 would miss id 9 if 9's transaction committed after
10's. The feed therefore orders by commit: each transaction that emitted events gets, at COMMIT
and under a per-municipality lock held until the commit completes, the next position in the
municipality's commit log (``linkage_commit``; positions come from a sequence, so they may have
gaps but never go backwards). A transaction visible to a reader has a lower
position than any transaction not yet visible, so a cursor of (position, seq) never skips an
event. Unrelated transactions — other municipalities, long imports elsewhere — never hold the
feed back. Cursors are ``"<position>.<seq>"``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.db import connections

from yakuba.platform.linkage import catalogue, restricted
from yakuba.platform.tenancy.context import require_tenant

_CURSOR = re.compile(r"^(\d{1,19})\.(\d{1,19})$")
START = "0.0"
MAX_LIMIT = 1000
_MAX = 2**63


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Position:
    position: int
    seq: int

    @property
    def cursor(self) -> str:
        return f"{self.position}.{self.seq}"


def parse_cursor(cursor: str | None) -> Position:
    if not cursor:
        return Position(0, 0)
    m = _CURSOR.match(cursor)
    position, seq = (int(m.group(1)), int(m.group(2))) if m else (-1, -1)
    if not (0 <= position < _MAX and 0 <= seq < _MAX):
        raise BadCursor("カーソルの形式が不正です（前回の next の値をそのまま指定してください）")
    return Position(position, seq)


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


FEED_SQL = """
SELECT e.seq, c.position, e.event_id, e.type, e.source, e.subject, e.time, e.data
  FROM linkage_commit c
  JOIN linkage_event e ON e.lg_code = c.lg_code AND e.txid = c.txid
 WHERE c.lg_code = %(lg)s
   AND c.position >= %(position)s  -- lets the planner walk the commit log by index
   AND (c.position, e.seq) > (%(position)s, %(seq)s)
   AND (cardinality(%(types)s::text[]) = 0 OR e.type LIKE ANY(%(types)s::text[]))
 ORDER BY c.position, e.seq
 LIMIT %(limit)s
"""


@dataclass(frozen=True)
class FeedPage:
    events: list[dict]
    positions: list[Position]
    next: str
    subjects: list[str]


def cloud_event(lg_code: str, row: tuple, *, include_restricted: bool) -> dict:
    _seq, _position, event_id, type_, source, subject, time, data = row
    if isinstance(data, str):  # Django's psycopg set-up leaves jsonb undecoded in raw queries
        data = json.loads(data)
    try:
        hidden = catalogue.get(type_).restricted
    except catalogue.UnknownEventType:
        hidden = ()
    if include_restricted:
        data = restricted.unseal(lg_code, event_id, hidden, data)
    elif hidden:
        data = {k: v for k, v in data.items() if k not in hidden}
    return {
        "specversion": "1.0",
        "id": str(event_id),
        "source": source,
        "type": type_,
        "subject": subject,
        "time": time.isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "lgcode": lg_code,
        "data": data,
    }


def read(
    after: str | Position | None,
    *,
    type_prefixes: list[str] | tuple[str, ...] = (),
    limit: int = 100,
    include_restricted: bool = False,
) -> FeedPage:
    """One page of the current municipality's feed (inside its ``tenant_context``)."""
    tenant = require_tenant()
    position = after if isinstance(after, Position) else parse_cursor(after)
    limit = max(1, min(limit, MAX_LIMIT))
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(
            FEED_SQL,
            {
                "lg": tenant.lg_code,
                "position": position.position,
                "seq": position.seq,
                "limit": limit,
                "types": [_like_prefix(p) for p in type_prefixes if p],
            },
        )
        rows = cursor.fetchall()
    events = [cloud_event(tenant.lg_code, r, include_restricted=include_restricted) for r in rows]
    positions = [Position(r[1], r[0]) for r in rows]
    next_cursor = positions[-1].cursor if positions else position.cursor
    return FeedPage(
        events=events,
        positions=positions,
        next=next_cursor,
        subjects=[e["subject"] for e in events if e["subject"]],
    )
