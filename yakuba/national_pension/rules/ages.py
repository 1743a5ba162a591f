"""The ages 国民年金 turns on, counted as the law counts them: an age is reached at the end of the
day before the birthday (年齢計算ニ関スル法律; insurance-welfare-facts §1.2, §10.1), so one born
on the 1st of a month reaches it in the month before."""

from __future__ import annotations

from datetime import date

from yakuba.platform.japanese.wareki import turns_age_on

ENTRY_AGE = 20


def first_insured_day(
    birth: date, *, employee_pension: bool = False, dependent_spouse: bool = False
) -> date | None:
    """The day a resident becomes a 第1号被保険者 at 20 (国民年金法 §7①一, §8一: 「20歳に達したとき」
    = the day before the 20th birthday; born 4月1日 → 3月31日, from March). ``None`` for a member
    of 厚生年金 (第2号) or a dependent spouse (第3号): they are insured, but not as 第1号."""
    if employee_pension or dependent_spouse:
        return None
    return turns_age_on(birth, ENTRY_AGE)


def under_age_months(birth: date, age: int, first: date, last: date) -> tuple[date, date] | None:
    """The first days of the months from ``first`` to ``last`` (first days of months) before the
    month in which ``age`` is reached (「50歳に達する日の属する月の前月まで」), or ``None``."""
    reached = turns_age_on(birth, age).replace(day=1)
    if reached <= first:
        return None
    if reached > last:
        return first, last
    end = date(reached.year - (reached.month == 1), 12 if reached.month == 1 else reached.month - 1, 1)
    return first, end
