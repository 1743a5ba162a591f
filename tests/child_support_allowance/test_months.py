"""The month rules of the 児童扶養手当 (rules/months.py) and the 所得 taken from the tax app's
figures (rules/income.py) — each at its boundary (facts §7, §1.2)."""

from __future__ import annotations

from datetime import date

import pytest

from yakuba.child_support_allowance.rules import months
from yakuba.child_support_allowance.rules.income import Dependants, dependants_of, split_income


@pytest.mark.parametrize(
    ("claimed", "first"),
    [
        (date(2025, 6, 1), date(2025, 7, 1)),
        (date(2025, 6, 30), date(2025, 7, 1)),
        (date(2025, 12, 31), date(2026, 1, 1)),
    ],
)
def test_payment_starts_the_month_after_the_claim(claimed, first):
    assert months.month_after(claimed) == first


@pytest.mark.parametrize(
    ("month", "year"),
    [
        (date(2025, 10, 1), 2024),
        (date(2025, 11, 1), 2025),
        (date(2026, 1, 1), 2025),
        (date(2026, 10, 1), 2025),
    ],
)
def test_the_benefit_year_runs_november_to_october(month, year):
    assert months.benefit_year_of(month) == year
    assert months.benefit_year_span(year)[0] <= month <= months.benefit_year_span(year)[1]


@pytest.mark.parametrize(
    ("paid_in", "covered"),
    [
        (date(2026, 1, 1), (date(2025, 11, 1), date(2025, 12, 1))),
        (date(2025, 5, 1), (date(2025, 3, 1), date(2025, 4, 1))),
        (date(2025, 11, 1), (date(2025, 9, 1), date(2025, 10, 1))),
    ],
)
def test_an_odd_month_pays_the_two_before_it(paid_in, covered):
    assert months.months_paid_in(paid_in) == covered


def test_an_even_month_pays_nothing():
    with pytest.raises(ValueError, match="奇数月"):
        months.months_paid_in(date(2025, 12, 1))


@pytest.mark.parametrize(
    ("birth", "last"),
    [
        (date(2007, 4, 1), date(2025, 3, 1)),  # reaches 18 on 2025-03-31: leaves a year before
        (date(2007, 4, 2), date(2026, 3, 1)),  # reaches 18 on 2025-04-01
        (date(2008, 2, 29), date(2026, 3, 1)),  # 2月29日: reaches 18 on 2026-02-28
        (date(2008, 3, 1), date(2026, 3, 1)),
    ],
)
def test_a_child_counts_to_the_march_after_reaching_18(birth, last):
    assert months.last_child_month(birth) == last


def test_the_income_other_than_salary_and_pension_is_the_rest_of_the_total():
    assert split_income(3_000_000, 2_000_000, 500_000) == {
        "salary_income": 2_000_000,
        "public_pension_income": 500_000,
        "other_income": 500_000,
    }
    # A loss elsewhere (合計所得 below the parts) never makes another income negative.
    assert split_income(1_000_000, 1_200_000, 0)["other_income"] == 0


def test_dependants_count_the_young_and_join_elderly_with_cohabiting_parents():
    counts = {"general": 1, "specific": 1, "elderly": 1, "cohabiting_parent": 1, "young": 2}
    assert dependants_of(counts) == Dependants(total=6, elderly=2, specific=1)
    assert dependants_of(None) == Dependants(0, 0, 0)
