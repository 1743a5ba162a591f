"""One test per rule of yakuba/child_support_allowance/rules (facts §7, §10 item 9): each would
fail if the rule were wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.child_support_allowance.conftest import allowance
from yakuba.child_support_allowance.rules.allowance import round_10
from yakuba.child_support_allowance.rules.parameters import UnknownMonth, for_month, supported_months
from yakuba.child_support_allowance.services import SupportAllowanceIn, calculate_support_allowance
from yakuba.platform.calculations import CalculationRejected


def test_ten_man_comes_off_salary_and_pension_income_together_and_no_more():
    # 平戸市: 「2,800,000円 − 100,000円（給与所得の…）」; 公的年金等 shares the same 10万円.
    assert allowance(salary_income=2_800_000)["income_for_test"] == 2_800_000 - 100_000 - 80_000
    both = allowance(salary_income=60_000, public_pension_income=60_000, other_income=500_000)
    assert both["income_for_test"] == 120_000 - 100_000 + 500_000 - 80_000
    small = allowance(salary_income=30_000, other_income=500_000)
    assert small["income_for_test"] == 500_000 - 80_000  # the 10万円 never eats other income


def test_child_support_counts_at_eighty_percent():
    assert allowance(other_income=1_000_000, child_support_received_annual=300_001)["income_for_test"] == (
        1_000_000 + 240_000 - 80_000  # 300,001 × 0.8 = 240,000.8, truncated
    )


def test_flat_eighty_thousand_and_other_deductions_are_subtracted_never_below_zero():
    assert allowance(other_income=1_000_000, other_deductions=270_000)["income_for_test"] == 650_000
    assert allowance(other_income=50_000)["income_for_test"] == 0


def test_limits_rise_by_38man_per_dependant_and_by_the_elderly_and_specific_additions():
    base = allowance("2025-04", dependants=0)["limits"]
    assert base == {"全部支給": 690_000, "一部支給": 2_080_000}
    assert allowance("2025-04", dependants=5)["limits"] == {"全部支給": 2_590_000, "一部支給": 3_980_000}
    body = {
        "month": "2025-04",
        "children": 1,
        "dependants": 2,
        "elderly_dependants": 1,
        "specific_dependants": 1,
    }
    out = calculate_support_allowance(SupportAllowanceIn.model_validate({**body, "claimant": "mother"}))
    # 東金市: +老人扶養親族数×100,000円 + 特定扶養親族等数×150,000円
    assert out["limits"] == {"全部支給": 1_450_000 + 250_000, "一部支給": 2_840_000 + 250_000}


def test_the_2024_november_reform_raised_the_limits():
    assert allowance("2024-10", dependants=1)["limits"] == {"全部支給": 870_000, "一部支給": 2_300_000}
    assert allowance("2024-11", dependants=1)["limits"] == {"全部支給": 1_070_000, "一部支給": 2_460_000}


def test_the_2024_november_reform_made_the_third_child_equal_to_the_second():
    assert allowance("2024-10", 3, 3)["per_child"] == [45_500, 10_750, 6_450]
    assert allowance("2024-11", 4, 3)["per_child"] == [45_500, 10_750, 10_750, 10_750]


def test_amounts_change_each_april():
    assert allowance("2025-03", 2)["per_child"] == [45_500, 10_750]
    assert allowance("2025-04", 2)["per_child"] == [46_690, 11_030]


def test_limits_are_exclusive():
    # 「未満」: at the 全部支給 limit the claim is 一部支給, at the 一部支給 limit 支給停止.
    assert allowance(dependants=0, other_income=690_000 - 1 + 80_000)["category"] == "全部支給"
    assert allowance(dependants=0, other_income=690_000 + 80_000)["category"] == "一部支給"
    stopped = allowance(dependants=0, other_income=2_080_000 + 80_000)
    assert stopped["category"] == "支給停止" and stopped["per_child"] == [0] and stopped["monthly_total"] == 0


def test_the_reduction_rounds_half_up_to_ten_yen():
    assert round_10(Decimal("4075.49")) == 4_080 and round_10(Decimal("4074.99")) == 4_070
    assert round_10(Decimal("5")) == 10 and round_10(Decimal("4.99")) == 0
    # 2024-11, 0人: (740,200 − 690,000) × 0.025 = 1,255 → 1,260 (half up), 45,490 − 1,260
    assert allowance("2024-11", dependants=0, other_income=740_200 + 80_000)["per_child"] == [44_230]


def test_the_partial_formula_uses_each_ranks_coefficient():
    out = allowance("2025-04", 2, 0, other_income=1_690_000 + 80_000)  # 1,000,000 over the 全部 limit
    # 46,680 − 25,661.9 → 25,660; 11,020 − 3,956.8 → 3,960
    assert out["per_child"] == [21_020, 7_060] and out["monthly_total"] == 28_080


def test_parameters_override_the_published_amounts_and_coefficients():
    body = {
        "month": "2025-04",
        "children": 2,
        "dependants": 0,
        "income": {"other_income": 1_690_000 + 80_000},
        "claimant": "mother",
        "parameters": {"first": {"partial_max": 50_000, "coefficient": "0.03"}, "second": {"full": 12_000}},
    }
    out = calculate_support_allowance(SupportAllowanceIn.model_validate(body))
    assert out["per_child"] == [50_000 - 30_000, 7_060]


def test_the_data_covers_the_months_it_says_and_refuses_others():
    assert supported_months() == ("2023-04", "2026-03")
    assert for_month(2024, 4).amounts.third_full == 6_450
    with pytest.raises(UnknownMonth, match="2026年4月"):
        for_month(2026, 4)
    with pytest.raises(CalculationRejected) as caught:
        allowance("2023-03")
    assert caught.value.errors[0]["field"] == "month"


@pytest.mark.parametrize(
    ("month", "dependants", "lowest"),
    [
        ("2024-10", 0, [10_740, 5_380, 3_230]),
        ("2024-11", 0, [10_740, 5_380, 5_380]),
        ("2025-04", 2, [11_010, 5_520, 5_520]),
    ],
)
def test_the_coefficients_reach_the_published_lowest_amounts_at_the_partial_limit(month, dependants, lowest):
    limit = allowance(month, dependants=dependants)["limits"]["一部支給"]
    assert allowance(month, 3, dependants, other_income=limit - 1 + 80_000)["per_child"] == lowest
