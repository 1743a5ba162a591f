"""One test per 後期 資格 rule (rules/qualification.py on linkage.residence), each failing if the
rule were wrong (insurance-welfare-facts §3.1, §1.2, §1.3)."""

from __future__ import annotations

from datetime import date

from yakuba.late_elderly_medical.codes import AcquiredReason, LostReason
from yakuba.late_elderly_medical.rules import qualification as q
from yakuba.platform.linkage.residence import Acquire, Known, Lose
from yakuba.platform.linkage.resident import ResidentChange

DAY = date(2026, 5, 10)
RULE = q.RULE


def change(event: str, *, born: date | None = date(1940, 1, 1), day=DAY) -> ResidentChange:
    return ResidentChange("e1", event, "A1", "S1", day, born, "世帯主")


def test_the_75th_birthday_itself_is_the_day():
    assert q.qualifying_day(date(1951, 5, 1)) == date(2026, 5, 1)  # facts §1.2: born 5/1 → 5/1
    assert q.qualifying_day(date(1952, 2, 29)) == date(2027, 3, 1)  # no 2/29 in 2027
    assert RULE.births_reaching_on(date(2026, 5, 1)) == [date(1951, 5, 1)]
    assert RULE.births_reaching_on(date(2027, 3, 1)) == [date(1952, 2, 29), date(1952, 3, 1)]
    assert RULE.births_reaching_on(date(2027, 2, 28)) == [date(1952, 2, 28)]


def test_a_move_in_at_75_or_over_acquires_on_the_move_in_day_automatically():
    assert RULE.decide(change("moved-in", born=date(1951, 5, 10)), None) == [
        Acquire("A1", DAY, AcquiredReason.MOVE_IN)
    ]
    assert RULE.decide(change("moved-in", born=date(1951, 5, 11)), None) == []  # 74 that day
    assert RULE.decide(change("moved-in", born=None), None) == []  # 生年月日不詳: the clerk's


def test_welfare_recipients_are_excluded():
    assert RULE.decide(change("moved-in"), Known(False, excluded=True)) == []
    assert RULE.at_age("A1", DAY, Known(False, excluded=True)) == []


def test_move_out_death_and_removal_lose_the_next_day():
    nxt = date(2026, 5, 11)
    insured = Known(True)
    assert RULE.decide(change("moved-out"), insured) == [Lose("A1", nxt, LostReason.MOVE_OUT)]
    assert RULE.decide(change("died"), insured) == [Lose("A1", nxt, LostReason.DEATH)]
    assert RULE.decide(change("removed"), insured) == [Lose("A1", nxt, LostReason.EX_OFFICIO)]
    assert RULE.decide(change("died"), Known(False)) == []


def test_other_events_change_nothing():
    for event in ("born", "moved-within", "household-changed", "head-changed", "canceled", "modified"):
        assert RULE.decide(change(event), Known(True)) == []


def test_the_age_job_acquires_unless_already_insured_by_a_disability_certification():
    assert RULE.at_age("A1", DAY, None) == [Acquire("A1", DAY, AcquiredReason.AGE)]
    assert RULE.at_age("A1", DAY, Known(True)) == []


def test_disability_certification_is_from_65_to_74():
    born = date(1955, 6, 1)
    assert q.disability_from(born) == date(2020, 6, 1)
    assert q.qualifying_day(born) == date(2030, 6, 1)
