"""The 選挙人名簿's date rules at their exact boundary days (docs/reference/civil-facts.md §0, §1.3)."""

from __future__ import annotations

from datetime import date

import pytest

from yakuba.elections.rules.dates import (
    Election,
    age_deadline,
    age_reached_on,
    former_address_qualifies,
    latest_move_in,
    old_enough,
    resident_long_enough,
    struck_off_from,
    teiji_run,
    teiji_runs,
)


def test_age_is_reached_the_day_before_the_birthday():
    # civil-facts §1.3 [verified]: 選挙期日 2025-07-20 — born 2007-07-21 is 18 on election day,
    # born 2007-07-22 is not.
    deadline = age_deadline(date(2025, 7, 2), date(2025, 7, 20))
    assert deadline == date(2025, 7, 21)
    assert age_reached_on(date(2007, 7, 21), 18) == date(2025, 7, 20)
    assert old_enough(date(2007, 7, 21), deadline)
    assert not old_enough(date(2007, 7, 22), deadline)


def test_a_leap_day_birth_reaches_18_on_28_february():
    assert age_reached_on(date(2008, 2, 29), 18) == date(2026, 2, 28)
    assert old_enough(date(2008, 2, 29), age_deadline(date(2026, 2, 28)))  # its birthday is 3月1日
    assert not old_enough(date(2008, 2, 29), age_deadline(date(2026, 2, 27)))


def test_teiji_age_is_judged_on_the_kijun():
    # 定時登録 3月1日: the 年齢期限日 is 3月2日 — a birthday on 3月2日 is in, 3月3日 is out.
    deadline = age_deadline(date(2026, 3, 1))
    assert old_enough(date(2008, 3, 2), deadline)
    assert not old_enough(date(2008, 3, 3), deadline)
    assert not old_enough(None, deadline)


@pytest.mark.parametrize(
    ("kijun", "cutoff"),
    [
        # civil-facts §1.3's 定時登録 table [verified], and the 2025 参院選 (基準日 7/2 → 4/2).
        (date(2026, 3, 1), date(2025, 12, 1)),
        (date(2026, 6, 1), date(2026, 3, 1)),
        (date(2026, 9, 1), date(2026, 6, 1)),
        (date(2026, 12, 1), date(2026, 9, 1)),
        (date(2025, 7, 2), date(2025, 4, 2)),
        # 民法143条2項: a period ending in a month without the day ends at the month's end.
        (date(2026, 2, 28), date(2025, 11, 30)),
        (date(2026, 5, 31), date(2026, 2, 28)),
    ],
)
def test_three_months_from_the_move_in_notification(kijun, cutoff):
    assert latest_move_in(kijun) == cutoff
    assert resident_long_enough(cutoff, kijun)
    assert not resident_long_enough(date.fromordinal(cutoff.toordinal() + 1), kijun)


def test_a_record_without_a_notification_date_counts_as_long_resident():
    assert resident_long_enough(None, date(2026, 3, 1))


def test_struck_off_four_months_after_moving_out():
    # civil-facts §1.3: 転出 2025-04-10 → from 2025-08-11; 2025-10-31 → from 2026-03-01.
    assert struck_off_from(date(2025, 4, 10)) == date(2025, 8, 11)
    assert struck_off_from(date(2025, 10, 31)) == date(2026, 3, 1)


def test_former_address_registration_within_four_months_after_three_months_here():
    # 公職選挙法21条2項 (civil-facts §1.1): 定時登録 2025-09-01. Left 2025-05-01: struck off from
    # 2025-09-02, so the four months have not passed on the 基準日 — in; left 2025-04-30: struck
    # off from 2025-09-01 — out. The record here from the 転入届 2025-02-01 lasted three months
    # by 2025-05-01 (初日不算入, §1.3) — in; from 2025-02-02 it did not.
    kijun = date(2025, 9, 1)
    assert former_address_qualifies(date(2025, 5, 1), date(2025, 2, 1), kijun)
    assert not former_address_qualifies(date(2025, 4, 30), date(2025, 1, 1), kijun)
    assert not former_address_qualifies(date(2025, 5, 1), date(2025, 2, 2), kijun)
    assert former_address_qualifies(
        kijun, None, kijun
    )  # left on the 基準日; resident since before the registry
    assert not former_address_qualifies(date(2025, 9, 2), None, kijun)  # leaves after the 基準日: still here


def test_teiji_dates_move_off_holidays():
    # 2025: 3月1日 is a Saturday → 3月3日; 6月1日 a Sunday → 6月2日; 9月1日 and 12月1日 Mondays.
    assert [r.registered_on for r in teiji_runs(2025)] == [
        date(2025, 3, 3),
        date(2025, 6, 2),
        date(2025, 9, 1),
        date(2025, 12, 1),
    ]
    assert all(
        r.kijun.day == 1 and r.age_deadline == date.fromordinal(r.kijun.toordinal() + 1)
        for r in teiji_runs(2025)
    )


def test_teiji_in_an_election_period_stays_on_the_first_and_judges_age_on_election_day():
    # 公職選挙法22条1項ただし書・2項: 公示 2026-02-20, 選挙期日 2026-03-08 — 3月1日 (a Sunday) is in the
    # period: registration on the 1st, age by 3月8日.
    election = Election(date(2026, 2, 20), date(2026, 3, 8))
    run = teiji_run(date(2026, 3, 1), (election,))
    assert run.registered_on == date(2026, 3, 1)
    assert run.age_deadline == date(2026, 3, 9)
    # The day before polling is still in the period; election day itself is not.
    assert election.in_period(date(2026, 3, 7)) and not election.in_period(date(2026, 3, 8))
    assert teiji_run(date(2026, 3, 1)).registered_on == date(2026, 3, 2)


def test_teiji_kijun_must_be_the_first_of_a_registration_month():
    with pytest.raises(ValueError, match="3月・6月・9月・12月の1日"):
        teiji_run(date(2026, 4, 1))
