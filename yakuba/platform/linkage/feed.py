"""The pull feed (the standard's PULL principle): events after a cursor, oldest first.

Ordering problem: ids from a sequence are assigned at INSERT, but transactions commit in any
order. A consumer that read up to id 10 would miss id 9 if 9's transaction committed after
10's. So the feed orders by (transaction id, seq) and serves only transactions older than the
oldest transaction still in progress (``pg_snapshot_xmin``): every transaction below that line
has finished, so nothing can later appear behind a consumer's cursor. A long-running
transaction delays the feed; it never makes it skip. Cursors are ``"<txid>.<seq>"``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.db import connections

from yakuba.platform.linkage import catalogue
from yakuba.platform.tenancy.context import require_tenant

_CURSOR = re.compile(r"^(\d{1,20})\.(\d{1,19})$")
START = "0.0"
MAX_LIMIT = 1000


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Position:
    txid: str
    seq: int

    @property
    def cursor(self) -> str:
        return f"{self.txid}.{self.seq}"


def parse_cursor(cursor: str | None) -> Position:
    if not cursor:
        return Position("0", 0)
    m = _CURSOR.match(cursor)
    txid, seq = (int(m.group(1)), int(m.group(2))) if m else (-1, -1)
    if not (0 <= txid < 2**64 and 0 <= seq < 2**63):
        raise BadCursor("カーソルの形式が不正です（前回の next の値をそのまま指定してください）")
    return Position(str(txid), seq)


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


FEED_SQL = """
SELECT seq, txid::text, event_id, type, source, subject, time, data
  FROM linkage_event
 WHERE lg_code = %(lg)s
   AND (txid, seq) > (%(txid)s::xid8, %(seq)s)
   AND txid < pg_snapshot_xmin(pg_current_snapshot())
   AND (cardinality(%(types)s::text[]) = 0 OR type LIKE ANY(%(types)s::text[]))
 ORDER BY txid, seq
 LIMIT %(limit)s
"""


@dataclass(frozen=True)
class FeedPage:
    events: list[dict]
    positions: list[Position]
    next: str
    subjects: list[str]


def cloud_event(lg_code: str, row: tuple, *, include_restricted: bool) -> dict:
    seq, txid, event_id, type_, source, subject, time, data = row
    if isinstance(data, str):  # Django's psycopg set-up leaves jsonb undecoded in raw queries
        data = json.loads(data)
    if not include_restricted:
        try:
            restricted = catalogue.get(type_).restricted
        except catalogue.UnknownEventType:
            restricted = ()
        if restricted:
            data = {k: v for k, v in data.items() if k not in restricted}
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
                "txid": position.txid,
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
