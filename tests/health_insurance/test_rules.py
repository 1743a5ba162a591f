"""Each rule of the engine, on households built to isolate it: a wrong rule fails its test.
Rates of tests/health_insurance/conftest.py (医療 7 % / 30,000 / 20,000 …); 令和7年度 unless said."""

from __future__ import annotations

import pytest

from tests.health_insurance.conftest import RATES, kokuho
from yakuba.platform.calculations import CalculationRejected

HEAD = {"role": "世帯主", "age": 50, "total_income": 3_430_000, "salary_revenue": 5_000_000}


def test_the_income_levy_is_on_the_sum_of_the_members_bases_after_the_basic_deduction():
    out = kokuho([HEAD, {"role": "妻", "age": 48, "total_income": 200_000}])
    assert out["income_base"] == 3_000_000  # 3,430,000 − 430,000; 200,000 − 430,000 → 0
    assert out["medical"]["income_levy"] == 210_000
    assert out["medical"]["total"] == 210_000 + 2 * 30_000 + 20_000


@pytest.mark.parametrize(
    ("income", "deduction"),
    [(24_000_000, 430_000), (24_000_001, 290_000), (24_500_001, 150_000), (25_000_001, 0)],
)
def test_the_basic_deduction_tapers_above_24_million(income, deduction):
    out = kokuho([{**HEAD, "total_income": income}])
    assert out["income_base"] == income - deduction


def test_each_part_is_capped_by_its_own_limit_and_an_input_limit_overrides_the_year():
    out = kokuho([{**HEAD, "total_income": 20_000_000}])
    assert (out["medical"]["total"], out["support"]["total"], out["care"]["total"]) == (
        660_000,
        260_000,
        170_000,
    )
    lower = {**RATES, "medical": {**RATES["medical"], "limit": 500_000}}
    assert kokuho([{**HEAD, "total_income": 20_000_000}], rates=lower)["medical"]["total"] == 500_000
    assert kokuho([{**HEAD, "total_income": 20_000_000}], fiscal_year=2024)["support"]["total"] == 240_000


def test_each_part_is_truncated_to_100_yen_unless_the_input_says_otherwise():
    head = {**HEAD, "total_income": 3_012_345}  # 2,582,345 × 7 % = 180,764.15
    assert kokuho([head])["medical"]["total"] == 230_700  # 180,764 + 30,000 + 20,000 = 230,764
    assert kokuho([head], levy_type="premium", truncation=1)["medical"]["total"] == 230_764


def test_the_care_part_charges_members_aged_40_to_64_only():
    out = kokuho([{**HEAD, "age": 65}, {"role": "妻", "age": 64, "total_income": 1_430_000}])
    assert out["care_income_base"] == 1_000_000
    assert out["care"]["per_capita_levy"] == 12_000 and out["care"]["income_levy"] == 20_000
    assert [m["care_months"] for m in out["members"]] == [0, 12]


@pytest.mark.parametrize(
    ("born", "care_months"),
    [
        ("1985-05-01", 12),  # 40 on 2025-04-30: from April
        ("1985-05-02", 11),  # 40 on 2025-05-01: from May
        ("1960-05-01", 0),  # 65 on 2025-04-30: ends before April
        ("1960-05-02", 1),  # 65 on 2025-05-01: April only
    ],
)
def test_care_months_follow_the_day_before_the_birthday(born, care_months):
    out = kokuho([{**HEAD, "age": None, "birth_date": born}])
    assert out["members"][0]["care_months"] == care_months
    assert out["care"]["per_capita_levy"] == 12_000 * care_months // 12


def test_reaching_75_ends_kokuho_the_month_before_the_75th_birthday():
    out = kokuho([{**HEAD, "age": None, "birth_date": "1950-05-01"}, {"role": "妻", "age": 60}])
    assert out["members"][0]["months"] == 1  # 後期 from 2025-05-01: only April in 国保


@pytest.mark.parametrize(
    ("dates", "months"),
    [
        ({"acquired_on": "2025-10-15"}, 6),  # October to March
        ({"lost_on": "2025-10-01"}, 6),  # April to September
        ({"acquired_on": "2025-07-03", "lost_on": "2025-07-20"}, 1),  # 同月得喪
    ],
)
def test_months_of_membership_from_acquisition_to_the_month_before_loss(dates, months):
    out = kokuho([{**HEAD, **dates}])
    assert out["members"][0]["months"] == months
    full = kokuho([HEAD])
    assert out["medical"]["per_capita_levy"] == 30_000 * months // 12
    assert out["medical"]["income_levy"] == full["medical"]["income_levy"] * months // 12


def test_the_limit_is_prorated_with_the_months():
    out = kokuho([{**HEAD, "total_income": 20_000_000, "acquired_on": "2025-10-01"}])
    assert out["medical"]["total"] == 330_000


def test_a_pseudo_head_counts_for_the_reduction_but_is_never_charged():
    pseudo = {
        "role": "世帯主",
        "member": False,
        "age": 50,
        "total_income": 3_000_000,
        "salary_revenue": 4_000_000,
    }
    child = {"role": "子", "age": 20}
    out = kokuho([pseudo, child])
    assert out["income_base"] == 0 and out["reduction"] == "none"
    assert out["reduction_judgment_income"] == 3_000_000
    assert out["medical"]["per_capita_levy"] == 30_000
    alone = kokuho([{**pseudo, "total_income": 0, "salary_revenue": 0}, child])
    assert alone["reduction"] == "7割" and alone["medical"]["per_capita_levy"] == 9_000


def test_a_specified_member_counts_in_the_number_for_the_5_and_2_割_bounds():
    head = {**HEAD, "total_income": 900_000, "salary_revenue": 0}
    moved = {"role": "父", "member": False, "specified": True, "age": 80}
    assert kokuho([head])["reduction"] == "2割"  # 900,000 > 430,000 + 305,000
    out = kokuho([head, moved])
    assert out["reduction"] == "5割" and out["reduction_judgment"]["persons"] == 2
    assert out["medical"]["per_capita_levy"] == 15_000  # the 特定同一世帯所属者 pays nothing


@pytest.mark.parametrize(
    ("income", "level", "left"),
    [
        (430_000, "7割", "0.3"),
        (430_001, "5割", "0.5"),
        (735_000, "5割", "0.5"),
        (990_000, "2割", "0.8"),
        (990_001, "none", "1"),
    ],
)
def test_the_7_5_2_割_reduction_touches_the_per_capita_and_per_household_levies_only(income, level, left):
    out = kokuho([{**HEAD, "total_income": income, "salary_revenue": 0}])
    assert out["reduction"] == level
    assert out["medical"]["per_capita_levy"] == int(30_000 * float(left))
    assert out["medical"]["per_household_levy"] == int(20_000 * float(left))
    assert out["medical"]["income_levy"] == int((max(0, income - 430_000)) * 0.07)


def test_two_earners_raise_every_bound_by_100_000():
    head = {**HEAD, "total_income": 500_000, "salary_revenue": 1_050_000}
    spouse = {"role": "妻", "age": 48, "total_income": 20_000, "salary_revenue": 570_000}
    out = kokuho([head, spouse])
    assert out["reduction_judgment"]["earners"] == 2
    assert out["reduction"] == "7割"  # 520,000 ≤ 430,000 + 100,000
    below = kokuho([head, {**spouse, "salary_revenue": 550_000}])  # 55万 is not over 55万
    assert below["reduction"] == "5割"


def test_the_pension_special_deduction_of_65_and_over_is_for_the_judgement_only():
    pensioner = {"role": "世帯主", "age": 70, "total_income": 500_000, "public_pension_revenue": 1_600_000}
    out = kokuho([pensioner])
    assert out["reduction_judgment_income"] == 350_000 and out["reduction"] == "7割"
    assert out["income_base"] == 70_000
    younger = kokuho([{**pensioner, "age": 64}])
    assert younger["reduction_judgment_income"] == 500_000 and younger["reduction"] == "5割"
    given = kokuho([{**pensioner, "pension_income": 100_000}])  # 年金所得 below 15万: only that
    assert given["reduction_judgment_income"] == 400_000


def test_an_undeclared_income_gives_no_reduction():
    out = kokuho([{**HEAD, "total_income": 0, "salary_revenue": 0, "income_declared": False}])
    assert out["reduction"] == "none" and out["medical"]["per_capita_levy"] == 30_000


def test_a_preschool_child_has_half_of_what_the_reduction_left():
    head = {**HEAD, "total_income": 0, "salary_revenue": 0}
    out = kokuho([head, {"role": "子", "age": 5}, {"role": "子", "age": 6}])
    # 7割: 9,000 each; the 5-year-old (未就学児) half of it.
    assert out["medical"]["per_capita_levy"] == 9_000 + 4_500 + 9_000
    assert [m["preschool"] for m in out["members"]] == [False, True, False]
    born = kokuho([head, {"role": "子", "age": None, "birth_date": "2019-04-02"}])  # 6 on 2025-04-01
    assert born["members"][1]["preschool"] is True


def test_a_child_born_in_the_year_is_insured_from_the_month_of_birth():
    out = kokuho([HEAD, {"role": "子", "age": None, "birth_date": "2025-10-10"}])
    assert out["members"][1]["months"] == 6
    assert out["medical"]["per_capita_levy"] == 30_000 + 15_000 // 2


def test_specified_household_halves_then_quarters_the_medical_and_support_per_household_levy():
    head = {**HEAD, "age": 60}
    moved = {"role": "妻", "member": False, "specified": True, "age": 76}
    half = kokuho([head, moved], household_status="specified")
    assert half["medical"]["per_household_levy"] == 10_000 and half["support"]["per_household_levy"] == 3_000
    assert half["care"]["per_household_levy"] == 5_000
    three_quarters = kokuho([head, moved], household_status="specified_continuing")
    assert three_quarters["medical"]["per_household_levy"] == 15_000


def test_childbirth_removes_the_mothers_income_and_per_capita_levies_for_four_months():
    mother = {"role": "妻", "age": 30, "total_income": 1_630_000, "childbirth": {"expected_on": "2025-08-20"}}
    out = kokuho([HEAD, mother])
    plain = kokuho([HEAD, {**mother, "childbirth": None}])
    # July–October: 4 of 12 months of her 所得割 (1,200,000 × 7 %) and 均等割.
    assert plain["medical"]["income_levy"] - out["medical"]["income_levy"] == 84_000 * 4 // 12
    assert plain["medical"]["per_capita_levy"] - out["medical"]["per_capita_levy"] == 10_000
    assert out["medical"]["per_household_levy"] == plain["medical"]["per_household_levy"]
    twins = kokuho([HEAD, {**mother, "childbirth": {"expected_on": "2025-08-20", "multiple": True}}])
    assert plain["medical"]["per_capita_levy"] - twins["medical"]["per_capita_levy"] == 15_000


def test_childbirth_months_before_january_2024_do_not_count():
    mother = {"role": "妻", "age": 30, "childbirth": {"expected_on": "2023-12-10"}}
    out = kokuho([HEAD, mother], fiscal_year=2023)
    plain = kokuho([HEAD, {**mother, "childbirth": None}], fiscal_year=2023)
    # November–February, of which January and February 2024 only.
    assert plain["medical"]["per_capita_levy"] - out["medical"]["per_capita_levy"] == 30_000 * 2 // 12


def test_involuntary_unemployment_counts_the_salary_income_at_30_percent():
    head = {**HEAD, "total_income": 3_000_000, "salary_income": 3_000_000, "involuntary_unemployment": True}
    out = kokuho([head])
    assert out["income_base"] == 900_000 - 430_000
    assert out["reduction_judgment_income"] == 900_000 and out["reduction"] == "2割"


def test_from_2026_the_child_rearing_part_exempts_children_and_adds_the_adult_per_capita():
    out = kokuho([HEAD, {"role": "子", "age": 17}, {"role": "子", "age": 18}], fiscal_year=2026)
    part = out["child_rearing"]
    assert part["per_capita_levy"] == 2 * (1_800 + 100)  # the 17-year-old pays none
    assert part["income_levy"] == 9_000 and part["limit"] == 30_000
    assert kokuho([HEAD])["child_rearing"] is None
    rich = kokuho([{**HEAD, "total_income": 20_000_000}], fiscal_year=2026)
    assert rich["child_rearing"]["total"] == 30_000 and rich["medical"]["total"] == 670_000


@pytest.mark.parametrize(
    ("household", "extra", "field", "message"),
    [
        ([HEAD, {**HEAD, "role": "世帯主"}], {}, "household", "1人だけ"),
        ([{**HEAD, "birth_date": "1975-01-01"}], {}, "household[0].age", "どちらか一方"),
        ([{**HEAD, "age": 80}], {}, "household[0].age", "後期高齢者医療"),
        ([{**HEAD, "member": False}], {}, "household", "被保険者"),
        ([HEAD, {"role": "妻", "age": 50}], {"household_status": "specified"}, "household_status", "1人"),
        ([{**HEAD, "involuntary_unemployment": True}], {}, "household[0].salary_income", "給与所得"),
        ([{**HEAD, "lost_on": "2025-03-01"}], {}, "household[0].member", "資格がある月"),
        ([{"role": "子", "age": 7, "preschool": True}, HEAD], {}, "household[0].preschool", "合いません"),
        ([HEAD], {"rates": {k: RATES[k] for k in ("medical", "support")}}, "rates.care", "介護納付金分"),
        (
            [HEAD],
            {"rates": {**RATES, "child_rearing": {"income_rate": "0.3", "per_capita": 1}}},
            "rates.child_rearing",
            "令和8年度",
        ),
        ([HEAD], {"fiscal_year": 2021}, "fiscal_year", "対応: 2022〜2026年度"),
    ],
)
def test_bad_input_is_refused_naming_the_field(household, extra, field, message):
    with pytest.raises(CalculationRejected) as caught:
        kokuho(household, **extra)
    assert any(e["field"] == field and message in e["message"] for e in caught.value.errors), (
        caught.value.errors
    )


def test_2026_needs_the_5_and_2_割_amounts_which_the_law_tables_here_lack():
    from yakuba.health_insurance.services import KokuhoIn, calculate_kokuho

    body = {"fiscal_year": 2026, "rates": {**RATES, "child_rearing": {"income_rate": "0", "per_capita": 0}}}
    with pytest.raises(CalculationRejected) as caught:
        calculate_kokuho(KokuhoIn.model_validate({**body, "household": [HEAD]}))
    assert {e["field"] for e in caught.value.errors} == {
        "reduction_thresholds.half_per_member",
        "reduction_thresholds.twenty_pct_per_member",
    }
