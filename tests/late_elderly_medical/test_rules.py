"""Each rule of the 後期高齢者医療保険料 (docs/late_elderly_medical.md), with the published figure
that would show it wrong."""

from __future__ import annotations

import pytest

from tests.late_elderly_medical.conftest import kouki
from yakuba.platform.calculations import CalculationRejected


def test_reduced_per_capita_is_the_share_truncated_to_the_yen():
    # 当別町 (北海道 令和7年度): 52,953 → 15,885 / 26,476 / 42,362.
    assert kouki({"public_pension_revenue": 1_680_000})["members"][0]["per_capita_levy"] == 15_885
    five = kouki({"public_pension_revenue": 1_900_000})  # 判定 65万 ≤ 43万 + 30.5万
    assert five["reduction"] == "5割" and five["members"][0]["per_capita_levy"] == 26_476
    two = kouki({"public_pension_revenue": 2_100_000})  # 判定 85万 ≤ 43万 + 56万
    assert two["reduction"] == "2割" and two["members"][0]["per_capita_levy"] == 42_362


def test_published_reduced_amounts_replace_the_computed_ones():
    # 鳥取県 令和5年度: 47,436 → 7割 14,231 (not 14,230 from × 0.3).
    rates = {"per_capita": 47436, "income_rate": "9.10", "reduced_per_capita": {"7割": 14231}}
    out = kouki({"public_pension_revenue": 1_500_000}, fiscal_year=2023, rates=rates)
    assert out["members"][0]["per_capita_levy"] == 14_231


def test_the_thresholds_change_by_year():
    # 5割 per member: 令和5年度 29万, 6年度 29.5万, 7年度 30.5万 (facts §3.3).
    fives = [kouki({}, fiscal_year=y)["reduction_thresholds"]["5割"] for y in (2023, 2024, 2025)]
    assert fives == [720_000, 725_000, 735_000]


def test_a_head_who_is_not_insured_counts_for_the_judgement_but_pays_nothing():
    alone = kouki(
        {"role": "世帯主", "member": False, "birth_date": "1980-01-01"}, {"public_pension_revenue": 1_500_000}
    )
    assert alone["reduction"] == "7割" and [m["role"] for m in alone["members"]] == ["配偶者"]
    earning = kouki(
        {"member": False, "birth_date": "1980-01-01", "salary_revenue": 3_000_000},
        {"public_pension_revenue": 1_500_000},
    )
    # 給与所得 202万 (300万 − 98万) + the 配偶者's 年金所得 40万 − 15万; both are 給与所得者等.
    assert earning["judgment_income"] == 2_270_000 and earning["earners"] == 2
    assert earning["reduction"] == "none"


def test_two_earners_widen_the_seven_tenths_bound_by_100000():
    out = kouki({"public_pension_revenue": 1_300_000}, {"public_pension_revenue": 1_300_000})
    assert out["earners"] == 2 and out["reduction_thresholds"]["7割"] == 530_000
    assert out["reduction"] == "7割"  # 判定 (20万 − 15万) × 2 = 10万


def test_a_former_dependant_pays_no_income_levy_and_half_the_per_capita_for_two_years():
    rich = {"public_pension_revenue": 4_000_000}
    first = kouki({**rich, "former_dependant": "first_two_years"})["members"][0]
    assert first["income_levy"] == 0 and first["per_capita_levy"] == 26_476 and first["reduction"] == "5割"
    later = kouki({**rich, "former_dependant": "later"})["members"][0]
    assert later["income_levy"] == 0 and later["per_capita_levy"] == 52_953
    poor = kouki({"public_pension_revenue": 1_000_000, "former_dependant": "first_two_years"})["members"][0]
    assert poor["reduction"] == "7割"  # the larger 軽減 wins


def test_the_2024_low_rate_applies_only_up_to_a_base_of_580000():
    rates = {"per_capita": 45930, "income_rate": "9.03", "low_income_rate": "8.42"}
    at = kouki({"public_pension_revenue": 2_110_000}, fiscal_year=2024, rates=rates)["members"][0]
    above = kouki({"public_pension_revenue": 2_110_001}, fiscal_year=2024, rates=rates)["members"][0]
    assert at["income_base"] == 580_000 and at["income_levy"] == 48_836  # × 8.42 %
    assert above["income_levy"] == 52_374  # 580,001 × 9.03 %
    with pytest.raises(CalculationRejected, match="rates.low_income_rate"):
        kouki({}, fiscal_year=2025, rates=rates)


def test_the_limit_and_the_2024_transitional_limit():
    rich = {"public_pension_revenue": 20_000_000}
    assert kouki(rich)["members"][0]["annual_premium"] == 800_000
    assert kouki(rich, fiscal_year=2023)["members"][0]["annual_premium"] == 660_000
    disabled = {**rich, "birth_date": "1955-01-01", "disability_certified": True}
    assert kouki(disabled, fiscal_year=2024)["members"][0]["annual_premium"] == 730_000
    new = {**rich, "birth_date": "1949-04-01"}
    assert kouki(new, fiscal_year=2024)["members"][0]["annual_premium"] == 800_000


def test_rounding_is_the_kouikis_unit():
    rates = {"per_capita": 45900, "income_rate": "10.08"}
    assert (
        kouki({"public_pension_revenue": 3_000_000}, rates=rates)["members"][0]["annual_premium"] == 194_000
    )
    ten = kouki({"public_pension_revenue": 3_000_000}, rates={**rates, "rounding": 10})
    assert ten["members"][0]["annual_premium"] == 194_070  # 厚木市


def test_2026_needs_the_thresholds_and_takes_the_child_support_part():
    with pytest.raises(CalculationRejected, match="reduction_thresholds"):
        kouki({}, fiscal_year=2026)
    thresholds = {
        "base": 430000,
        "per_extra_earner": 100000,
        "half_per_member": 305000,
        "twenty_pct_per_member": 560000,
    }
    rates = {
        **{"per_capita": 52953, "income_rate": "11.79"},
        "child_support": {"per_capita": 3000, "income_rate": "0.5"},
    }
    out = kouki(
        {"public_pension_revenue": 30_000_000}, fiscal_year=2026, rates=rates, reduction_thresholds=thresholds
    )
    member = out["members"][0]
    assert member["child_support"]["total"] == 21_000  # its own limit (令和8年政令第4号)
    assert member["annual_premium"] == 850_000 + 21_000
    with pytest.raises(CalculationRejected, match="rates.child_support"):
        kouki({}, rates=rates)


@pytest.mark.parametrize(
    ("pension", "care", "way"),
    [
        (179_999, 0, "direct"),
        (180_000, 0, "pension"),
        (1_000_000, 484_201, "direct"),
        (1_000_000, 484_200, "pension"),
    ],
)
def test_pension_withholding_needs_180000_and_at_most_half(pension, care, way):
    # 上田市: 年金 18万円以上、介護保険料と合わせて年金の2分の1以下. Premium here 15,800 (7割).
    out = kouki({"public_pension_revenue": 0, "withholding_pension": pension, "care_premium": care})
    member = out["members"][0]
    assert member["annual_premium"] == 15_800
    assert member["collection"]["way"] == way, member["collection"]


def test_bad_input_names_the_field():
    with pytest.raises(CalculationRejected) as caught:
        kouki({"birth_date": None}, {"role": "世帯主"}, fiscal_year=2030)
    assert [e["field"] for e in caught.value.errors] == ["fiscal_year"]
    with pytest.raises(CalculationRejected) as caught:
        kouki({"birth_date": None}, {"role": "世帯主", "member": False, "former_dependant": "later"})
    fields = {e["field"] for e in caught.value.errors}
    assert fields == {"household[0].birth_date", "household[1].former_dependant", "household"}
