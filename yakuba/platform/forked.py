"""CPU-bound Python work fanned out to forked processes, results in order, memory bounded.

A bulk load on a 2-core machine has the database idle while Python prepares rows; handing the
preparation to worker processes uses the other core. Workers are forked, so they share this
process's configuration (data keys, settings) exactly; they never touch the database
connection they inherit and end with ``os._exit`` (multiprocessing's fork start), so nothing
of it is closed from them.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def ordered_map(fn: Callable[[T], R], items: Iterable[T], *, workers: int) -> Iterator[R]:
    """``map(fn, items)`` on ``workers`` forked processes (here, when 0), in the order of
    ``items``. At most two items per worker are in flight, so ``items`` is read only as fast as
    results are taken. ``fn`` must be a module-level function; its exceptions reach the caller."""
    if workers < 1 or not can_fork():
        yield from map(fn, items)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:  # terminated on leaving
        pending: deque = deque()
        for item in items:
            pending.append(pool.apply_async(fn, (item,)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
