"""The date arithmetic of the 選挙人名簿 (docs/reference/civil-facts.md §1.1, §1.3), exactly.

- Age: 年齢計算ニ関スル法律 and 民法143条 — age N is reached at the end of the day before the Nth
  birthday; a 2月29日 birth has its birthday on 3月1日 in a non-leap year, so reaches the age on
  2月28日. The 年齢期限日 is the 基準日 + 1 (定時登録) or the 選挙期日 + 1 (選挙時登録, and a 定時登録
  whose 1st falls in an election period: 公職選挙法22条2項): a person qualifies when the 18th
  birthday is on or before it.
- Residence (公職選挙法21条1項): three months from the 転入届 (the 届出年月日, not the 異動日),
  初日不算入 (民法140条): the period ends on the same day-of-month three months on, or at that month's
  end when the day does not exist (民法143条2項); the person qualifies when it has ended by the
  基準日. So for a 基準日 on the 1st the latest qualifying 転入届 is the 1st three months before.
- 定時登録 (公職選挙法22条1項): 基準日 3月・6月・9月・12月の1日; registration on the 1st, or the next
  day the office is open when the 1st is a holiday — except when the 1st falls between the
  公示/告示 day and the day before polling, when it stays on the 1st.
- 抹消 after a 転出 (公職選挙法28条2号): four months counted from the day after the 転出 date; the
  entry may be struck off from the day after the period ends (転出 2025-04-10 → 2025-08-11).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from yakuba.platform.installments import closed

VOTING_AGE = 18
RESIDENCE_MONTHS = 3
STRIKE_OFF_MONTHS = 4
REGISTRATION_MONTHS = (3, 6, 9, 12)


def add_months(day: date, months: int) -> date:
    """The same day-of-month ``months`` later, or that month's last day when it has no such day
    (民法143条2項)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def birthday(birth: date, age: int) -> date:
    """The ``age``th birthday; a 2月29日 birth's is 3月1日 in a non-leap year."""
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:
        return date(birth.year + age, 3, 1)


def age_reached_on(birth: date, age: int) -> date:
    """The day ``age`` is reached: the day before the birthday (年齢計算ニ関スル法律)."""
    return birthday(birth, age) - timedelta(days=1)


def age_deadline(kijun: date, election_day: date | None = None) -> date:
    """The 年齢期限日: the 選挙期日 + 1 when an election is given (選挙時登録, or a 定時登録 in an
    election period, 公職選挙法22条2項・3項), else the 基準日 + 1 (civil-facts §1.3)."""
    return (election_day or kijun) + timedelta(days=1)


def old_enough(birth: date | None, deadline: date) -> bool:
    """18 reached by the day before ``deadline`` (a 生年月日不詳 person is never taken by a run)."""
    return birth is not None and birthday(birth, VOTING_AGE) <= deadline


def residence_ends(notified: date) -> date:
    """The last day of the three months that start the day after the 転入届 (初日不算入)."""
    return add_months(notified, RESIDENCE_MONTHS)


def resident_long_enough(notified: date | None, kijun: date) -> bool:
    """Three months of residence have ended by the 基準日 (civil-facts §1.3); a person whose record
    has no 届出年月日 (carried over from before the registry) has been resident since before it."""
    return notified is None or residence_ends(notified) <= kijun


def latest_move_in(kijun: date) -> date:
    """The last 転入届 date that qualifies on ``kijun`` (the 定時登録 table of civil-facts §1.3:
    3月1日 → 12月1日 of the year before)."""
    day = add_months(kijun, -RESIDENCE_MONTHS)
    while residence_ends(day + timedelta(days=1)) <= kijun:
        day += timedelta(days=1)
    return day


def struck_off_from(moved_out: date) -> date:
    """The first day a 転出者 may be struck off: the day after four months counted from the day
    after the 転出 (civil-facts §1.3: 2025-04-10 → 2025-08-11, 2025-10-31 → 2026-03-01)."""
    return add_months(moved_out, STRIKE_OFF_MONTHS) + timedelta(days=1)


def former_address_qualifies(left_on: date, since: date | None, kijun: date) -> bool:
    """旧住所地 registration (公職選挙法21条2項, since 2016-06-19; civil-facts §1.1): a person who
    stopped living here on ``left_on`` is registered here if the four months after it have not
    passed by the 基準日 (the day they would be struck off is after it, §1.3) and their record
    here lasted three months, counted like the 転入's (from the 届出年月日 ``since``, 初日不算入)
    to the day they left."""
    return left_on <= kijun < struck_off_from(left_on) and resident_long_enough(since, left_on)


@dataclass(frozen=True, slots=True)
class Election:
    """An election's days: the 公示/告示 day and the 選挙期日."""

    announced_on: date
    election_day: date

    def in_period(self, day: date) -> bool:
        """From the 公示/告示 day to the day before polling (公職選挙法22条1項 ただし書)."""
        return self.announced_on <= day < self.election_day


@dataclass(frozen=True, slots=True)
class TeijiRun:
    """One 定時登録: its 基準日, the day the 選管 registers, and the 年齢期限日."""

    kijun: date
    registered_on: date
    age_deadline: date


def teiji_run(kijun: date, elections: tuple[Election, ...] = ()) -> TeijiRun:
    """The 定時登録 of ``kijun`` (the 1st of a 登録月): on the 1st, moved to the next open day when the
    1st is a holiday (公職選挙法22条1項) unless it falls in an election period, when it stays and
    age is judged on that 選挙期日 (22条2項)."""
    if kijun.day != 1 or kijun.month not in REGISTRATION_MONTHS:
        raise ValueError(f"定時登録の基準日は3月・6月・9月・12月の1日です（{kijun}）")
    running = next((e for e in elections if e.in_period(kijun)), None)
    if running is not None:
        return TeijiRun(kijun, kijun, age_deadline(kijun, running.election_day))
    day = kijun
    while closed(day):
        day += timedelta(days=1)
    return TeijiRun(kijun, day, age_deadline(kijun))


def teiji_runs(year: int, elections: tuple[Election, ...] = ()) -> list[TeijiRun]:
    """The year's four 定時登録."""
    return [teiji_run(date(year, month, 1), elections) for month in REGISTRATION_MONTHS]
