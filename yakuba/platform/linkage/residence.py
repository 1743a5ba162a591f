"""資格 by residence and age: the rule 後期高齢者医療 and 介護保険 第1号 share — pure Python.

Both insure every resident of the area from an age on (後期: 高齢者の医療の確保に関する法律 §50,
75歳 — the birthday itself; 介護 第1号: 介護保険法 §9, 65歳 — the day before the birthday,
年齢計算ニ関スル法律), with no household and no other-insurance question (unlike 国保, whose 転入
needs the clerk's 加入届): so a registry event decides alone (insurance-welfare-facts §1.3):

- 転入 (and 職権記載) of a person who has reached the age → 取得 on the 異動日;
- the day the age is reached, for a resident → 取得 on that day (the daily age job);
- 転出, 死亡, 職権消除 of an insured person → 喪失 on the day after the 異動日 (facts §1.3: 後期
  「喪失 (翌日)」, 介護 「喪失 (翌日)」 — both [unverified] there, as 国保's 転出日の翌日);
- a person the clerk marks as excluded (後期: 生活保護 受給者, 高確法 §51; 介護: a
  他市町村住所地特例者 in one of our 施設) is never acquired by an event;
- 住所地特例 (介護保険法 §13, 高確法 §55): a person who moved out to enter a 施設 elsewhere stays
  insured here — a 転出 on or after the 入所日 the domain knows (``Known.kept_from``) loses
  nothing.

The domain gives the day its age is reached and its 事由 codes: its ``Rule``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from yakuba.platform.linkage.resident import ResidentChange


@dataclass(frozen=True)
class Known:
    """What the domain knows of the person before the event (None: not known at all)."""

    insured: bool
    excluded: bool = False
    kept_from: date | None = None  # 住所地特例: the 入所日 of a 施設 elsewhere (insured here still)


@dataclass(frozen=True)
class Acquire:
    atena_no: str
    on: date
    reason: str


@dataclass(frozen=True)
class Lose:
    atena_no: str
    on: date
    reason: str


Step = Acquire | Lose


@dataclass(frozen=True)
class Reasons:
    """A domain's 事由 codes for what the registry and age decide."""

    move_in: str
    age: str
    move_out: str
    death: str
    ex_officio: str

    @classmethod
    def of(cls, acquired, lost) -> Reasons:
        """From a domain's code classes, by the names both use (MOVE_IN, AGE; MOVE_OUT, DEATH,
        EX_OFFICIO)."""
        return cls(acquired.MOVE_IN, acquired.AGE, lost.MOVE_OUT, lost.DEATH, lost.EX_OFFICIO)


def births_reaching_on(day: date, years: int, reached: Callable[[date], date]) -> list[date]:
    """The 生年月日 whose age ``years`` is reached on ``day`` by ``reached`` (the daily age job's
    query): the dates a few days either side of the same day ``years`` before (the day-before
    rule moves 8月31日 to a 9月1日 birth; the base is clamped to the 28th), kept when ``reached``
    gives ``day`` — so a 2月29日 birth falls where the domain's rule puts it (2月28日 or 3月1日 in a
    common year)."""
    base = date(day.year - years, day.month, min(day.day, 28))
    around = (base + timedelta(days=d) for d in range(-4, 8))
    return sorted(b for b in around if reached(b) == day)


def decide(
    change: ResidentChange, known: Known | None, *, reached: Callable[[date], date], reasons: Reasons
) -> list[Step]:
    """The 資格 change one registry event makes (see the module docstring)."""
    insured = bool(known and known.insured)
    if change.event in ("moved-in", "recorded"):
        of_age = change.birth_date is not None and reached(change.birth_date) <= change.move_date
        if of_age and not insured and not (known and known.excluded):
            return [Acquire(change.atena_no, change.move_date, reasons.move_in)]
        return []
    leaving = {"moved-out": reasons.move_out, "died": reasons.death, "removed": reasons.ex_officio}
    if change.event == "moved-out" and known and known.kept_from and known.kept_from <= change.move_date:
        return []
    if change.event in leaving and insured:
        return [Lose(change.atena_no, change.move_date + timedelta(days=1), leaving[change.event])]
    return []


def at_age(atena_no: str, day: date, known: Known | None, *, reasons: Reasons) -> list[Step]:
    """A resident reaches the age on ``day``: 取得 that day, unless insured already (a 障害認定
    before 75) or excluded."""
    if known is not None and (known.insured or known.excluded):
        return []
    return [Acquire(atena_no, day, reasons.age)]


@dataclass(frozen=True)
class Rule:
    """One domain's rule: the age, the day it is reached from a 生年月日, the 事由 codes."""

    age: int
    reached: Callable[[date], date]
    reasons: Reasons

    def births_reaching_on(self, day: date) -> list[date]:
        return births_reaching_on(day, self.age, self.reached)

    def decide(self, change: ResidentChange, known: Known | None) -> list[Step]:
        return decide(change, known, reached=self.reached, reasons=self.reasons)

    def at_age(self, atena_no: str, day: date, known: Known | None) -> list[Step]:
        return at_age(atena_no, day, known, reasons=self.reasons)
