"""The months of 児童手当: 支給開始月 with the 15日特例, and the helpers around it."""

from __future__ import annotations

import random
from datetime import date

import pytest

from yakuba.child_allowance.services.amounts import Counted, change_months, month_amount
from yakuba.child_allowance.services.timing import first_month, month_of, months, next_month, special_deadline


def test_payment_starts_the_month_after_the_claim():
    assert first_month(date(2025, 5, 20)) == date(2025, 6, 1)
    assert first_month(date(2025, 12, 31)) == date(2026, 1, 1)


def test_the_15_day_rule_counts_from_the_day_after_the_event():
    """Born 3月25日: day 1 is 3月26日, the 15th day 4月9日 (https://www.city.miki.lg.jp/site/kosodateouen/10469.html)."""
    born = date(2025, 3, 25)
    assert special_deadline(born) == date(2025, 4, 9)
    assert first_month(date(2025, 4, 9), born) == date(2025, 4, 1)  # the month after the birth
    assert first_month(date(2025, 4, 10), born) == date(2025, 5, 1)  # one day late: after the claim
    assert first_month(date(2025, 3, 31), born) == date(2025, 4, 1)  # same month: no difference


def test_a_move_in_counts_from_the_day_after_the_planned_move_out():
    """転出予定日 5月31日, 転入 6月2日, 請求 6月15日 → 6月分から (not 7月)."""
    assert first_month(date(2025, 6, 15), date(2025, 5, 31)) == date(2025, 6, 1)
    assert first_month(date(2025, 6, 16), date(2025, 5, 31)) == date(2025, 7, 1)


def test_month_helpers():
    assert next_month(date(2024, 1, 31)) == date(2024, 2, 1)
    assert months(date(2025, 11, 1), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


@pytest.mark.parametrize("seed", range(40))
def test_the_age_review_months_are_every_month_an_amount_changes(seed):
    """``change_months`` (what the age review computes) holds every month whose amount differs
    from the month before's, checked against every month of 2012-05〜2027-03 for random families
    (births 1992〜2026, the 確認書, children counted from and until random months)."""
    rng = random.Random(seed)
    children = []
    for i in range(rng.randint(1, 5)):
        born = date(rng.randint(1992, 2026), rng.randint(1, 12), rng.choice((1, 2, 15, 28)))
        start = (
            max(month_of(born), date(2012, 4, 1))
            if rng.random() < 0.7
            else date(2012 + rng.randint(0, 14), rng.randint(1, 12), 1)
        )
        until = None if rng.random() < 0.7 else date(rng.randint(2013, 2026), rng.randint(1, 12), 1)
        if until is not None and until < start:
            until = None
        children.append(
            Counted(str(i), f"子{i}", born, rng.random() < 0.5, max(start, month_of(born)), until)
        )
    every = months(date(2012, 4, 1), date(2027, 3, 1))
    keys = [month_amount(children, m).key for m in every]
    changed = {m for m, before, now in zip(every[1:], keys, keys[1:], strict=False) if before != now}
    assert changed <= set(change_months(children, date(2012, 4, 1), date(2027, 3, 1)))
