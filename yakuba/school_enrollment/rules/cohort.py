"""Who enters 小学校 on a 4月1日: the cohort of the 学齢簿 (docs/reference/civil-facts.md §4.1).

学校教育法 第17条第1項: the guardian must send the child to 小学校 "from the beginning of the first
school year after the day following the day the child reaches 満6歳"; the school year begins on
4月1日 (学校教育法施行規則 第59条). 年齢計算ニ関スル法律 (明治35年法律第50号) counts age from the day
of birth, and 民法 第143条 ends the period on the day before the anniversary: a child reaches 満6歳
on the day *before* the 6th birthday. So a child born 4月1日 reaches 6 on 3月31日, the next day is
4月1日 — the beginning of a school year — and enters that year; a child born 4月2日 reaches 6 on
4月1日 and waits for the next year ("早生まれ" ends on 4月1日). A child born 2月29日 reaches 6 on
2月28日 (the day before the anniversary, in any year) and falls inside its cohort normally.
"""

from __future__ import annotations

from datetime import date, timedelta

ENTRY_AGE = 6  # 学校教育法 第17条第1項: 満6歳に達した日の翌日以後における最初の学年の初め
YEAR_START = (4, 1)  # 学校教育法施行規則 第59条: 学年は、4月1日に始まり、翌年3月31日に終わる


def cohort(entry_year: int) -> tuple[date, date]:
    """The first and last birth dates of the children entering 小学校 on ``entry_year``-04-01:
    (YYYY−7)-04-02 to (YYYY−6)-04-01, both included."""
    return date(entry_year - ENTRY_AGE - 1, 4, 2), date(entry_year - ENTRY_AGE, *YEAR_START)


def entry_year(birth: date) -> int:
    """The year whose 4月1日 a child born on ``birth`` enters 小学校 — worked from the statute
    (the day after reaching 満6歳, then the first 4月1日 on or after it), not from ``cohort``, so
    that each checks the other."""
    day_before = birth - timedelta(days=1)
    try:
        reached = day_before.replace(year=day_before.year + ENTRY_AGE)  # 満6歳に達した日
    except ValueError:  # born 3月1日 after a 2月29日: 民法 第143条第2項ただし書, the month's last day
        reached = date(day_before.year + ENTRY_AGE, 2, 28)
    start = reached + timedelta(days=1)
    return start.year if (start.month, start.day) <= YEAR_START else start.year + 1


def compulsory_end(birth: date) -> date:
    """The last day of compulsory schooling: the 3月31日 ending the school year in which the child
    reaches 満15歳 (学校教育法 第17条第2項, 中学校 "満十五歳に達した日の属する学年の終わりまで";
    civil-facts §4.1) — nine school years after entry, so the end of the year before
    ``entry_year(birth) + 9``."""
    return date(entry_year(birth) + 9, 3, 31)


def grade(birth: date, on: date) -> int:
    """The school year of the child on ``on``: 0 before entry (就学予定者), 1–6 小学校, 7–9 中学校,
    10 after compulsory schooling. Counted in school years from the entry's 4月1日."""
    school_year = on.year if (on.month, on.day) >= YEAR_START else on.year - 1
    return min(max(school_year - entry_year(birth) + 1, 0), 10)
