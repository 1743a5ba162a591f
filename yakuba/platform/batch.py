"""Resumable annual batches (当初課税, 本算定 …): the pages of a run calculated — on forked workers
if asked (``forked.ordered_map``) — and each written in one transaction together with the run's
position, so a run killed at any point resumes after the last page it wrote and ends with the
rows an uninterrupted run writes.

A run is a row of the domain's own table with a ``state`` (``running`` / ``done``), a
``finished_at`` and a position column (the last key written). A page is anything with ``after``
(the position it starts from) and ``last`` (the position it ends at). Two processes running the
same run: the later one finds the position moved under it and stops with ``RunConflict``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils import timezone

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.bulk import copy_insert
from yakuba.platform.errors import RunConflict
from yakuba.platform.forked import ordered_map
from yakuba.platform.linkage import outbox
from yakuba.platform.tenancy.context import tenant_context

DONE = "done"


def open_run(lg_code: str, model, **key):
    """The run of ``key`` (e.g. ``fiscal_year=2026``), created on first use by the bound actor."""
    with tenant_context(lg_code):
        run, _created = model.objects.get_or_create(
            **key, defaults={"lg_code": lg_code, "created_by": current_actor().name}
        )
    return run


def write_page(
    model, columns: list[str], rows: list[tuple], events: list, page, *, resource: str, purpose: str, **detail
) -> None:
    """A page's rows by COPY, its events and one audit row naming the range it covered."""
    copy_insert(model._meta.db_table, columns, rows)
    record(
        Action.CREATE,
        resource,
        purpose=purpose,
        detail={"after": page.after, "through": page.last, "count": len(rows), **detail},
    )
    if events:
        outbox.emit_many(events)


def run_pages(
    lg_code: str,
    run,
    *,
    position: str,
    pages: Iterable,
    calculate: Callable,
    write: Callable,
    conflict: str,
    workers: int = 0,
    progress: Callable[[int], None] | None = None,
):
    """Calculate each page (``calculate(page)`` → a result whose last item is the page, pure: it
    may run in a forked worker) and ``write(run, result)`` it under the locked run row, in one
    transaction with the run's new position; ``write`` updates the run's counters and returns
    how far the progress bar moves. Returns the run, ``done`` at the end."""
    model = type(run)
    for result in ordered_map(calculate, pages, workers=workers):
        page = result[-1]
        with tenant_context(lg_code):
            run = model.objects.select_for_update().get(pk=run.pk)
            if getattr(run, position) != page.after:
                raise RunConflict(conflict)
            moved = write(run, result)
            setattr(run, position, page.last)
            run.save()
        if progress is not None:
            progress(moved)
    with tenant_context(lg_code):
        run = model.objects.select_for_update().get(pk=run.pk)
        if run.state != DONE:
            run.state, run.finished_at = DONE, timezone.now()
            run.save(update_fields=["state", "finished_at"])
    return run
