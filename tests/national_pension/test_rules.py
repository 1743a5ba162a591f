"""Each rule of the 国民年金保険料 免除・納付猶予・学生納付特例 judgement and of the 20歳到達
(docs/national_pension.md), with the figure that would show it wrong."""

from __future__ import annotations

from datetime import date

import pytest

from tests.national_pension.conftest import exempt
from yakuba.national_pension.rules.ages import first_insured_day
from yakuba.platform.calculations import CalculationRejected

RICH = {"birth_date": "1960-01-01", "other_income": 8_000_000}


@pytest.mark.parametrize(("year", "limit"), [(2020, 570_000), (2021, 670_000), (2025, 670_000)])
def test_the_full_exemption_limit_rose_by_100000_in_2021(year, limit):
    # (0 + 1) × 35万 + 22万 → + 32万 with the 基礎控除 +10万 of 令和2年分 (facts §5).
    assert exempt(year, {"other_income": limit})["grant"] == "全額免除"
    assert exempt(year, {"other_income": limit + 1})["grant"] == "4分の3免除"


def test_elderly_and_specific_dependents_count_48_and_63_in_the_partial_tests():
    # 88万 + 38万 + 48万 + 63万 + 社会保険料控除等 20万 = 257万 (4分の3); 全額: (3+1)×35万+32万 = 172万.
    person = {"dependents": 3, "elderly_dependents": 1, "specific_dependents": 1, "deductions": 200_000}
    out = exempt(2025, {**person, "other_income": 2_570_000})
    assert out["grant"] == "4分の3免除"
    assert out["persons"][0]["limits"] == {
        "全額免除": 1_720_000,
        "4分の3免除": 2_570_000,
        "半額免除": 2_970_000,
        "4分の1免除": 3_370_000,
        "学生納付特例": 2_970_000,
    }
    assert exempt(2025, {**person, "other_income": 2_570_001})["grant"] == "半額免除"


def test_the_householder_blocks_an_exemption_but_not_the_deferral():
    # A 30-year-old living with a well-off parent: 納付猶予 judges only 本人 and 配偶者.
    out = exempt(2025, {"other_income": 0}, householder=RICH)
    assert out["grant"] == "納付猶予"
    assert [p["role"] for p in out["persons"]] == ["本人", "世帯主"]


def test_the_spouse_must_pass_the_deferral_too():
    out = exempt(2025, {"other_income": 0}, householder=RICH, spouse=RICH)
    assert out["grant"] is None and out["period"] is None


def test_the_deferral_is_for_those_under_50_and_ends_the_month_before():
    old = {"birth_date": "1975-01-01", "other_income": 0}  # 50 on 2024-12-31: before July 2025
    assert exempt(2025, old, householder=RICH)["grant"] is None
    # Born 1976-01-02: 50 on 2026-01-01 → 猶予 for 2025-07 … 2025-12.
    out = exempt(2025, {"birth_date": "1976-01-02"}, householder=RICH)
    assert out["grant"] == "納付猶予"
    assert out["period"] == {"first_month": "2025-07", "last_month": "2025-12"}
    # Born 1976-01-01: 50 on 2025-12-31 → up to 2025-11 (the day-before rule).
    out = exempt(2025, {"birth_date": "1976-01-01"}, householder=RICH)
    assert out["period"]["last_month"] == "2025-11"


def test_the_full_exemption_comes_before_the_deferral_and_the_deferral_before_three_quarters():
    assert exempt(2025, {"other_income": 0}, spouse={"birth_date": "1986-01-01"})["grant"] == "全額免除"
    poor_householder = {"birth_date": "1960-01-01", "other_income": 800_000}  # passes ¾ only
    assert exempt(2025, {"other_income": 0}, householder=poor_householder)["grant"] == "納付猶予"


def test_a_student_is_judged_alone_for_the_student_scheme_only():
    # 学生: 128万 + 扶養 × 38万 + 社保控除 on 本人 only, April–March; never 免除 or 猶予.
    out = exempt(2025, {"student": True, "other_income": 1_280_000}, householder=RICH)
    assert out["grant"] == "学生納付特例" and len(out["persons"]) == 1
    assert out["period"] == {"first_month": "2025-04", "last_month": "2026-03"}
    assert exempt(2025, {"student": True, "other_income": 0})["grant"] == "学生納付特例"
    assert exempt(2025, {"student": True, "other_income": 1_280_001})["grant"] is None
    assert exempt(2020, {"student": True, "other_income": 1_180_001})["grant"] is None


@pytest.mark.parametrize(("year", "limit"), [(2020, 1_250_000), (2025, 1_350_000)])
def test_a_disabled_or_widowed_person_passes_the_full_test_up_to_the_tax_free_limit(year, limit):
    person = {"disabled_or_widowed": True, "other_income": limit}
    assert exempt(year, person)["grant"] == "全額免除"
    assert exempt(year, {**person, "other_income": limit + 1})["grant"] != "全額免除"


def test_special_exemptions_leave_the_income_out():
    assert exempt(2025, {"other_income": 5_000_000, "unemployed": True})["grant"] == "全額免除"
    out = exempt(2025, {"other_income": 0}, householder={**RICH, "unemployed": True})
    assert out["grant"] == "全額免除" and out["persons"][1]["excluded"] == "失業等による特例"
    assert exempt(2025, {"other_income": 5_000_000}, disaster=True)["grant"] == "全額免除"
    violent = exempt(2025, {"other_income": 0}, spouse=RICH, domestic_violence=True)
    assert violent["grant"] == "全額免除"
    assert exempt(2025, {"other_income": 0}, spouse=RICH)["grant"] is None


def test_salary_and_pension_become_income_through_the_tax_app():
    # 給与収入 122万 − 給与所得控除 55万 = 67万 (2024年分) → 全額免除; 年金 65歳以上 110万控除.
    assert exempt(2025, {"salary_revenue": 1_220_000})["persons"][0]["income"] == 670_000
    pensioner = {"birth_date": "1959-06-01", "public_pension_revenue": 1_700_000}
    assert exempt(2025, pensioner)["persons"][0]["income"] == 600_000


@pytest.mark.parametrize(
    ("birth", "day"),
    [
        (date(2005, 5, 2), date(2025, 5, 1)),
        (date(2005, 5, 1), date(2025, 4, 30)),  # born on the 1st: the month before
        (date(2005, 4, 1), date(2025, 3, 31)),
        (date(2004, 2, 29), date(2024, 2, 28)),
    ],
)
def test_a_resident_becomes_insured_the_day_before_the_20th_birthday(birth, day):
    assert first_insured_day(birth) == day


def test_employees_and_dependent_spouses_are_not_first_category():
    assert first_insured_day(date(2005, 5, 2), employee_pension=True) is None
    assert first_insured_day(date(2005, 5, 2), dependent_spouse=True) is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"fiscal_year": 2016}, "fiscal_year", "対応: 2017〜2025年度"),
        (
            {"applicant": {"birth_date": "1990-01-01", "dependents": 1, "elderly_dependents": 2}},
            "applicant.dependents",
            "少なく",
        ),
        ({"applicant": {"birth_date": "2025-01-01"}}, "applicant.birth_date", "12月31日"),
        ({"domestic_violence": True}, "domestic_violence", "配偶者"),
    ],
)
def test_input_the_engine_cannot_take_names_the_field(change, field, message):
    from yakuba.national_pension.services import ExemptionIn, judge_exemption

    body = {"fiscal_year": 2025, "applicant": {"birth_date": "1990-01-01"}, **change}
    with pytest.raises(CalculationRejected) as caught:
        judge_exemption(ExemptionIn.model_validate(body))
    assert any(e["field"] == field and message in e["message"] for e in caught.value.errors), (
        caught.value.errors
    )
