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
from collections.abc import Callable
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
class Audience:
    """What one client may receive from the feed: the same rule for the pull feed, webhooks and
    redelivery, applied per client at delivery time (docs/reference/contract.md#protected-persons)."""

    scopes: frozenset[str] = frozenset()
    my_number: bool = False

    @classmethod
    def of(cls, client) -> Audience:
        return cls(scopes=frozenset(client.scopes), my_number=client.may_see_my_number())


@dataclass(frozen=True)
class Guard:
    """A domain's protection of the persons its events are about (the registry's 支援措置).

    ``protected(subjects)`` answers, inside the municipality's ``tenant_context``, which of the
    subjects are protected *now*; an event about one of them, or one marked ``"protected": true``
    when it was written, reaches only clients holding ``scope``, with ``"protected": true`` in
    its data. Checking at delivery time withholds also events written before the measure was set
    (the 転入 that brought the person here is exactly what an abuser must not learn).
    """

    prefix: str
    scope: str
    protected: Callable[[set[str]], set[str]]


_GUARDS: list[Guard] = []


def register_guard(guard: Guard) -> Guard:
    """Declared by a domain's AppConfig.ready (the platform knows no domain's rules)."""
    if all(g.prefix != guard.prefix for g in _GUARDS):
        _GUARDS.append(guard)
    return guard


def guard_for(type_: str) -> Guard | None:
    return next((g for g in _GUARDS if type_.startswith(g.prefix)), None)


@dataclass(frozen=True)
class FeedPage:
    """One page: the events this audience receives and their positions; ``next`` is past every
    row read (withheld events included, so a cursor never sticks on them); ``scanned`` rows were
    read (fewer than the limit: the feed is exhausted)."""

    events: list[dict]
    positions: list[Position]
    next: str
    subjects: list[str]
    scanned: int = 0


def _data(data: object) -> dict:
    # Django's psycopg set-up leaves jsonb undecoded in raw queries.
    return json.loads(data) if isinstance(data, str) else data


def deliverable(lg_code: str, rows: list[tuple], audience: Audience) -> list[tuple[tuple, dict]]:
    """(row, CloudEvent) for each feed row this audience may receive, in order.

    One query per guard for the whole page, not one per event.
    """
    subjects: dict[int, set[str]] = {}
    for index, guard in enumerate(_GUARDS):
        wanted = {r[5] for r in rows if r[5] and r[3].startswith(guard.prefix)}
        subjects[index] = guard.protected(wanted) if wanted else set()
    out = []
    for row in rows:
        guard = guard_for(row[3])
        protected = guard is not None and (
            bool(_data(row[7]).get("protected")) or row[5] in subjects[_GUARDS.index(guard)]
        )
        if protected and guard.scope not in audience.scopes:
            continue
        event = cloud_event(lg_code, row, audience)
        if protected:  # whatever else the client's scopes leave out of the data
            event["data"]["protected"] = True
        out.append((row, event))
    return out


def cloud_event(lg_code: str, row: tuple, audience: Audience) -> dict:
    """The CloudEvent of one feed row, its data reduced to what ``audience`` may see (the
    protection rule is ``deliverable``'s)."""
    _seq, _position, event_id, type_, source, subject, time, data = row
    data = _data(data)
    try:
        event_type = catalogue.get(type_)
    except catalogue.UnknownEventType:
        event_type = None
    hidden = event_type.restricted if event_type else ()
    if audience.my_number:
        data = restricted.unseal(lg_code, event_id, hidden, data)
    elif hidden:
        data = {k: v for k, v in data.items() if k not in hidden}
    if event_type and event_type.data_scope and event_type.data_scope not in audience.scopes:
        data = {k: v for k, v in data.items() if k in event_type.public}
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


HEAD_SQL = """
SELECT c.position, e.seq
  FROM linkage_commit c
  JOIN linkage_event e ON e.lg_code = c.lg_code AND e.txid = c.txid
 WHERE c.lg_code = %(lg)s
 ORDER BY c.position DESC, e.seq DESC
 LIMIT 1
"""


def head() -> str:
    """The cursor of the newest committed event of the current municipality (``START`` if none).

    A 全件 file records it before reading its rows: a consumer that loads the file and then
    reads the feed from this cursor misses nothing — events committed while the file was being
    written come again, and carry the 履歴番号 that tells they are already in the file.
    """
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(HEAD_SQL, {"lg": tenant.lg_code})
        row = cursor.fetchone()
    return Position(row[0], row[1]).cursor if row else START


def read(
    after: str | Position | None,
    *,
    type_prefixes: list[str] | tuple[str, ...] = (),
    limit: int = 100,
    audience: Audience = Audience(),
) -> FeedPage:
    """One page of the current municipality's feed (inside its ``tenant_context``), as
    ``audience`` may receive it (by default: no restricted data, no protected persons)."""
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
    delivered = deliverable(tenant.lg_code, rows, audience)
    events = [event for _row, event in delivered]
    return FeedPage(
        events=events,
        positions=[Position(r[1], r[0]) for r, _event in delivered],
        next=Position(rows[-1][1], rows[-1][0]).cursor if rows else position.cursor,
        subjects=[e["subject"] for e in events if e["subject"]],
        scanned=len(rows),
    )
