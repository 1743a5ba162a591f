"""The cohort of the 学齢簿, boundary by boundary (学校教育法 第17条第1項, 年齢計算ニ関スル法律,
民法 第143条; civil-facts §4.1 — 菊陽町's cohort for 2025-04 and the 2008-04-01/04-02 pair are the
published examples)."""

from __future__ import annotations

from datetime import date, timedelta

from yakuba.school_enrollment.rules.cohort import cohort, entry_year


def test_the_cohort_runs_from_april_2nd_to_april_1st():
    # 菊陽町 (civil-facts §4.1): 入学 2025-04 for those born 平成30年4月2日 – 平成31年4月1日
    assert cohort(2025) == (date(2018, 4, 2), date(2019, 4, 1))
    assert cohort(2026) == (date(2019, 4, 2), date(2020, 4, 1))


def test_born_april_1st_enters_a_year_before_born_april_2nd():
    # huffingtonpost (civil-facts §4.1): 2008-04-01 → 2014-04, 2008-04-02 → 2015-04
    assert entry_year(date(2008, 4, 1)) == 2014
    assert entry_year(date(2008, 4, 2)) == 2015


def test_the_first_day_of_a_cohort_and_the_day_before_it():
    assert entry_year(date(2019, 4, 2)) == 2026
    assert entry_year(date(2019, 4, 1)) == 2025


def test_born_february_29th_falls_inside_its_cohort():
    assert entry_year(date(2020, 2, 29)) == 2026  # 満6歳 on 2026-02-28
    assert entry_year(date(2020, 3, 1)) == 2026  # the day before is 2月29日: 満6歳 on 2026-02-28


def test_the_statute_and_the_cohort_agree_on_every_day_of_eight_years():
    day = date(2016, 1, 1)
    while day < date(2024, 1, 1):
        first, last = cohort(entry_year(day))
        assert first <= day <= last, day
        day += timedelta(days=1)


def test_an_address_is_placed_by_the_longest_town_name_and_its_banchi_range():
    from yakuba.school_enrollment.rules.district import DistrictIndex, Place

    index = DistrictIndex(
        "福島県会津若松市",
        [("栄町", 0, 99999, "E2", "J2"), ("東栄町", 1, 10, "E1", "J1"), ("東栄町", 20, 30, "E3", "J1"),
         ("東栄町一丁目", 0, 99999, "E4", "J4")],
    )  # fmt: skip
    assert index.place("福島県会津若松市東栄町3番46号") == Place("東栄町", 3, "E1", "J1")
    assert index.place("福島県会津若松市東栄町一丁目１２番地") == Place("東栄町一丁目", 12, "E4", "J4")
    assert index.place("福島県会津若松市東栄町15番") == Place("東栄町", 15)  # between two ranges
    assert index.place("福島県会津若松市東栄町30番1号") == Place("東栄町", 30, "E3", "J1")
    assert index.place("福島県会津若松市栄町") == Place("栄町", None, "E2", "J2")
    assert index.place("福島県会津若松市北会津町1番") == Place()


def test_compulsory_schooling_ends_at_the_year_end_after_15():
    from datetime import date

    from yakuba.school_enrollment.rules.cohort import compulsory_end, grade

    assert compulsory_end(date(2011, 4, 1)) == date(2026, 3, 31)  # 早生まれ: a year earlier
    assert compulsory_end(date(2011, 4, 2)) == date(2027, 3, 31)
    assert compulsory_end(date(2012, 2, 29)) == date(2027, 3, 31)
    assert [
        grade(date(2019, 4, 2), d)
        for d in (date(2026, 3, 31), date(2026, 4, 1), date(2035, 3, 31), date(2035, 4, 1))
    ] == [0, 1, 9, 10]
