"""年齢 as the 住民基本台帳 shows it: 年齢計算ニ関スル法律 (明治35年法律第50号).

Age is counted from the day of birth (第1項: 出生ノ日ヨリ之ヲ起算ス) by the calendar (民法第143条),
so a year of life ends at the end of the day before the birthday, and registers and laws treat
that day as the one on which the person reaches the new age (年齢に達する日): a person born on
4月2日 is 6 on 4月1日, one born on 2月29日 is a year older on 2月28日 of a common year
(民法第143条第2項ただし書: no corresponding day, the period ends on the month's last day).
"""

from __future__ import annotations

from datetime import date, timedelta

from yakuba.platform.japanese.wareki import age_on

__all__ = ["registered_age"]


def registered_age(birth: date, on: date) -> int | None:
    """The age on ``on``: completed years, one more from the day before each birthday.

    ``age_on`` counts birthdays (the new age on the birthday itself); the register's age is
    that of the next day. ``None`` before the day of birth.
    """
    if on < birth:
        return None
    return age_on(birth, on + timedelta(days=1))
