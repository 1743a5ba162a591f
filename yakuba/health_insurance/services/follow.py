"""The 資格 consumer: the municipality's own event feed, read as an outside vendor reads it.

国保 follows the registry's resident events through the platform's shared consumer
(``yakuba.platform.linkage.consumer``: a named internal client, one transaction per page with
its cursor, resumable after a kill) with the cursor kept in its own table (``FeedPosition``).
This module is 国保's page handler: an event carries the person's items after the 異動 (宛名番号,
世帯番号, 異動日, 生年月日, 続柄); what 国保 knows is loaded once per page, and a 世帯 new to 国保 has
its 世帯主 read through the registry's door, in bulk (``Ledger``).
"""

from __future__ import annotations

from collections.abc import Callable

from yakuba.health_insurance.models import FeedPosition
from yakuba.health_insurance.rules import qualification as rules
from yakuba.health_insurance.services.qualification import Ledger
from yakuba.platform.linkage.consumer import PAGE, Consumer, Followed, resident_change

PURPOSE = "国民健康保険の資格管理（住民記録の異動）"
TYPES = ("jp.yakuba.registry.resident.",)
# What the 国保 system needs of a resident event: the items (birth date, 続柄) and the persons
# under 支援措置 too — they are insured like anyone (their events are withheld from others).
SCOPES = frozenset({"registry:read", "registry:protected"})

__all__ = ["CONSUMER", "Followed", "follow", "follow_page", "position"]


def _handle(events: list[dict], detail: dict) -> int:
    changes = [resident_change(e) for e in events]
    ledger = Ledger.load([c.atena_no for c in changes], [c.setai_no for c in changes], purpose=PURPOSE)
    for change in changes:
        actions = rules.decide(
            change,
            ledger.known(change.atena_no),
            household_insured=ledger.household_insured(change.setai_no, besides=change.atena_no),
        )
        ledger.apply(actions, event_id=change.event_id)
    return ledger.flush(detail)


CONSUMER = Consumer("health_insurance.qualification", FeedPosition, _handle, TYPES, SCOPES)


def position(lg_code: str) -> FeedPosition:
    """The consumer's row, created at the feed's start for a municipality that has none."""
    return CONSUMER.row(lg_code)


def follow_page(lg_code: str, *, limit: int = PAGE) -> tuple[int, int, int]:
    """Handle one page after the stored cursor, in one transaction: (events read, handled, 資格 rows)."""
    return CONSUMER.page(lg_code, limit=limit)


def follow(
    lg_code: str,
    *,
    limit: int = PAGE,
    progress: Callable[[int], None] | None = None,
    pages: int | None = None,
) -> Followed:
    """Handle pages until the feed is caught up (or ``pages`` of them); ``progress(n)`` after each
    page with its events. Call with an audit actor bound."""
    return CONSUMER.follow(lg_code, limit=limit, progress=progress, pages=pages)
