"""What one registry event does to the 学齢簿 (civil-facts §4.3, §5): pure Python.

The decision reads the state the event carries (the person's record after the 異動), not its
verb, so a 取消し or a 職権 correction is followed like any other: a person registered (住民) and
of school age is on the roll — added when not yet there, their address and 世帯 brought up to
date when they are (転居 → the 通学区域 again); a person no longer registered (消除: 転出 on its
date, 死亡, 職権消除) is closed. A 転出予定者 (住民状態 2) stays until the 転出予定日, the day the 転出
takes effect (registry-facts §14), and is closed from that day.

"Of school age" is the cohorts the 学齢簿 holds on the event's day: up to the cohort whose 基準日
(10月1日, 施行規則 第31条) has come (``roll_year``) or the last one a yearly 編製 took, and not past
the end of compulsory schooling (``compulsory_end``). So a 転入 after the 基準日 is followed even
before the 編製 has run. An event the 編製 already saw (recorded before it ran, with a 異動日 on or
before its 基準日) is not applied again: the caller leaves it out (``in_snapshot``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from yakuba.school_enrollment.codes import Added, Closed
from yakuba.school_enrollment.rules.cohort import compulsory_end, entry_year

RESIDENT, MOVING_OUT, REMOVED = 1, 2, 3  # the registry's 住民状態 (event data "status")
_CLOSED_BY = {"moved-out": Closed.MOVED_OUT, "died": Closed.DIED}


@dataclass(frozen=True)
class Add:
    reason: str  # Added


@dataclass(frozen=True)
class Update:
    pass


@dataclass(frozen=True)
class Close:
    on: date
    reason: str  # Closed


def in_snapshot(move_date: date, recorded_at: datetime, as_of: date, generated_at: datetime) -> bool:
    """The 編製 (基準日 ``as_of``, run at ``generated_at``) read the registry as it was at the end
    of ``as_of``, with every 異動 recorded by then: such an event is in it already."""
    return move_date <= as_of and recorded_at <= generated_at


def roll_year(on: date) -> int:
    """The latest entry year whose 就学予定者 belong on the 学齢簿 on ``on``: from 10月1日 (the
    基準日 of the 学齢簿 編製, 施行規則 第31条) the next year's."""
    return on.year + 1 if (on.month, on.day) >= (10, 1) else on.year


def of_school_age(birth: date | None, on: date, last_entry_year: int | None) -> bool:
    return (
        birth is not None
        and entry_year(birth) <= max(last_entry_year or 0, roll_year(on))
        and compulsory_end(birth) >= on
    )


def decide(
    verb: str,
    status: int,
    birth: date | None,
    move_date: date,
    planned_move_out_on: date | None,
    *,
    on_roll: bool,
    last_entry_year: int | None,
) -> Add | Update | Close | None:
    """The change to the 学齢簿 for one event (``verb``: moved-in, died, …; ``status``: 住民状態
    after it). ``on_roll``: the person has an open entry."""
    if status == REMOVED or (status == MOVING_OUT and planned_move_out_on is None):
        return Close(move_date, _CLOSED_BY.get(verb, Closed.REMOVED)) if on_roll else None
    if status == MOVING_OUT:
        return Close(planned_move_out_on, Closed.MOVED_OUT) if on_roll else None
    if on_roll:
        return Update()
    if of_school_age(birth, move_date, last_entry_year):
        return Add(Added.MOVED_IN if verb == "moved-in" else Added.RECORDED)
    return None
