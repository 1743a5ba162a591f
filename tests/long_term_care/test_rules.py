"""Each rule of the 介護保険 第1号 保険料段階 and 利用者負担割合 (docs/long_term_care.md), with the
published figure that would show it wrong."""

from __future__ import annotations

import pytest

from tests.long_term_care.conftest import HOUSEHOLD_TAXED, NON_TAXED, TAXED, kaigo
from yakuba.platform.calculations import CalculationRejected


@pytest.mark.parametrize(("year", "bound"), [(2024, 800_000), (2025, 809_000), (2026, 826_500)])
def test_the_first_bound_moves_within_the_ninth_period(year, bound):
    # 80万 (R6) → 80.9万 (R7) → 82.65万 (R8): facts §4.2.
    assert kaigo({**NON_TAXED, "public_pension_revenue": bound}, year)["stage"] == 1
    assert kaigo({**NON_TAXED, "public_pension_revenue": bound + 1}, year)["stage"] == 2
    assert kaigo({**HOUSEHOLD_TAXED, "public_pension_revenue": bound}, year)["stage"] == 4
    assert kaigo({**HOUSEHOLD_TAXED, "public_pension_revenue": bound + 1}, year)["stage"] == 5


def test_pension_income_is_replaced_by_the_revenue_and_salary_counts_100000_less():
    # 年金収入 50万 (年金所得 0) + 給与収入 80万 (給与所得 25万 − 10万 = 15万) = 65万 → 第1段階.
    out = kaigo({**NON_TAXED, "public_pension_revenue": 500_000, "salary_revenue": 800_000})
    assert out["judgment_income"] == 650_000 and out["stage"] == 1


@pytest.mark.parametrize(
    ("income", "stage"),
    [(1_199_999, 6), (1_200_000, 7), (2_100_000, 8), (3_200_000, 9), (4_200_000, 10), (5_200_000, 11)]
    + [(6_200_000, 12), (7_199_999, 12), (7_200_000, 13)],
)
def test_taxed_stages_by_total_income(income, stage):
    # 美浜町 (120/210/320/420万), 北九州市・甲佐町 (420/520/620/720万): 以上 moves up.
    out = kaigo({**TAXED, "other_income": income})
    assert out["stage"] == stage and out["stages"] == 13


def test_the_land_sale_special_deduction_is_taken_off():
    out = kaigo({**TAXED, "other_income": 2_500_000, "land_special_deduction": 1_000_000})
    assert out["stage"] == 7 and out["judgment_income"] == 1_500_000


def test_public_assistance_and_old_age_welfare_pension_are_the_first_stage():
    rich = {"public_pension_revenue": 3_000_000}
    assert kaigo({**HOUSEHOLD_TAXED, **rich, "public_assistance": True})["stage"] == 1
    assert kaigo({**NON_TAXED, **rich, "old_age_welfare_pension": True})["stage"] == 1
    assert kaigo({**HOUSEHOLD_TAXED, **rich, "old_age_welfare_pension": True})["stage"] == 5


def test_a_municipality_may_set_its_own_stages():
    # 春日井市 (15段階, 第2段階 0.45): 基準月額 5,580 × 12 = 66,960; 0.285 → 19,083, 0.45 → 30,132.
    multipliers = [
        "0.285",
        "0.45",
        "0.685",
        "0.9",
        "1",
        "1.2",
        "1.3",
        "1.5",
        "1.7",
        "1.9",
        "2.1",
        "2.3",
        "2.4",
        "2.5",
        "2.6",
    ]
    bounds = [
        1_200_000,
        2_100_000,
        3_200_000,
        4_200_000,
        5_200_000,
        6_200_000,
        7_200_000,
        10_000_000,
        15_000_000,
    ]
    table = {"multipliers": multipliers, "taxed_bounds": bounds}
    assert (
        kaigo({**NON_TAXED, "public_pension_revenue": 700_000}, base_amount=66_960, **table)["annual_premium"]
        == 19_083
    )
    second = kaigo({**NON_TAXED, "public_pension_revenue": 1_000_000}, base_amount=66_960, **table)
    assert second["annual_premium"] == 30_132 and second["standard_multiplier"] is None
    top = kaigo({**TAXED, "other_income": 20_000_000}, base_amount=66_960, **table)
    assert top["stage"] == 15 and top["stages"] == 15


@pytest.mark.parametrize(
    ("rounding", "premium"),
    [({}, 19_921), ({"unit": 10}, 19_920), ({"unit": 100}, 19_900), ({"unit": 1, "mode": "up"}, 19_922)],
)
def test_rounding_is_the_municipalitys(rounding, premium):
    # 豊明市: 69,900 × 0.285 = 19,921.5 → 19,900 (100円未満切捨て).
    out = kaigo({**NON_TAXED, "public_pension_revenue": 0}, base_amount=69_900, rounding=rounding)
    assert out["annual_premium"] == premium


@pytest.mark.parametrize(
    ("own", "others", "share"),
    [
        # 1人: 2割 at 合計所得 160万 and 年金収入+その他 280万; 3割 at 220万 and 340万.
        ({"other_income": 1_600_000, "public_pension_revenue": 1_200_000}, [], "2割"),
        ({"other_income": 1_599_999, "public_pension_revenue": 1_200_000}, [], "1割"),
        ({"other_income": 2_200_000, "public_pension_revenue": 1_200_000}, [], "3割"),
        ({"other_income": 2_200_000, "public_pension_revenue": 1_199_999}, [], "2割"),
        # 2人以上: 346万 / 463万.
        ({"other_income": 2_200_000}, [{"age": 72, "public_pension_revenue": 1_260_000}], "2割"),
        ({"other_income": 2_200_000}, [{"age": 72, "public_pension_revenue": 2_430_000}], "3割"),
        ({"other_income": 1_600_000}, [{"age": 72, "public_pension_revenue": 1_859_999}], "1割"),
    ],
)
def test_copay_share(own, others, share):
    # 延岡市・栃木市 (facts §4.3). A 年金収入 of 120万 is 年金所得 10万 (65歳以上): 年金収入 counts whole.
    out = kaigo({**TAXED, **own}, household_elderly=others)
    assert out["copay"]["share"] == share, out["copay"]


def test_copay_is_one_tenth_when_not_taxed():
    out = kaigo({**HOUSEHOLD_TAXED, "other_income": 5_000_000})
    assert out["copay"]["share"] == "1割"


def test_bad_input_names_the_field():
    with pytest.raises(CalculationRejected) as caught:
        kaigo({**TAXED}, 2023)
    assert [e["field"] for e in caught.value.errors] == ["fiscal_year"]
    with pytest.raises(CalculationRejected) as caught:
        kaigo({"household_taxed": False, "taxed": True}, multipliers=["1"] * 9, person={"age": None})
    fields = {e["field"] for e in caught.value.errors}
    assert fields == {"person.birth_date", "person.household_taxed", "multipliers"}
    with pytest.raises(CalculationRejected, match="12で割り切れる"):
        kaigo({**TAXED}, base_amount=70_001, rounding={"per": "month"})
