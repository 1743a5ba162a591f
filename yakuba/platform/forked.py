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
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


class WorkerDied(RuntimeError):
    """A worker process ended without its result (killed, out of memory)."""


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def ordered_map(fn: Callable[[T], R], items: Iterable[T], *, workers: int) -> Iterator[R]:
    """``map(fn, items)`` on ``workers`` forked processes (here, when 0), in the order of
    ``items``. At most two items per worker are in flight, so ``items`` is read only as fast as
    results are taken. ``fn`` must be a module-level function; its exceptions reach the caller,
    and a worker that dies raises ``WorkerDied`` (a plain multiprocessing pool would wait for
    its result forever)."""
    if workers < 1 or not can_fork():
        yield from map(fn, items)
        return
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        pending: deque = deque()
        for item in items:
            pending.append(executor.submit(fn, item))
            if len(pending) >= 2 * workers:
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _result(future):
    try:
        return future.result()
    except BrokenProcessPool:
        raise WorkerDied(
            "作業プロセスが異常終了しました（メモリ不足などで強制終了された可能性があります）"
        ) from None
