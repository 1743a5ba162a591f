"""The 保育 rules (yakuba/childcare/rules), each at its boundary: the September switch of the
市町村民税 year, the 3歳 on 4月1日 of the クラス年齢, the 無償化 from 2019-10, the 多子 count, the
保育必要量 thresholds, the 有効期間 and the 利用調整 order (insurance-welfare-facts §9.2)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.childcare.test_golden import fee as kushiro_fee
from yakuba.childcare.rules import parameters
from yakuba.childcare.rules.ages import class_age, school_entry, tax_year_for
from yakuba.childcare.rules.allocation import Applicant, Parent, ScoreRefused, allocate, score
from yakuba.childcare.rules.certification import CertificationRefused, Need, certify
from yakuba.childcare.rules.fees import Household

AIZU = "072028"  # no table of its own: the 国基準
TABLE = parameters.national(2023).certification
TAXED = Household(False, False, 100_000)  # 国基準 第5階層 (< 169,000)


@pytest.mark.parametrize(
    ("year", "month", "tax_year"),
    [(2023, 4, 2022), (2023, 8, 2022), (2023, 9, 2023), (2024, 3, 2023), (2024, 1, 2023)],
)
def test_april_to_august_follow_the_previous_years_tax_september_the_current(year, month, tax_year):
    assert tax_year_for(year, month) == tax_year


def test_a_child_born_on_4_1_is_three_on_4_1_and_one_born_on_4_2_is_not():
    assert class_age(date(2020, 4, 1), 2023) == 3
    assert class_age(date(2020, 4, 2), 2023) == 2
    assert class_age(date(2023, 4, 2), 2023) == 0  # born during the 年度: the 0歳児 class
    assert school_entry(date(2017, 4, 1)) == date(2023, 4, 1)
    assert school_entry(date(2017, 4, 2)) == date(2024, 4, 1)


def fee(birth, household=TAXED, *, kind="2", **rest):
    """A month of 2023-10 by the 国基準 (会津若松市 has no table of its own) unless given."""
    return kushiro_fee(birth, household, kind=kind, lg_code=AIZU, **rest)


def test_the_3_to_5_class_is_free_from_2019_10_and_the_class_age_decides():
    born_4_1, born_4_2 = date(2016, 4, 1), date(2016, 4, 2)  # 2019年度: クラス年齢 3 and 2
    assert fee(born_4_1, month=(2019, 9)).amount == 41_500  # 国基準 3歳以上 第5階層
    assert fee(born_4_1, month=(2019, 10)).amount == 0
    assert fee(born_4_1, month=(2019, 10)).free == "幼児教育・保育の無償化（3〜5歳児クラス）"
    # Three on 4月2日, yet in the 2歳児クラス all year: the 3歳未満 amount until March.
    assert fee(born_4_2, kind="2", month=(2020, 3)).amount == 44_500
    assert fee(born_4_2, kind="2", month=(2020, 4)).amount == 0


def test_the_0_to_2_class_of_an_exempt_household_is_free_from_2019_10():
    exempt = Household(False, True, 0)
    baby = date(2019, 1, 10)
    assert fee(baby, exempt, kind="3", month=(2019, 9)).amount == 9_000
    assert fee(baby, exempt, kind="3", month=(2019, 10)).amount == 0
    assert fee(baby, Household(False, False, 0), kind="3", month=(2019, 10)).amount == 19_500  # 均等割のみ


def test_the_1go_is_free_from_2019_10():
    assert fee(date(2015, 6, 1), kind="1", need=None, month=(2019, 9)).amount == 20_500
    assert fee(date(2015, 6, 1), kind="1", need=None, month=(2019, 10)).amount == 0


def test_siblings_count_oldest_first_within_the_preschool_classes():
    baby = date(2022, 6, 1)
    preschool, schoolchild = date(2018, 6, 1), date(2016, 6, 1)  # クラス年齢 5 and 7 in 2023
    assert fee(baby, kind="3", siblings=[]).amount == 44_500
    assert fee(baby, kind="3", siblings=[preschool]).rank == 2
    assert fee(baby, kind="3", siblings=[preschool]).amount == 22_250
    # A child at school is not counted above the income bound …
    assert fee(baby, kind="3", siblings=[schoolchild]).rank == 1
    # … and is, below it (所得割 合算額 < 57,700円).
    low = Household(False, False, 57_699)
    assert fee(baby, low, kind="3", siblings=[schoolchild]).rank == 2
    assert fee(baby, Household(False, False, 57_700), kind="3", siblings=[schoolchild]).rank == 1
    # The 3rd pays nothing; a younger sibling does not move the rank; a free (3–5歳) sibling counts.
    assert fee(baby, kind="3", siblings=[preschool, date(2020, 6, 1)]).amount == 0
    assert fee(baby, kind="3", siblings=[date(2023, 3, 1)]).rank == 1


def test_the_need_follows_the_monthly_hours_and_the_lesser_parent():
    child = date(2022, 6, 1)
    base = date(2023, 4, 1)
    assert (
        certify(child, base, [Need("work", 120), Need("work", 120)], care=True, table=TABLE).need
        == "standard"
    )
    assert (
        certify(child, base, [Need("work", 160), Need("work", 119)], care=True, table=TABLE).need == "short"
    )
    assert certify(child, base, [Need("work", 160), Need("work", 64)], care=True, table=TABLE).need == "short"
    with pytest.raises(CertificationRefused) as refused:
        certify(child, base, [Need("work", 160), Need("work", 63)], care=True, table=TABLE)
    assert refused.value.errors[0][0] == "parents[1].monthly_hours"
    with pytest.raises(CertificationRefused) as refused:
        certify(child, base, [Need("work", 160), Need(None)], care=True, table=TABLE)
    assert refused.value.errors[0][0] == "parents[1].reason"


def test_the_kind_and_the_validity_follow_the_age_on_the_base_date():
    child = date(2021, 6, 1)
    parents = [Need("work", 160)]
    three = certify(child, date(2023, 4, 1), parents, care=True, table=TABLE)
    assert (three.kind, three.valid_until) == ("3", date(2024, 5, 30))  # the day before 満3歳に達する日
    two = certify(child, date(2024, 6, 1), parents, care=True, table=TABLE)
    assert (two.kind, two.valid_until) == ("2", date(2028, 3, 31))
    one = certify(child, date(2024, 6, 1), [], care=False, table=TABLE)
    assert (one.kind, one.need) == ("1", None)
    with pytest.raises(CertificationRefused):
        certify(child, date(2023, 4, 1), [], care=False, table=TABLE)
    job = certify(child, date(2024, 6, 1), [Need("job_search")], care=True, table=TABLE)
    assert (job.need, job.valid_until) == ("short", date(2024, 8, 29))  # 90 days
    birth = certify(
        child, date(2024, 6, 1), [Need("pregnancy", birth_due=date(2024, 7, 10))], care=True, table=TABLE
    )
    assert birth.valid_until == date(2024, 9, 30)  # 8 weeks after 7月10日 is 9月4日: the end of September


def full(days=5, hours=8):
    return Parent("work", "outside", monthly_hours=days * hours * 4, days_per_week=days, hours_per_day=hours)


def test_the_ranking_breaks_ties_by_the_municipalitys_keys_and_places_in_order():
    table = parameters.ranking_table(AIZU, 2023)  # the example 基準 (default.toml)
    assert list(table.tie_break) == ["total", "base_total", "income", "children"]
    full_time = Parent("work", "outside", monthly_hours=160)
    part = Parent("work", "outside", monthly_hours=120)  # 80
    a = Applicant(
        "A1", (full_time, full_time), (), income_levy=90_000, children=1, class_age=1, choices=("N1", "N2")
    )
    b = Applicant(
        "A2", (full_time, full_time), (), income_levy=80_000, children=1, class_age=1, choices=("N1",)
    )
    c = Applicant(
        "A3",
        (full_time, part),
        ("sibling_enrolled", "return_from_leave", "welfare"),
        income_levy=10_000,
        children=2,
        class_age=1,
        choices=("N1", "N2"),
    )
    d = Applicant(
        "A4", (full_time,), ("single_parent",), income_levy=0, children=1, class_age=1, choices=("N2",)
    )
    placed = allocate([a, b, c, d], {("N1", 1): 1, ("N2", 1): 1}, table)
    by = {p.number: p for p in placed}
    assert by["A4"].score.total == 100 + 100 + 20 and by["A4"].rank == 1  # the absent parent counts 100
    # A1, A2 and A3 all have 200 (A3: 180 + the higher 児童 item 10 + 生保 10); A3's 基準指数 is
    # lower: after the two; A2 has the lower 所得割.
    assert by["A3"].score.total == 200 and by["A3"].score.base_total == 180
    assert [p.number for p in placed] == ["A4", "A2", "A1", "A3"]
    assert (by["A4"].facility, by["A2"].facility, by["A1"].facility, by["A3"].facility) == (
        "N2",
        "N1",
        None,
        None,
    )
    assert by["A1"].steps[-1] == "保留（希望する施設に空きがない）"
    assert "所得割" in by["A2"].steps[0]


def test_a_row_the_base_does_not_have_is_refused_by_field():
    table = parameters.ranking_table("132233", 2023)
    with pytest.raises(ScoreRefused) as refused:
        score(Applicant("1", (full(), Parent("illness", "home")), ("unknown",)), table)
    fields = [f for f, _ in refused.value.errors]
    assert fields == ["parents[1].detail", "adjustments"]
    with pytest.raises(ScoreRefused):
        score(Applicant("1", (full(),)), table)  # no ひとり親 points in the city's entered rows
