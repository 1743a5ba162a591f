"""One test per 児童手当 rule (insurance-welfare-facts §6, §10 item 8; 児童手当法 第4条・第6条・
第8条), each at the boundary where a wrong rule would give another figure."""

from __future__ import annotations

from tests.child_allowance.conftest import allowance, monthly
from yakuba.child_allowance.rules.parameters import scheme_for, supported_years

COSTS = {"parent_bears_costs": True}


def test_paid_to_the_march_after_the_18th_birthday_from_2024_10():
    # Born 2006-04-02: reaches 18 on 2024-04-01 → 18歳年度末 2025-03-31 (paid in March, not April).
    assert monthly("2025-03", "2006-04-02") == [10_000]
    assert monthly("2025-04", "2006-04-02") == [0]


def test_one_born_on_april_1st_leaves_a_year_earlier():
    # Born 2007-04-01 reaches 18 on 2025-03-31: its 年度末 is that day, a year before 2007-04-02's.
    assert monthly("2025-04", "2007-04-01", "2007-04-02") == [0, 10_000]


def test_before_the_reform_paid_only_to_the_march_after_the_15th_birthday():
    assert monthly("2024-03", "2008-06-01") == [10_000]  # 中学3年
    assert monthly("2024-04", "2008-06-01") == [0]  # 高校1年: not paid before 2024-10
    assert monthly("2024-10", "2008-06-01") == [10_000]  # 高校生年代 paid from 令和6年10月分


def test_under_three_amount_through_the_month_of_the_third_birthday():
    assert monthly("2025-05", "2022-05-20") == [15_000]
    assert monthly("2025-06", "2022-05-20") == [10_000]


def test_a_birth_on_the_first_of_a_month_keeps_the_under_three_amount_in_that_month():
    # 「月の初日に生まれた児童については、出生の日から3年を経過しない児童」: born 5/1 reaches 3 on
    # 4/30 but keeps 15,000円 for May (its birthday month).
    assert monthly("2025-05", "2022-05-01") == [15_000]
    assert monthly("2025-06", "2022-05-01") == [10_000]


def test_a_young_person_whose_costs_are_borne_is_counted_to_the_22nd_birthday_year_end():
    # Born 2003-04-02: reaches 22 on 2025-04-01 → 22歳年度末 2026-03-31.
    children = ({"birth_date": "2003-04-02", **COSTS}, "2010-05-05", "2015-05-05")
    assert monthly("2026-03", *children) == [0, 10_000, 30_000]
    assert monthly("2026-04", *children) == [0, 10_000, 10_000]
    assert allowance("2026-04", *children)["children"][0]["rank"] is None


def test_a_young_person_whose_costs_are_not_borne_is_not_counted():
    out = allowance("2025-06", "2004-08-08", "2010-05-05", "2015-05-05")
    assert [c["rank"] for c in out["children"]] == [None, 1, 2] and out["monthly_total"] == 20_000


def test_third_child_on_is_30000_at_any_age_from_2024_10():
    assert monthly("2024-10", "2008-01-01", "2010-01-01", "2024-01-01") == [10_000, 10_000, 30_000]
    assert monthly("2024-10", "2008-01-01", "2010-01-01", "2012-01-01") == [10_000, 10_000, 30_000]


def test_before_the_reform_third_child_is_15000_only_from_three_to_the_end_of_primary_school():
    # 3歳未満 15,000 for every rank; 3歳〜小学校修了前 第3子 15,000; 中学生 10,000 for every rank.
    assert monthly("2024-09", "2010-01-01", "2012-01-01", "2023-01-01") == [10_000, 10_000, 15_000]
    # Two 高校生 counted, not paid; 小学6年 (born 2012-04-02) 15,000, 中学1年 (2012-04-01) 10,000.
    assert monthly("2024-09", "2008-01-01", "2009-01-01", "2012-04-02") == [0, 0, 15_000]
    assert monthly("2024-09", "2008-01-01", "2009-01-01", "2012-04-01") == [0, 0, 10_000]


def test_before_the_reform_the_count_stops_at_the_18th_birthday_year_end_even_with_costs_borne():
    assert monthly("2024-09", {"birth_date": "2005-01-01", **COSTS}, "2010-01-01", "2014-01-01") == [
        0,
        10_000,
        10_000,
    ]


def test_the_rank_is_by_age_not_input_order():
    out = allowance("2025-02", "2015-05-05", {"birth_date": "2005-01-10", **COSTS}, "2010-03-03")
    assert [c["rank"] for c in out["children"]] == [3, 1, 2]
    assert out["monthly_total"] == 40_000  # the contract's example: 30,000 + 0 + 10,000


def test_an_age_stands_for_a_birthday_just_passed():
    # Age 3 in the month: the birthday was last month, so the under-3 amount has ended.
    assert monthly("2025-02", {"age": 3}) == [10_000]
    assert allowance("2025-02", {"age": 3})["children"][0]["birth_date"] == "2022-01-02"
    assert monthly("2025-02", {"age": 2}) == [15_000]


def test_steps_name_the_scheme_each_child_and_the_total():
    steps = allowance("2024-10", "2020-01-01")["steps"]
    assert "令和6年10月分から" in steps[0] and "第1子" in steps[1] and steps[-1] == "月額の合計: 10,000円"


def test_every_month_of_every_supported_year_has_its_scheme():
    # The data's periods (by 年度) and the schemes' months (2024年度 holds two) leave no gap.
    for fiscal_year in supported_years():
        for year, month in [(fiscal_year, m) for m in range(4, 13)] + [
            (fiscal_year + 1, m) for m in range(1, 4)
        ]:
            expected = "令和6年10月分から" if (year, month) >= (2024, 10) else "令和6年9月分まで"
            assert expected in scheme_for(year, month).name


def test_the_reform_changes_the_same_family_from_october_2024():
    family = ({"birth_date": "2005-01-10", **COSTS}, "2010-03-03", "2015-05-05")
    assert allowance("2024-09", *family)["monthly_total"] == 20_000  # 大学生 not counted: 10,000 × 2
    assert allowance("2024-10", *family)["monthly_total"] == 40_000  # counted: 0 + 10,000 + 30,000
