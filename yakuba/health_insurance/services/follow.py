"""The 資格 consumer: the municipality's own event feed, read as an outside vendor reads it.

"Our own domains consume the same feed an outside vendor does" (docs/linkage.md): 国保 follows
the registry's resident events with ``yakuba.platform.linkage.feed.read`` and a cursor kept in
its own table. Each page is one transaction — the 資格 changes, the work items, the emitted
events and the new cursor together — so a consumer killed at any point resumes after the last
page it committed, with no change lost or doubled. An event carries the person's items after the
異動 (宛名番号, 世帯番号, 異動日, 生年月日, 続柄); what 国保 knows is loaded once per page, and a 世帯
new to 国保 has its 世帯主 read through the registry's door, in bulk (``Ledger``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from yakuba.health_insurance.models import FeedPosition
from yakuba.health_insurance.rules import qualification as rules
from yakuba.health_insurance.services.qualification import Ledger
from yakuba.platform.linkage import feed
from yakuba.platform.tenancy.context import tenant_context

PURPOSE = "国民健康保険の資格管理（住民記録の異動）"
TYPES = ("jp.yakuba.registry.resident.",)
# What the 国保 system needs of a resident event: the items (birth date, 続柄) and the persons
# under 支援措置 too — they are insured like anyone (their events are withheld from others).
AUDIENCE = feed.Audience(scopes=frozenset({"registry:read", "registry:protected"}))
PAGE = 500


@dataclass(frozen=True)
class Followed:
    events: int  # handled by this call
    total: int  # handled since the consumer began
    changes: int  # 資格 rows written by this call
    cursor: str


def _change(event: dict) -> rules.RegistryChange:
    data = event["data"]
    verb = event["type"].removeprefix(TYPES[0]).rsplit(".", 1)[0]
    return rules.RegistryChange(
        event_id=event["id"],
        event=verb,
        atena_no=data["atena_no"],
        setai_no=data.get("setai_no", ""),
        move_date=date.fromisoformat(data["move_date"]),
        birth_date=_date(data.get("birth_date", "")),
        relationship=data.get("relationship", ""),
    )


def _date(text: str) -> date | None:
    """The registry's 生年月日, or None when it holds one as text (不詳)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def position(lg_code: str) -> FeedPosition:
    """The consumer's row, created at the feed's start for a municipality that has none."""
    with tenant_context(lg_code):
        row, _ = FeedPosition.objects.get_or_create(lg_code=lg_code)
        return row


def follow_page(lg_code: str, *, limit: int = PAGE) -> tuple[int, int, int]:
    """Handle one page after the stored cursor, in one transaction: (events read, handled, 資格 rows)."""
    with tenant_context(lg_code):
        row = FeedPosition.objects.select_for_update().get(lg_code=lg_code)
        page = feed.read(row.cursor, type_prefixes=TYPES, limit=limit, audience=AUDIENCE)
        if not page.scanned:
            return 0, 0, 0
        changes = [_change(e) for e in page.events]
        ledger = Ledger.load([c.atena_no for c in changes], [c.setai_no for c in changes], purpose=PURPOSE)
        for change in changes:
            actions = rules.decide(
                change,
                ledger.known(change.atena_no),
                household_insured=ledger.household_insured(change.setai_no, besides=change.atena_no),
            )
            ledger.apply(actions, event_id=change.event_id)
        written = ledger.flush({"after": row.cursor, "next": page.next})
        row.cursor = page.next
        row.events += len(changes)
        row.save(update_fields=["cursor", "events", "updated_at"])
        return page.scanned, len(changes), written


def follow(
    lg_code: str,
    *,
    limit: int = PAGE,
    progress: Callable[[int], None] | None = None,
    pages: int | None = None,
) -> Followed:
    """Handle pages until the feed is caught up (or ``pages`` of them); ``progress(n)`` after each
    page with its events. Call with an audit actor bound."""
    start = position(lg_code)
    events = changes = done = 0
    while pages is None or done < pages:
        scanned, handled, written = follow_page(lg_code, limit=limit)
        if not scanned:
            break
        done += 1
        events, changes = events + handled, changes + written
        if progress is not None:
            progress(handled)
    end = position(lg_code)
    return Followed(events, end.events, changes, end.cursor or start.cursor)
