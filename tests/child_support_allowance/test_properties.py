"""Properties of the 児童扶養手当 engine over generated claims (hypothesis): more income never
raises the allowance; the category follows the limits; each child's amount lies between 0 and
that rank's 全部支給 amount; the total is the sum of the children's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.child_support_allowance.conftest import allowance

MONTHS = st.sampled_from(
    ["2023-04", "2024-03", "2024-04", "2024-10", "2024-11", "2025-03", "2025-04", "2026-03"]
)
INCOME = st.integers(min_value=0, max_value=6_000_000)
FULL = {  # each rank's 全部支給 amount by month: 第1子, 第2子, 第3子以降
    "2023-04": (44_140, 10_420, 6_250),
    "2024-03": (44_140, 10_420, 6_250),
    "2024-04": (45_500, 10_750, 6_450),
    "2024-10": (45_500, 10_750, 6_450),
    "2024-11": (45_500, 10_750, 10_750),
    "2025-03": (45_500, 10_750, 10_750),
    "2025-04": (46_690, 11_030, 11_030),
    "2026-03": (46_690, 11_030, 11_030),
}


@settings(max_examples=200, deadline=None)
@given(MONTHS, st.integers(1, 5), st.integers(0, 6), INCOME, INCOME)
def test_more_income_never_raises_the_allowance(month, children, dependants, a, b):
    low, high = sorted([a, b])
    less = allowance(month, children, dependants, other_income=low)
    more = allowance(month, children, dependants, other_income=high)
    assert more["monthly_total"] <= less["monthly_total"]
    assert all(m <= le for m, le in zip(more["per_child"], less["per_child"], strict=True))


@settings(max_examples=200, deadline=None)
@given(MONTHS, st.integers(1, 5), st.integers(0, 6), INCOME, st.integers(0, 1_000_000))
def test_the_category_follows_the_limits_and_amounts_stay_within_full(
    month, children, dependants, income, support
):
    out = allowance(month, children, dependants, other_income=income, child_support_received_annual=support)
    counted, limits = out["income_for_test"], out["limits"]
    expected = (
        "全部支給"
        if counted < limits["全部支給"]
        else "一部支給"
        if counted < limits["一部支給"]
        else "支給停止"
    )
    assert out["category"] == expected
    full = FULL[month]
    ceilings = [full[min(i, 2)] for i in range(children)]
    assert all(0 <= amount <= top for amount, top in zip(out["per_child"], ceilings, strict=True))
    assert (out["per_child"] == ceilings) == (expected == "全部支給")
    assert (out["monthly_total"] == 0) == (expected == "支給停止")
    assert out["monthly_total"] == sum(out["per_child"])
