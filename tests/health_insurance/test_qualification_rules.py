"""One test per 資格 rule (rules/qualification.py), each failing if the rule were wrong."""

from __future__ import annotations

from datetime import date

from yakuba.health_insurance.codes import AcquiredReason, LostReason, WorkKind
from yakuba.health_insurance.rules import qualification as q

DAY = date(2026, 5, 10)


def change(event: str, *, setai="S1", born=date(1980, 1, 1), rel="子", day=DAY) -> q.RegistryChange:
    return q.RegistryChange("e1", event, "A1", setai, day, born, rel)


INSURED = q.Known("S1", True)


def test_move_in_is_a_work_item_not_an_acquisition():
    assert q.decide(change("moved-in"), None, household_insured=True) == [
        q.Work(WorkKind.ENROLMENT, "A1", "S1", DAY)
    ]


def test_move_in_at_75_or_over_goes_to_late_elderly_not_kokuho():
    assert q.decide(change("moved-in", born=date(1951, 5, 10)), None, household_insured=False) == []
    assert q.decide(change("moved-in", born=date(1951, 5, 11)), None, household_insured=False) != []


def test_birth_into_an_insured_household_acquires_on_the_birth_date():
    born = change("born", born=DAY)
    assert q.decide(born, None, household_insured=True) == [q.Acquire("A1", "S1", DAY, AcquiredReason.BIRTH)]
    assert q.decide(born, None, household_insured=False) == []


def test_move_out_and_death_lose_the_next_day():
    nxt = date(2026, 5, 11)
    assert q.decide(change("moved-out"), INSURED, household_insured=False) == [
        q.Lose("A1", nxt, LostReason.MOVE_OUT)
    ]
    assert q.decide(change("died"), INSURED, household_insured=False) == [q.Lose("A1", nxt, LostReason.DEATH)]
    assert q.decide(change("died"), q.Known("S1", False), household_insured=False) == []


def test_a_special_member_who_leaves_stops_being_one():
    special = q.Known("S1", False, special=True)
    assert q.decide(change("died"), special, household_insured=True) == [
        q.Special("A1", until=date(2026, 5, 11))
    ]
    assert q.decide(change("household-changed", setai="S2"), special, household_insured=True) == [
        q.Regroup("A1", "S2"),
        q.Special("A1", until=DAY),
    ]


def test_household_changes_move_the_member_without_a_qualification_change():
    actions = q.decide(change("moved-within", setai="S2"), INSURED, household_insured=False)
    assert actions == [q.Regroup("A1", "S2")]
    assert q.decide(change("moved-within"), INSURED, household_insured=False) == []


def test_the_head_in_an_event_is_the_kokuho_households_head():
    actions = q.decide(change("head-changed", rel="世帯主"), INSURED, household_insured=True)
    assert actions == [q.Head("S1", "A1")]
    # a head who dies or leaves is not the head of anything any more
    assert q.Head("S1", "A1") not in q.decide(change("died", rel="世帯主"), INSURED, household_insured=True)


def test_a_cancelled_move_is_the_clerks_to_review():
    assert q.decide(change("canceled"), INSURED, household_insured=True) == [
        q.Work(WorkKind.REVIEW, "A1", "S1", DAY)
    ]


def test_the_75th_birthday_is_the_loss_day_and_a_work_item_for_late_elderly():
    birthday = date(2026, 5, 1)
    assert q.seventy_fifth_birthday(date(1951, 5, 1)) == birthday  # not 4/30 (the 40/65 rule)
    assert q.at_75("A1", "S1", birthday, insured=True, others_insured=True) == [
        q.Lose("A1", birthday, LostReason.LATE_ELDERLY),
        q.Work(WorkKind.AGE_75, "A1", "S1", birthday),
        q.Special("A1", start=birthday),
    ]
    assert q.Special("A1", start=birthday) not in q.at_75(
        "A1", "S1", birthday, insured=True, others_insured=False
    )
    assert q.at_75("A1", "S1", birthday, insured=False, others_insured=True) == []


def test_born_on_february_29_turns_75_on_march_1_of_a_common_year():
    assert q.seventy_fifth_birthday(date(1952, 2, 29)) == date(2027, 3, 1)
    assert q.birth_dates_turning_75_on(date(2027, 3, 1)) == [date(1952, 3, 1), date(1952, 2, 29)]
    assert q.birth_dates_turning_75_on(date(2026, 3, 1)) == [date(1951, 3, 1)]
