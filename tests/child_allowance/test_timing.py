"""The months of 児童手当: 支給開始月 with the 15日特例, and the helpers around it."""

from __future__ import annotations

from datetime import date

from yakuba.child_allowance.services.timing import first_month, months, next_month, special_deadline


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
