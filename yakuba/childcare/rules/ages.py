"""The dates the 保育 rules turn on: the 年度 of a month, the child's クラス年齢 (age on 4月1日 of
the 年度), the 小学校 entry and which 年度's 市町村民税 a month's 利用者負担 follows
(insurance-welfare-facts §9.2).

A child born on 4月1日 has its birthday on the 4月1日 and is already three then: it belongs to
the older class, the one born on 4月2日 to the younger — the same boundary as the 学齢 (born
4月2日 to 4月1日 enter school together; civil-facts §4).
"""

from __future__ import annotations

from datetime import date

from yakuba.platform.japanese.wareki import age_on

# A month as YYYY-MM, years 1900–2099 (every date() can be made of it).
MONTH = r"^(19|20)\d{2}-(0[1-9]|1[0-2])$"


def fiscal_year_of(year: int, month: int) -> int:
    """The 年度 (April to March) the month belongs to."""
    return year if month >= 4 else year - 1


def next_month(day: date) -> date:
    """The 1st of the month after ``day``'s."""
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def class_age(birth: date, fiscal_year: int) -> int:
    """The クラス年齢: the child's age on 4月1日 of the 年度 (the fee's 3歳未満/以上, the 無償化 of
    the 3–5歳 class and the 定員's class follow it all year, whatever birthday comes between); a
    child born during the 年度 is in the 0歳児 class."""
    start = date(fiscal_year, 4, 1)
    return age_on(birth, start) if birth <= start else 0


def school_entry(birth: date) -> date:
    """The 4月1日 the child enters 小学校: the first 年度 whose クラス年齢 is 6 (学校教育法 §17)."""
    return date(birth.year + (6 if (birth.month, birth.day) <= (4, 1) else 7), 4, 1)


def tax_year_for(year: int, month: int) -> int:
    """The 年度 of the 市町村民税 a month's 利用者負担 follows: April–August the previous 年度's
    (the current 年度's tax is not yet decided), September–March the current 年度's (釧路市:
    「4月から8月分までは前年度の市町村民税、9月分からは現年度の市町村民税」,
    https://www.city.kushiro.lg.jp/kosodatekyouiku/kosodate/1008292/1005300/1005301/1005302.html)."""
    fiscal_year = fiscal_year_of(year, month)
    return fiscal_year - 1 if 4 <= month <= 8 else fiscal_year
