"""Two families of 会津若松市 registered since 2022-12 (so the 2023 and 2024年度 個人住民税 assessed
its parents): a 3号 child born 2022-10-01, an older sibling born 2019-06-01, with the parents'
salaries set by 更正 so that their 所得割 is known — and the 2024年度 one higher, to show the
September switch — and a single mother (atena[4]) with no income and five children of the same
age (atena[5:10], 空 first)."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS_2, person, registry  # noqa: F401 (fixture)
from yakuba.platform.tenancy.context import tenant_context
from yakuba.tax.services import ResidentTaxIn, assessment, calculate_resident_tax

FATHER_BIRTH, MOTHER_BIRTH = "1990-05-10", "1992-08-20"
BABY_BIRTH, SIBLING_BIRTH, OTHER_BIRTH = "2022-10-01", "2019-06-01", "2022-11-15"
# Salaries by 年度 of the tax (the income of the year before): 2023年度 lower, 2024年度 higher;
# the mother's 2024年度 with a 住宅ローン控除 the fee must not see.
SALARIES = {2023: (3_500_000, 1_500_000), 2024: (6_000_000, 2_000_000)}
HOUSING_LOAN = 40_000


def tax_body(birth: str, salary: int, year: int, *, loan: int = 0) -> dict:
    body = {
        "fiscal_year": year,
        "lg_code": AIZU,
        "taxpayer": {"birth_date": birth},
        "incomes": {"salary": salary},
    }
    if loan:
        body["tax_credits"] = {"housing_loan": loan}
    return body


def levy_before_credits(body: dict) -> int:
    """The 市町村民税 所得割 before the 税額控除 (after the 調整控除), from the tax app's engine."""
    municipal = calculate_resident_tax(ResidentTaxIn.model_validate(body))["municipal"]
    return municipal["income_levy_before_credits"] - municipal["adjustment_credit"]


@pytest.fixture
def family(registry, system_actor):  # noqa: F811
    filed = registry.move_in(
        person("保育 一郎", "ホイク イチロウ", FATHER_BIRTH, 1, "世帯主"),
        person("保育 花子", "ホイク ハナコ", MOTHER_BIRTH, 2, "妻"),
        person("保育 太郎", "ホイク タロウ", SIBLING_BIRTH, 1, "子"),
        person("保育 次郎", "ホイク ジロウ", BABY_BIRTH, 1, "子"),
        move_date="2022-12-01",
    )
    atena = [p["atena_no"] for p in filed["persons"]]
    # A single mother with a child of the same クラス年齢 as 次郎 in 2025年度 (2歳児).
    other = registry.move_in(
        person("園田 京子", "ソノダ キョウコ", "1995-01-15", 2, "世帯主"),
        person("園田 空", "ソノダ ソラ", OTHER_BIRTH, 2, "子"),
        *(
            person(f"園田 {n}", f"ソノダ {kana}", OTHER_BIRTH, 1, "子")
            for n, kana in (("陸", "リク"), ("海", "カイ"), ("岳", "ガク"), ("湊", "ミナト"))
        ),
        move_date="2022-12-01",
        address=ADDRESS_2,
    )
    atena += [p["atena_no"] for p in other["persons"]]
    for year, (father, mother) in SALARIES.items():
        assessment.run_initial(AIZU, year)
        with tenant_context(AIZU):
            assessment.correct(atena[0], year, tax_body(FATHER_BIRTH, father, year), note="給与支払報告書")
            loan = HOUSING_LOAN if year == 2024 else 0
            assessment.correct(
                atena[1], year, tax_body(MOTHER_BIRTH, mother, year, loan=loan), note="給与支払報告書"
            )
    return atena


def expected_levy(year: int) -> int:
    father, mother = SALARIES[year]
    return levy_before_credits(tax_body(FATHER_BIRTH, father, year)) + levy_before_credits(
        tax_body(MOTHER_BIRTH, mother, year)
    )
