"""The 在外選挙人名簿's pure rules at their boundary days (docs/reference/civil-facts.md §1.4, §1.3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from yakuba.overseas_electors.codes import Basis
from yakuba.overseas_electors.rules import eligibility as rules

FILED, PLANNED = date(2026, 3, 10), date(2026, 3, 24)


def departure(applied_on, *, on_roll=True, lost=False, qualifies=False, filed=FILED, planned=PLANNED):
    return dict(
        rules.check_departure(
            applied_on, filed, planned, on_roll=on_roll, lost_suffrage=lost, qualifies_by_planned=qualifies
        )
    )


@pytest.mark.parametrize(
    ("applied_on", "ok"),
    [
        (FILED - timedelta(days=1), False),  # before the 転出届
        (FILED, True),  # the 転出届's day
        (PLANNED, True),  # the 転出予定日 itself (鹿角市, 坂出市: 「転出予定日当日まで」)
        (PLANNED + timedelta(days=1), False),  # after it: 在外公館申請 only
    ],
)
def test_departure_window_is_from_the_move_out_notice_to_the_planned_day_inclusive(applied_on, ok):
    assert ("applied_on" not in departure(applied_on)) is ok


def test_departure_needs_the_roll_or_qualifying_by_the_planned_day():
    assert departure(FILED, on_roll=False)["atena_no"].startswith(
        "この市区町村の選挙人名簿に登録されておらず"
    )
    assert departure(FILED, on_roll=False, qualifies=True) == {}
    assert "選挙権を有しない" in departure(FILED, lost=True)["atena_no"]
    assert "国外への転出届" in departure(FILED, filed=None, planned=None)["atena_no"]


def test_departure_applications_began_on_2018_06_01():
    assert (
        "2018年6月1日"
        in departure(date(2018, 5, 31), filed=date(2018, 5, 30), planned=date(2018, 6, 5))["applied_on"]
    )
    assert departure(date(2018, 6, 1), filed=date(2018, 5, 30), planned=date(2018, 6, 5)) == {}


def test_qualifying_at_home_by_the_planned_day_age_and_three_months():
    long_ago = date(2000, 1, 1)
    # 18th birthday the day after the 転出予定日: 18 is reached on the 予定日 (the day before).
    assert rules.qualifies_at_home_by(date(2008, 3, 25), long_ago, PLANNED)
    assert not rules.qualifies_at_home_by(date(2008, 3, 26), long_ago, PLANNED)
    # 転入届 three months before the 予定日 to the day qualifies; one day later does not.
    assert rules.qualifies_at_home_by(date(1980, 1, 1), date(2025, 12, 24), PLANNED)
    assert not rules.qualifies_at_home_by(date(1980, 1, 1), date(2025, 12, 25), PLANNED)
    assert not rules.qualifies_at_home_by(None, long_ago, PLANNED)  # 生年月日不詳


def test_the_registering_municipality_by_the_day_the_person_left_japan():
    assert rules.registering_basis(date(1994, 5, 1)) == Basis.LAST_ADDRESS
    assert rules.registering_basis(date(1994, 4, 30)) == Basis.DOMICILE
    assert rules.registering_basis(None) == Basis.DOMICILE  # never lived in Japan


@pytest.mark.parametrize(
    ("arrived", "first_day"),
    [
        # The same count as the 選挙人名簿's three months (civil-facts §1.3: 4月2日 → 7月2日).
        (date(2025, 4, 2), date(2025, 7, 2)),
        (date(2025, 11, 30), date(2026, 2, 28)),  # no 2月30日: the month's last day
    ],
)
def test_mission_application_waits_for_three_months_in_the_area(arrived, first_day):
    assert rules.mission_qualifies_on(date(1980, 1, 1), arrived) == first_day


def test_mission_application_waits_for_the_18th_year_when_later():
    # 18th birthday 2026-01-01: reached 2025-12-31, after the three months end.
    assert rules.mission_qualifies_on(date(2008, 1, 1), date(2025, 4, 2)) == date(2025, 12, 31)
    # Born on 2月29日: 18 reached on 2月28日 of a non-leap year.
    assert rules.age_reached_on(date(2008, 2, 29), 18) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("came_home", "first_day"),
    [
        # Four months from the day after, struck off the day after they end (civil-facts §1.3).
        (date(2025, 4, 10), date(2025, 8, 11)),
        (date(2025, 10, 31), date(2026, 3, 1)),
    ],
)
def test_struck_off_four_months_after_the_domestic_address_day(came_home, first_day):
    assert rules.struck_off_from(came_home) == first_day


def test_an_agent_needs_the_persons_signed_statement():
    assert rules.check_agent("", False) == []  # the person in person
    assert rules.check_agent("代理 花子", True) == []
    assert rules.check_agent("代理 花子", False)[0][0] == "statement"
