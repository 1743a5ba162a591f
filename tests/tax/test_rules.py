"""The 個人住民税 rules one at a time, each against its source (docs/reference/tax-facts.md and
the law article in the rule's docstring). The golden cases (test_golden.py) check whole pages."""

from __future__ import annotations

from datetime import date

import pytest

from tests.tax.conftest import tax
from yakuba.tax.rules import income
from yakuba.tax.rules.inputs import age_on
from yakuba.tax.rules.parameters import UnknownYear, for_year


@pytest.mark.parametrize(
    ("year", "revenue", "expected"),
    [
        # 国税庁 No.1410 / 所得税法別表第五 (令和2年分以降): the rows named in the table itself
        (2025, 550_999, 999),
        (2025, 551_000, 1_000),
        (2025, 1_618_999, 1_068_999),
        (2025, 1_619_500, 1_069_000),
        (2025, 1_621_999, 1_070_000),
        (2025, 1_623_999, 1_072_000),
        (2025, 1_627_999, 1_074_000),
        (2025, 1_628_000, 1_076_800),  # A = 407,000: A × 2.4 + 100,000
        (2025, 1_803_999, 1_180_000),  # the 1,800,000 row: A = 450,000 × 2.8 − 80,000
        (2025, 5_000_000, 3_560_000),  # 新潟市の計算例 (5,000,000 − 1,440,000)
        (2025, 6_600_000, 4_840_000),  # formula from here: × 0.9 − 1,100,000
        (2025, 9_000_000, 7_050_000),  # cap 1,950,000
        # 平成29年分〜令和元年分 (年度 2018–2020): 65万 minimum, B × 2.8 − 180,000, cap 220万
        (2020, 1_000_000, 350_000),
        (2020, 2_000_000, 1_220_000),
        (2020, 12_000_000, 9_800_000),
        # 平成28年分 (年度 2017): 5 % + 170万 between 1,000万 and 1,200万, then 230万
        (2017, 11_000_000, 8_750_000),
        (2017, 13_000_000, 10_700_000),
        # 令和7年分 (年度 2026): 65万 minimum up to 1,899,999, no rows below 190万
        (2026, 1_899_999, 1_249_999),
        (2026, 1_900_000, 1_250_000),
        (2026, 1_903_999, 1_250_000),
    ],
)
def test_salary_income_reads_the_table_below_6_6_million(year, revenue, expected):
    assert income.salary_income(revenue, for_year(year).salary) == expected


@pytest.mark.parametrize(
    ("year", "revenue", "elderly", "other", "expected"),
    [
        # 国税庁 No.1600 (令和2年分以降)
        (2025, 3_000_000, True, 0, 1_900_000),  # 65歳以上: 収入 − 110万
        (2025, 2_000_000, False, 0, 1_225_000),  # 65歳未満: × 0.75 − 275,000
        (2025, 1_000_000, False, 0, 400_000),  # 65歳未満: 収入 − 60万
        (2025, 5_000_000, True, 15_000_000, 3_665_000),  # other income over 1,000万: 10万 less deduction
        (2025, 5_000_000, True, 25_000_000, 3_765_000),  # over 2,000万: 20万 less
        (2025, 1_000_000, True, 0, 0),  # never below zero
        # 平成31年分まで (年度 2017–2020): 65歳以上 120万, 65歳未満 70万
        (2020, 3_000_000, True, 0, 1_800_000),
        (2020, 1_000_000, False, 0, 300_000),
    ],
)
def test_pension_income(year, revenue, elderly, other, expected):
    table = for_year(year).pension
    assert income.pension_income(revenue, elderly=elderly, other_income=other, table=table) == expected


def test_ages_are_judged_at_the_end_of_the_income_year():
    """年齢計算ニ関スル法律: born on 1月1日 → already a year older on 12月31日."""
    assert age_on(date(1959, 1, 1), date(2023, 12, 31)) == 65
    assert age_on(date(1959, 1, 2), date(2023, 12, 31)) == 64
    assert age_on(date(2006, 1, 2), date(2024, 1, 1)) == 18  # reached at the end of 1月1日's eve
    assert age_on(date(2006, 1, 3), date(2024, 1, 1)) == 17


def test_an_unknown_year_is_refused_with_the_supported_range():
    with pytest.raises(UnknownYear, match="2017〜2026年度"):
        for_year(2030)


def test_the_basic_deduction_tapers_from_reiwa_3():
    """地方税法 §314の2 ②: 43万 up to 2,400万, 29万, 15万, 0 above 2,500万; 33万 until 令和2年度."""
    assert tax(2020, incomes={"business": 30_000_000})["income_deductions"]["basic"] == 330_000
    for business, basic in [
        (24_000_000, 430_000),
        (24_400_000, 290_000),
        (24_900_000, 150_000),
        (25_000_001, 0),
    ]:
        assert tax(2025, incomes={"business": business})["income_deductions"]["basic"] == basic


def test_spouse_deduction_tapers_with_the_taxpayers_income():
    """配偶者控除 33万 / 22万 / 11万 / 0 by the taxpayer's 合計所得 900万 / 950万 / 1,000万 (平成31年度〜);
    老人控除対象配偶者 38万 / 26万 / 13万."""
    spouse = {"birth_date": "1970-01-01", "total_income": 0}
    elderly = {"birth_date": "1950-01-01", "total_income": 0}
    for business, amount, old in [
        (9_000_000, 330_000, 380_000),
        (9_400_000, 220_000, 260_000),
        (9_900_000, 110_000, 130_000),
        (10_000_001, 0, 0),
    ]:
        assert (
            tax(2025, incomes={"business": business}, spouse=spouse)["income_deductions"]["spouse"] == amount
        )
        assert tax(2025, incomes={"business": business}, spouse=elderly)["income_deductions"]["spouse"] == old
    # 平成30年度まで: no taper
    assert (
        tax(2018, incomes={"business": 12_000_000}, spouse=spouse)["income_deductions"]["spouse"] == 330_000
    )


@pytest.mark.parametrize(
    ("spouse_income", "tier0", "tier1", "tier2"),
    [
        (480_001, 330_000, 220_000, 110_000),
        (1_000_000, 330_000, 220_000, 110_000),
        (1_050_000, 310_000, 210_000, 110_000),
        (1_330_000, 30_000, 20_000, 10_000),
        (1_330_001, 0, 0, 0),
    ],
)
def test_spouse_special_deduction_bands(spouse_income, tier0, tier1, tier2):
    """配偶者特別控除 (令和3年度〜): bands of the spouse's income × the taxpayer's tier."""
    spouse = {"birth_date": "1970-01-01", "total_income": spouse_income}
    got = [
        tax(2025, incomes={"business": b}, spouse=spouse)["income_deductions"]["spouse_special"]
        for b in (8_000_000, 9_200_000, 9_800_000)
    ]
    assert got == [tier0, tier1, tier2]


def test_dependants_by_age_and_the_cohabiting_parent():
    """扶養控除: 年少 0, 一般 33万, 特定 45万, 老人 38万, 同居老親 45万 (ages on 12月31日)."""
    out = tax(
        2025,
        incomes={"salary": 8_000_000},
        dependents=[
            {"birth_date": "2010-01-01"},  # 14: 年少
            {"birth_date": "2005-06-01"},  # 19: 特定
            {"birth_date": "2007-06-01"},  # 17: 一般
            {"birth_date": "1950-06-01", "relation": "parent", "living_together": True},  # 74: 同居老親
            {"birth_date": "1950-06-01", "relation": "parent", "living_together": False},  # 74: 老人
            {"birth_date": "2007-06-01", "total_income": 480_001},  # over the limit: none
        ],
    )
    assert out["income_deductions"]["dependents"] == 450_000 + 330_000 + 450_000 + 380_000


def test_disability_of_the_family_and_the_cohabiting_special_case():
    out = tax(
        2025,
        incomes={"salary": 6_000_000},
        taxpayer={"disability": "general"},
        spouse={"birth_date": "1980-01-01", "disability": "special_cohabiting", "living_together": True},
        dependents=[
            {"birth_date": "2015-01-05", "disability": "special_cohabiting", "living_together": False}
        ],
    )
    assert out["income_deductions"]["disability"] == 260_000 + 530_000 + 300_000


def test_single_parent_and_widow():
    """ひとり親 30万 (令和3年度〜, 合計所得 500万以下); 寡婦 26万; before: 特別の寡婦 30万, 寡夫 26万."""
    child = [{"birth_date": "2012-01-05", "relation": "child"}]
    assert (
        tax(2025, incomes={"salary": 3_000_000}, taxpayer={"single_parent": "father"}, dependents=child)[
            "income_deductions"
        ]["single_parent"]
        == 300_000
    )
    assert (
        tax(2020, incomes={"salary": 3_000_000}, taxpayer={"single_parent": "father"}, dependents=child)[
            "income_deductions"
        ]["single_parent"]
        == 260_000
    )
    assert (
        tax(2025, incomes={"business": 5_000_001}, taxpayer={"single_parent": "mother"})["income_deductions"][
            "single_parent"
        ]
        == 0
    )
    assert (
        tax(2025, incomes={"salary": 3_000_000}, taxpayer={"widow": True})["income_deductions"]["widow"]
        == 260_000
    )
    # Before 令和3年度 a widow with a dependant had no income limit
    assert (
        tax(2020, incomes={"business": 6_000_000}, taxpayer={"widow": True}, dependents=child)[
            "income_deductions"
        ]["widow"]
        == 260_000
    )
    assert (
        tax(2020, incomes={"business": 6_000_000}, taxpayer={"widow": True})["income_deductions"]["widow"]
        == 0
    )


@pytest.mark.parametrize(
    ("premiums", "expected"),
    [
        ({"new_general": 12_000}, 12_000),
        ({"new_general": 32_000}, 22_000),
        ({"new_general": 56_000}, 28_000),
        ({"new_general": 100_000}, 28_000),
        ({"old_general": 15_000}, 15_000),
        ({"old_general": 40_000}, 27_500),
        ({"old_general": 70_000}, 35_000),
        ({"old_general": 100_000}, 35_000),
        ({"old_general": 100_000, "new_general": 100_000}, 35_000),  # the old alone is more
        ({"old_general": 10_000, "new_general": 20_000}, 26_000),  # both: 10,000 + 16,000
        ({"old_general": 30_000, "new_general": 20_000}, 28_000),  # both: 22,500 + 16,000 capped at 28,000
        (
            {"new_general": 100_000, "new_pension": 100_000, "new_care_medical": 100_000},
            70_000,
        ),  # 70,000 in all
        ({"new_general": 12_001}, 12_001),  # 12,001 × 1/2 + 6,000 = 12,000.5 → rounded up
    ],
)
def test_life_insurance_deduction(premiums, expected):
    """生命保険料控除 (住民税): 地方税法 §314の2 ①五; fractions rounded up (tax-facts §2.2)."""
    assert (
        tax(2025, incomes={"salary": 5_000_000}, deductions={"life_insurance": premiums})[
            "income_deductions"
        ]["life_insurance"]
        == expected
    )


def test_earthquake_medical_and_casualty():
    out = tax(
        2025,
        incomes={"salary": 5_000_000},
        deductions={"earthquake_insurance": 60_000, "medical_expenses": 250_000, "casualty": 500_000},
    )
    d = out["income_deductions"]
    assert d["earthquake_insurance"] == 25_000  # 1/2, capped at 25,000
    assert d["medical_expenses"] == 150_000  # 250,000 − 100,000
    assert d["casualty"] == 500_000 - 356_000  # loss − 10 % of 3,560,000


def test_adjustment_credit_floor_and_cutoff():
    """調整控除: above 200万, 5 % × (差 − (課税 − 200万)) with at least 2,500 (市 1,500 / 県 1,000);
    none above 合計所得 2,500万 (令和3年度〜)."""
    out = tax(2025, incomes={"salary": 6_000_000})
    assert (out["municipal"]["adjustment_credit"], out["prefectural"]["adjustment_credit"]) == (1_500, 1_000)
    rich = tax(2025, incomes={"business": 26_000_000})
    assert rich["municipal"]["adjustment_credit"] == rich["prefectural"]["adjustment_credit"] == 0
    assert tax(2020, incomes={"business": 26_000_000})["municipal"]["adjustment_credit"] == 1_500


def test_designated_city_rates_from_heisei_30():
    """指定都市 8 % / 2 % from 平成30年度 (新潟市 151009), 6 % / 4 % before."""
    out = tax(2025, lg_code="151009", incomes={"salary": 5_000_000})
    assert out["municipal"]["income_levy_before_credits"] == out["taxable_income"] * 8 // 100
    before = tax(2017, lg_code="151009", incomes={"salary": 5_000_000})
    assert before["municipal"]["income_levy_before_credits"] == before["taxable_income"] * 6 // 100


def test_per_capita_levy_by_year_and_prefecture():
    """均等割: 3,500 + 1,500 (復興, 平成26〜令和5年度), then 3,000 + 1,000 + 森林環境税 1,000;
    福島県森林環境税 adds 1,000 to the 県民税 (会津若松市 072028)."""
    assert [
        tax(2023, incomes={"salary": 3_000_000})[k]["per_capita_levy"] for k in ("municipal", "prefectural")
    ] == [3_500, 1_500]
    out = tax(2024, incomes={"salary": 3_000_000})
    assert (
        out["municipal"]["per_capita_levy"],
        out["prefectural"]["per_capita_levy"],
        out["forest_environment_tax"],
    ) == (3_000, 1_000, 1_000)
    assert (
        tax(2024, lg_code="072028", incomes={"salary": 3_000_000})["prefectural"]["per_capita_levy"] == 2_000
    )


def test_non_taxable_thresholds():
    """非課税 (令和3年度〜, 1級地): 均等割 合計所得 ≤ 35万 × 人数 + 10万 (+21万); 所得割 総所得金額等
    ≤ 35万 × 人数 + 10万 (+32万). Single: 45万 both; a couple with two children: 所得割 182万."""
    assert tax(2025, incomes={"business": 450_000})["non_taxable"] == {
        "per_capita": True,
        "income_levy": True,
    }
    assert tax(2025, incomes={"business": 451_000})["non_taxable"] == {
        "per_capita": False,
        "income_levy": False,
    }
    family = {
        "spouse": {"birth_date": "1982-01-01"},
        "dependents": [{"birth_date": "2012-01-05"}, {"birth_date": "2014-01-05"}],
    }
    out = tax(2025, incomes={"business": 1_820_000}, **family)
    assert out["non_taxable"]["income_levy"] and out["municipal"]["income_levy"] == 0
    assert not tax(2025, incomes={"business": 1_820_001}, **family)["non_taxable"]["income_levy"]
    # 3級地: 28万 × 人数 + 10万 → single 38万 (真岡市)
    assert tax(2025, grade=3, incomes={"business": 380_000})["non_taxable"]["per_capita"]
    assert not tax(2025, grade=3, incomes={"business": 381_000})["non_taxable"]["per_capita"]


def test_protected_persons_up_to_1_35_million_pay_nothing():
    """地方税法 §295 ①二: 障害者・未成年者・寡婦・ひとり親 with 合計所得 ≤ 135万 (令和2年度まで 125万)."""
    out = tax(2025, incomes={"business": 1_350_000}, taxpayer={"disability": "general"})
    assert out["total"] == 0 and out["non_taxable"] == {"per_capita": True, "income_levy": True}
    assert tax(2025, incomes={"business": 1_351_000}, taxpayer={"disability": "general"})["total"] > 0
    assert (
        tax(2020, incomes={"business": 1_260_000}, taxpayer={"disability": "general"})["total"] > 0
    )  # 125万
    minor = tax(2025, birth_date="2007-01-03", incomes={"salary": 1_500_000})  # 17 on 2025-01-01 (成年 18)
    assert minor["total"] == 0
    assert tax(2025, incomes={"salary": 1_000_000}, taxpayer={"public_assistance": True})["total"] == 0


def test_furusato_special_part_is_capped_at_20_percent_of_the_levy():
    small = tax(2025, incomes={"salary": 3_000_000}, tax_credits={"furusato_donation": 1_000_000})
    levy_after_adjustment = (
        small["municipal"]["income_levy_before_credits"] - small["municipal"]["adjustment_credit"]
    )
    basic = (min(1_000_000, small["total_income"] * 3 // 10) - 2_000) * 6 // 100
    assert small["municipal"]["other_credits"] <= basic + levy_after_adjustment * 20 // 100 + 1


def test_flat_reduction_of_reiwa_6():
    """令和6年度 定額減税: 1万円 × (本人 + 控除対象配偶者 + 扶養親族, 年少 included), after the other
    credits, never below zero; none above 合計所得 1,805万 (太宰府市・大館市)."""
    family = {
        "spouse": {"birth_date": "1982-01-01"},
        "dependents": [{"birth_date": "2012-01-05"}, {"birth_date": "2008-01-05"}],
    }
    with_reduction = tax(2024, incomes={"salary": 8_000_000}, **family)
    without = tax(2023, incomes={"salary": 8_000_000}, **family)
    credits = with_reduction["municipal"]["other_credits"] + with_reduction["prefectural"]["other_credits"]
    assert credits == 40_000 and without["municipal"]["other_credits"] == 0
    assert any("定額減税" in s and "4人" in s for s in with_reduction["steps"])
    small = tax(2024, incomes={"salary": 1_100_000}, **family)  # little 所得割: the reduction stops at zero
    assert small["municipal"]["income_levy"] == small["prefectural"]["income_levy"] == 0
    assert tax(2024, incomes={"business": 18_100_000})["municipal"]["other_credits"] == 0
    # 令和7年度: only the 同一生計配偶者 of a taxpayer over 1,000万 (not a 控除対象配偶者 in 令和6年度)
    rich = tax(2025, incomes={"business": 12_000_000}, spouse={"birth_date": "1982-01-01"})
    assert rich["municipal"]["other_credits"] + rich["prefectural"]["other_credits"] == 10_000
    assert (
        tax(2025, incomes={"business": 8_000_000}, spouse={"birth_date": "1982-01-01"})["municipal"][
            "other_credits"
        ]
        == 0
    )


def test_flat_reduction_split_follows_kawasakis_example():
    """川崎市の計算例: 40,000 on 所得割 県 79,285 / 市 313,200 → 県 8,081 (rounded up) / 市 31,919."""
    from yakuba.tax.rules import credits
    from yakuba.tax.rules.credits import Part

    parts = {"municipal": Part(levy=313_200), "prefectural": Part(levy=79_285)}
    credits.flat_reduction(
        parts, persons=4, total_income=6_000_000, table=for_year(2024).flat_reduction, label=""
    )
    assert (parts["prefectural"].other, parts["municipal"].other) == (8_081, 31_919)


def test_dependants_are_counted_by_kind_at_the_end_of_the_income_year():
    """扶養親族 by age on 12月31日 of the income year (地方税法 §314の2 ③): 年少 under 16, 特定
    19–22, 老人 70+, 同居老親等 a 70+ parent living together; one above the income limit is none."""
    out = tax(
        2026,
        incomes={"salary": 6_000_000},
        dependents=[
            {"birth_date": "2015-05-01"},  # 10 → 年少
            # Born 1 January: 16 on 12月31日 (年齢計算ニ関スル法律: the year ends the day before) → 一般
            {"birth_date": "2010-01-01"},
            {"birth_date": "2005-06-01"},  # 20 → 特定
            {"birth_date": "2008-01-01"},  # 17 → 一般
            {"birth_date": "1950-01-01", "relation": "parent", "living_together": True},  # 75 → 同居老親等
            {"birth_date": "1955-12-31", "relation": "parent", "living_together": False},  # 70 → 老人
            {"birth_date": "2000-01-01", "total_income": 1_000_000},  # above the limit: none
        ],
    )
    assert out["dependants"] == {
        "general": 2,
        "specific": 1,
        "elderly": 1,
        "cohabiting_parent": 1,
        "young": 1,
    }
