"""One test per 介護 第1号 資格 rule (rules/qualification.py on linkage.residence), each failing if
the rule were wrong (insurance-welfare-facts §4.1, §1.2, §1.3)."""

from __future__ import annotations

from datetime import date

from yakuba.long_term_care.codes import AcquiredReason, LostReason
from yakuba.long_term_care.rules import qualification as q
from yakuba.platform.linkage.residence import Acquire, Known, Lose
from yakuba.platform.linkage.resident import ResidentChange

DAY = date(2026, 5, 10)
RULE = q.RULE


def change(event: str, *, born: date | None = date(1950, 1, 1)) -> ResidentChange:
    return ResidentChange("e1", event, "A1", "S1", DAY, born, "世帯主")


def test_65_is_reached_the_day_before_the_birthday():
    assert q.qualifying_day(date(1961, 5, 1)) == date(2026, 4, 30)  # facts §1.2: born 5/1 → 4/30
    assert q.qualifying_day(date(1960, 2, 29)) == date(2025, 2, 28)  # 民法 §143 ii
    assert RULE.births_reaching_on(date(2026, 4, 30)) == [date(1961, 5, 1)]
    assert RULE.births_reaching_on(date(2025, 8, 31)) == [date(1960, 9, 1)]  # found by the replay
    assert RULE.births_reaching_on(date(2025, 12, 31)) == [date(1961, 1, 1)]
    assert RULE.births_reaching_on(date(2025, 2, 28)) == [date(1960, 2, 29), date(1960, 3, 1)]
    assert RULE.births_reaching_on(date(2024, 2, 28)) == []  # 1959 has no 2/29: nobody that day
    assert RULE.births_reaching_on(date(2024, 2, 29)) == [date(1959, 3, 1)]


def test_a_move_in_at_65_or_over_acquires_on_the_move_in_day():
    assert RULE.decide(change("moved-in", born=date(1961, 5, 11)), None) == [
        Acquire("A1", DAY, AcquiredReason.MOVE_IN)
    ]  # 65 reached on 5/10, the day of the 転入
    assert RULE.decide(change("moved-in", born=date(1961, 5, 12)), None) == []


def test_move_out_and_death_lose_the_next_day():
    nxt = date(2026, 5, 11)
    assert RULE.decide(change("moved-out"), Known(True)) == [Lose("A1", nxt, LostReason.MOVE_OUT)]
    assert RULE.decide(change("died"), Known(True)) == [Lose("A1", nxt, LostReason.DEATH)]
    assert RULE.decide(change("moved-out"), None) == []


def test_the_age_job_acquires_on_the_day_65_is_reached():
    assert RULE.at_age("A1", DAY, None) == [Acquire("A1", DAY, AcquiredReason.AGE)]
    assert RULE.at_age("A1", DAY, Known(True)) == []
