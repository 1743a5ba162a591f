"""住所地特例 (介護保険法 §13; insurance-welfare-facts §1.3 「住所地特例 keeps the old insurer for
施設 moves」): a 被保険者 who moves into a 住所地特例対象施設 (介護保険施設, 特定施設, 養護老人ホーム)
of another municipality stays insured by the municipality of his former address; that
municipality's 転入 of such a person (a 他市町村住所地特例者) is not its 被保険者.

The registry's 転出 and the clerk's 適用 meet in either order:
- 適用 first: the consumer sees ``Known.kept_from`` (the 入所日) and a 転出 on or after it loses
  nothing (``linkage.residence.decide``);
- 転出 first: the consumer wrote a 喪失 (翌日); the 適用 with 入所日 ≤ 転出日 voids it by a 訂正 row —
  a 取得 on the 喪失's own date, so the person is insured without a gap (the history is kept).
- The same for a 他市町村住所地特例者: a 取得 the consumer wrote from the 転入 (転入日 ≥ 入所日) is
  voided by a 喪失 on the same date; after the 適用 the person is ``excluded`` (no 取得 by events).
Pure Python: the services read and write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from yakuba.long_term_care.codes import AcquiredReason, Direction, EndReason, LostReason
from yakuba.platform.linkage.residence import Acquire, Lose, Step


@dataclass(frozen=True)
class Row:
    """The person's latest 資格 row: (取得|喪失, 日, 事由)."""

    change: str
    on: date
    reason: str


def voiding(direction: str, atena_no: str, admitted_on: date, last: Row | None) -> list[Step]:
    """The 訂正 row an 適用 writes against what the consumer already did (see the docstring)."""
    if last is None:
        return []
    if direction == Direction.OURS:
        # The 喪失 of a 転出 is dated the day after it: 転出日 = on − 1.
        if (
            last.change == "lost"
            and last.reason == LostReason.MOVE_OUT
            and last.on - timedelta(days=1) >= admitted_on
        ):
            return [Acquire(atena_no, last.on, AcquiredReason.CORRECTION)]
        return []
    if last.change == "acquired" and last.reason == AcquiredReason.MOVE_IN and last.on >= admitted_on:
        return [Lose(atena_no, last.on, LostReason.CORRECTION)]
    return []


ENDS = {
    Direction.OURS: (EndReason.RETURNED, EndReason.MOVED, EndReason.DIED),
    Direction.THEIRS: (EndReason.MOVED_HERE, EndReason.LEFT, EndReason.DIED),
}


def ending(
    direction: str, atena_no: str, reason: str, ended_on: date, *, insured: bool, first_insured: bool
) -> list[Step]:
    """The 資格 change an 終了 makes (介護保険法 §11: 喪失 the day after the address is gone; §10:
    取得 the day a resident 65+ has an address here):

    - 住所地特例者 who returns here: none (insured still, a resident again); who moves to a home
      in another municipality or dies: 喪失 the next day (転出・死亡 as the registry's).
    - 他市町村住所地特例者 who moves to a home in our municipality: 取得 that day if 65 is reached
      (``first_insured``); who leaves or dies: none (never ours)."""
    if direction == Direction.OURS:
        if reason in (EndReason.MOVED, EndReason.DIED) and insured:
            lost = LostReason.MOVE_OUT if reason == EndReason.MOVED else LostReason.DEATH
            return [Lose(atena_no, ended_on + timedelta(days=1), lost)]
        return []
    if reason == EndReason.MOVED_HERE and first_insured and not insured:
        return [Acquire(atena_no, ended_on, AcquiredReason.SPECIAL_END)]
    return []
