"""国保 資格 from the registry's 異動 and from age: one event and what 国保 knows → the changes.

Dates are the 国保法's as municipalities publish them (insurance-welfare-facts §2.2, §1.2, §1.3;
広島市 https://www.city.hiroshima.lg.jp/soshiki/71/3083.html, 岐南町 https://www.town.ginan.lg.jp/1483.htm):
取得 on the 転入日 or the 出生日; 喪失 on the day *after* a 転出 or a death; 後期高齢者医療 on
the 75th birthday itself (奈良市, 鎌倉市), so 国保 is lost on that day. A 転入 is not an automatic
取得: whether the person is in employment insurance (社保), 後期 or 生活保護 is not known to the
registry, so the clerk confirms the 加入届 (a work item). Pure Python: no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from yakuba.health_insurance.codes import AcquiredReason, LostReason, WorkKind
from yakuba.platform.japanese.wareki import turns_age_on
from yakuba.platform.linkage.resident import ResidentChange

LATE_ELDERLY_AGE = 75
HEAD = "世帯主"


# What a registry event says of one person (``event`` is its verb: moved-in, born, …).
RegistryChange = ResidentChange


@dataclass(frozen=True)
class Known:
    """What 国保 knows of the person before the event (None in ``decide``: not known at all)."""

    setai_no: str
    insured: bool
    special: bool = False  # 特定同一世帯所属者 now


@dataclass(frozen=True)
class Acquire:
    atena_no: str
    setai_no: str
    on: date
    reason: str


@dataclass(frozen=True)
class Lose:
    atena_no: str
    on: date
    reason: str


@dataclass(frozen=True)
class Work:
    kind: str
    atena_no: str
    setai_no: str
    due_on: date


@dataclass(frozen=True)
class Regroup:
    """The person is now in another 世帯: no 資格 change (the 世帯 is the 国保世帯's, not the 資格's)."""

    atena_no: str
    setai_no: str


@dataclass(frozen=True)
class Head:
    """The 世帯's 世帯主 is now this person (擬制世帯主 is recomputed from who is insured)."""

    setai_no: str
    atena_no: str


@dataclass(frozen=True)
class Special:
    """特定同一世帯所属者 from ``start`` (``until`` None) or until ``until``."""

    atena_no: str
    start: date | None = None
    until: date | None = None


Action = Acquire | Lose | Work | Regroup | Head | Special

# 喪失 the day after: 転出 and death (住所を有しなくなった日の翌日, 国保法 §8); a 職権消除 likewise.
_LOST_NEXT_DAY = {
    "moved-out": LostReason.MOVE_OUT,
    "died": LostReason.DEATH,
    "removed": LostReason.EX_OFFICIO,
}
# 世帯 changes inside the town: the 被保険者 follows the registry's 世帯 without a 資格 change.
_REGROUP = {"moved-within", "household-changed", "head-changed", "relationship-changed", "canceled"}


def seventy_fifth_birthday(birth: date) -> date:
    """The day 後期 starts and 国保 is lost: the 75th birthday itself (facts §1.2: born 5/1 →
    後期 from 5/1), which is the day after 75 is reached (年齢計算ニ関スル法律); born 2月29日 → 3月1日
    in a common year."""
    return turns_age_on(birth, LATE_ELDERLY_AGE) + timedelta(days=1)


def birth_dates_turning_75_on(day: date) -> list[date]:
    """The 生年月日 whose 75th birthday is ``day`` (the daily age job's query): the same day 75
    years before, and on 3月1日 of a common year also 2月29日."""
    dates = []
    try:
        dates.append(day.replace(year=day.year - LATE_ELDERLY_AGE))
    except ValueError:  # 2月29日 never is a 75th birthday (75 years after 2/29 is a common year)
        pass
    leap = date(day.year - LATE_ELDERLY_AGE, 3, 1) - timedelta(days=1)
    if (day.month, day.day) == (3, 1) and leap.day == 29:
        dates.append(leap)
    return [d for d in dates if seventy_fifth_birthday(d) == day]


def decide(change: RegistryChange, known: Known | None, *, household_insured: bool) -> list[Action]:
    """The changes one registry event makes to 国保 資格 (facts §1.3, §2.2).

    ``household_insured``: someone else in the event's 世帯 is insured now (for a birth).
    - 転入, 職権記載 → a 加入届 work item on the 転入日, never an automatic 取得 (社保・後期・生保 are
      not known); a person already 75 goes to 後期, not 国保: no work item.
    - 出生 into a 世帯 with an insured member → 取得 on the 出生日, automatically (the newborn of a
      社保 世帯 is the employer's 被扶養者: nothing).
    - 転出, 死亡, 職権消除 → 喪失 the day after the 異動日 (the registry's 異動日 of a 転出 is the
      転出予定日: it refuses a 予定日 other than the 異動日); a 特定同一世帯所属者 stops being one then.
    - 転居, 世帯分離・合併・変更, 世帯主変更 → the 被保険者 moves to the new 世帯; a 特定同一世帯所属者
      who leaves the 世帯 stops being one (the status is of that 世帯).
    - 異動の取消し → a work item: what the cancelled 異動 did to 資格 is the clerk's to undo.
    - The 世帯主 in any event → the 国保世帯's head (擬制世帯主 when not insured).
    """
    actions: list[Action] = []
    event = change.event
    if event in ("moved-in", "recorded"):
        if change.birth_date is None or change.move_date < seventy_fifth_birthday(change.birth_date):
            actions.append(Work(WorkKind.ENROLMENT, change.atena_no, change.setai_no, change.move_date))
    elif event == "born":
        if household_insured:
            born = change.birth_date or change.move_date
            actions.append(Acquire(change.atena_no, change.setai_no, born, AcquiredReason.BIRTH))
    elif event in _LOST_NEXT_DAY and known is not None:
        next_day = change.move_date + timedelta(days=1)
        if known.insured:
            actions.append(Lose(change.atena_no, next_day, _LOST_NEXT_DAY[event]))
        if known.special:
            actions.append(Special(change.atena_no, until=next_day))
    elif event in _REGROUP and known is not None:
        if event == "canceled":
            actions.append(Work(WorkKind.REVIEW, change.atena_no, change.setai_no, change.move_date))
        if known.setai_no != change.setai_no:
            actions.append(Regroup(change.atena_no, change.setai_no))
            if known.special:
                actions.append(Special(change.atena_no, until=change.move_date))
    if change.relationship == HEAD and event not in _LOST_NEXT_DAY:
        actions.append(Head(change.setai_no, change.atena_no))
    return actions


def at_75(
    atena_no: str, setai_no: str, birthday: date, *, insured: bool, others_insured: bool
) -> list[Action]:
    """The 75th birthday of a 被保険者 (facts §2.2: 後期 = the 75th birthday, the 喪失日 for month
    counting, as 奈良市 and 鎌倉市 count): 喪失 on the birthday, a 75歳到達 work item the 後期 app
    reads, and 特定同一世帯所属者 from that day when others of the 世帯 stay insured (facts §2.5).
    Someone not insured is not 国保's: nothing."""
    if not insured:
        return []
    actions: list[Action] = [
        Lose(atena_no, birthday, LostReason.LATE_ELDERLY),
        Work(WorkKind.AGE_75, atena_no, setai_no, birthday),
    ]
    if others_insured:
        actions.append(Special(atena_no, start=birthday))
    return actions
