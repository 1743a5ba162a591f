"""One machinery for the domains that follow the municipality's own event feed (国保, 後期, 介護 …).

"Our own domains consume the same feed an outside vendor does" (docs/linkage.md): a consumer is
a named internal client — its name, the event types it reads and the scopes it holds (what
``feed.read`` may deliver to it, protected persons included when it holds
``registry:protected``) — and a page handler of its domain. Each page is one transaction: the
domain's changes, the events it emits and the new cursor commit together, so a consumer killed
at any point resumes after the last page it committed, with nothing lost or doubled.

The cursor stays in a table of the consuming domain (``FeedCursor``, abstract; 国保's
``FeedPosition`` predates it with the same columns), not in one platform table: a domain's
progress is part of its own data — dropped, restored or re-seeded with its 資格 rows (the resume
tests reset both together), and the row lock that serialises two runs of one consumer is taken
on the domain's own row. The protocol a cursor model keeps is three columns: ``lg_code``
(unique), ``cursor`` and ``events``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from yakuba.platform.linkage import feed
from yakuba.platform.linkage.resident import ResidentChange, resident_change
from yakuba.platform.tenancy.context import tenant_context
from yakuba.platform.tenancy.models import TenantModel

PAGE = 500
__all__ = ["PAGE", "Consumer", "FeedCursor", "Followed", "ResidentChange", "resident_change"]


class FeedCursor(TenantModel):
    """How far one domain's consumer has read the municipality's feed: stored in the same
    transaction as the page's changes."""

    cursor = models.CharField("カーソル", max_length=41, default="")
    events = models.BigIntegerField("処理したイベント", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [models.UniqueConstraint(fields=["lg_code"], name="%(app_label)s_feed_one")]


@dataclass(frozen=True)
class Followed:
    events: int  # handled by this call
    total: int  # handled since the consumer began
    changes: int  # rows the handler wrote in this call
    cursor: str


@dataclass(frozen=True)
class Consumer:
    """A named internal client of the feed. ``handle(events, detail)`` applies one page's events
    in the caller's transaction (``detail``: the cursors, for the domain's audit row) and returns
    the rows it wrote; ``position`` is the domain's cursor model."""

    client: str
    position: type[models.Model]
    handle: Callable[[list[dict], dict], int]
    types: tuple[str, ...]
    scopes: frozenset[str]

    @property
    def audience(self) -> feed.Audience:
        return feed.Audience(scopes=self.scopes)

    def row(self, lg_code: str):
        """The consumer's row, created at the feed's start for a municipality that has none."""
        with tenant_context(lg_code):
            row, _ = self.position.objects.get_or_create(lg_code=lg_code)
            return row

    def start_at_head(self, lg_code: str) -> None:
        """Before a 全件 seed (docs/linkage.md, "Start from a 全件 file"): a consumer with no
        cursor yet starts at the feed's head, so following it afterwards misses nothing."""
        with tenant_context(lg_code):
            row, created = self.position.objects.get_or_create(lg_code=lg_code)
            if created or not row.cursor:
                row.cursor = feed.head()
                row.save(update_fields=["cursor"])

    def page(self, lg_code: str, *, limit: int = PAGE) -> tuple[int, int, int]:
        """One page after the stored cursor, in one transaction: (events read, handled, rows)."""
        with tenant_context(lg_code):
            row = self.position.objects.select_for_update().get(lg_code=lg_code)
            page = feed.read(row.cursor, type_prefixes=self.types, limit=limit, audience=self.audience)
            if not page.scanned:
                return 0, 0, 0
            written = self.handle(page.events, {"after": row.cursor, "next": page.next})
            row.cursor = page.next
            row.events += len(page.events)
            row.save(update_fields=["cursor", "events", "updated_at"])
            return page.scanned, len(page.events), written

    def follow(
        self,
        lg_code: str,
        *,
        limit: int = PAGE,
        progress: Callable[[int], None] | None = None,
        pages: int | None = None,
    ) -> Followed:
        """Handle pages until the feed is caught up (or ``pages`` of them); ``progress(n)`` after
        each page with its events. Call with an audit actor bound."""
        start = self.row(lg_code)
        events = changes = done = 0
        while pages is None or done < pages:
            scanned, handled, written = self.page(lg_code, limit=limit)
            if not scanned:
                break
            done += 1
            events, changes = events + handled, changes + written
            if progress is not None:
                progress(handled)
        end = self.row(lg_code)
        return Followed(events, end.events, changes, end.cursor or start.cursor)
