"""The months of a 年度 in which a person is insured, and in which the 介護納付金分 applies.

The tax of a 年度 is the sum of its months: 資格 counts from the month of 取得 to the month before
the month of 喪失 (insurance-welfare-facts §1.2, §2.6: 防府市 「取得月から喪失月の前月まで」), so a
person's months are a range of the 年度's twelve, April = 0 … March = 11. Ages are reached the
day before the birthday (年齢計算ニ関スル法律): 40 and 65 of the 介護分 so; 後期高齢者医療 starts on
the 75th birthday itself, so 国保 is counted to the month before it (鎌倉市, 奈良市).
"""

from __future__ import annotations

from datetime import date, timedelta

from yakuba.health_insurance.rules.inputs import Person
from yakuba.platform.japanese.wareki import turns_age_on

MONTHS = 12


def index(day: date, fiscal_year: int) -> int:
    """The month of ``day`` counted from April of the 年度 (may fall outside 0–11)."""
    return (day.year - fiscal_year) * 12 + day.month - 4


def month_name(i: int) -> str:
    """「4月」…「3月」 for the steps."""
    return f"{(i + 3) % 12 + 1}月"


def span(months: range) -> str:
    if len(months) == MONTHS:
        return "12か月"
    return f"{month_name(months.start)}〜{month_name(months.stop - 1)}の{len(months)}か月"


def insured(person: Person, fiscal_year: int, late_elderly_age: int) -> range:
    """The months of the 年度 in which ``person`` is in 国保: from the month of 取得 (or of birth)
    to the month before 喪失 (or before the 75th birthday). Acquired and lost in one month: that
    month counts (同月得喪)."""
    if not person.insured:
        return range(0)
    start, stop = 0, MONTHS
    born = person.birth_date
    if born is not None and index(born, fiscal_year) > 0:
        start = index(born, fiscal_year)
    if person.acquired_on is not None:
        start = max(start, index(person.acquired_on, fiscal_year))
    if born is not None:
        stop = min(stop, index(turns_age_on(born, late_elderly_age) + timedelta(days=1), fiscal_year))
    if person.lost_on is not None:
        lost = index(person.lost_on, fiscal_year)
        same_month = person.acquired_on is not None and lost == index(person.acquired_on, fiscal_year)
        stop = min(stop, lost + 1 if same_month else lost)
    start, stop = max(start, 0), min(stop, MONTHS)
    return range(start, stop) if start < stop else range(0)


def aged_between(person: Person, fiscal_year: int, from_age: int, until_age: int) -> range:
    """The months of the 年度 from the month the person reaches ``from_age`` to the month before
    the one in which they reach ``until_age`` (介護保険法 §9 二: 40歳以上65歳未満)."""
    if person.birth_date is None:
        return range(MONTHS) if person.age is not None and from_age <= person.age < until_age else range(0)
    start = index(turns_age_on(person.birth_date, from_age), fiscal_year)
    stop = index(turns_age_on(person.birth_date, until_age), fiscal_year)
    start, stop = max(start, 0), min(stop, MONTHS)
    return range(start, stop) if start < stop else range(0)


def until_school_year_end(person: Person, fiscal_year: int, age: int) -> bool:
    """Still before the first 3月31日 after reaching ``age`` during the whole 年度 (未就学児: 6;
    the 子ども・子育て支援納付金分's children: 18). That 3月31日 ends a 年度, so the answer holds for
    every month; with ``age`` alone: younger than ``age`` on 4月1日."""
    if person.birth_date is None:
        return person.age is not None and person.age < age
    return turns_age_on(person.birth_date, age) >= date(fiscal_year, 4, 1)


def elderly_at_year_end(person: Person, fiscal_year: int, age: int) -> bool:
    """``age`` or older on 12月31日 of the income year, the day the 公的年金等 rules judge age; with
    ``age`` alone (the age on 4月1日), that age."""
    if person.birth_date is None:
        return person.age is not None and person.age >= age
    return turns_age_on(person.birth_date, age) <= date(fiscal_year - 1, 12, 31)


def childbirth(person: Person, fiscal_year: int, table) -> range:
    """The months of the 産前産後 reduction inside the 年度: from the month before the expected
    month of birth (3 months before for a multiple birth) to 2 months after it, none before
    ``table.from_month``."""
    if person.childbirth is None or table is None:
        return range(0)
    expected = index(person.childbirth.expected_on, fiscal_year)
    before = table.months_before_multiple if person.childbirth.multiple else table.months_before
    first_year, first_month = (int(x) for x in str(table.from_month).split("-"))
    earliest = index(date(first_year, first_month, 1), fiscal_year)
    start, stop = max(expected - before, earliest, 0), min(expected + table.months_after + 1, MONTHS)
    return range(start, stop) if start < stop else range(0)
