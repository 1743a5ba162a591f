"""Fan-out to forked workers: order kept, exceptions and dead workers reported, never a hang."""

from __future__ import annotations

import os

import pytest

from yakuba.platform.forked import WorkerDied, can_fork, ordered_map

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs fork")


def _square(n: int) -> int:
    return n * n


def _fail_at_three(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    return n


def _die_at_three(n: int) -> int:
    if n == 3:
        os._exit(9)  # as the kernel's OOM killer would end it
    return n


def test_results_come_back_in_order_from_workers_or_inline():
    assert list(ordered_map(_square, range(50), workers=2)) == [n * n for n in range(50)]
    assert list(ordered_map(_square, range(5), workers=0)) == [0, 1, 4, 9, 16]


def test_an_exception_in_a_worker_reaches_the_caller():
    with pytest.raises(ValueError, match="three"):
        list(ordered_map(_fail_at_three, range(10), workers=2))


@pytest.mark.timeout(60)
def test_a_worker_that_dies_is_an_error_not_a_hang():
    results = ordered_map(_die_at_three, range(10), workers=2)
    with pytest.raises(WorkerDied, match="作業プロセスが異常終了しました"):
        list(results)
