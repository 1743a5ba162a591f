"""The months of the 児童扶養手当 (pure; facts §7).

- 支給開始月: the month after the 請求月 (児童扶養手当法 §7①「請求をした日の属する月の翌月から」).
- 支給終了月: the month in which the 事由 ends (§7①「支給すべき事由が消滅した日の属する月で終わる」).
- 支給年度: November to the next October, named here by the year of its November; its 所得制限
  uses the previous calendar year's 所得 (§9①「前年の所得…（1月から10月までの月分の手当については、
  前々年の所得）」) — the 住民税 of the 年度 named by the same year.
- 支払月: odd months (1, 3, 5, 7, 9, 11), each paying the two months before it (§7③ as amended
  2019-11; 五條市, 鈴鹿市 in facts §7): 1月 pays 11月・12月.
- 対象児童: to the 年度末 (3月31日) after the 18th birthday — the age is reached the day before the
  birthday (年齢計算ニ関スル法律; facts §1.2), so a child born on 4月1日 leaves a year earlier.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

NOVEMBER, OCTOBER = 11, 10
PAYMENT_MONTHS = (1, 3, 5, 7, 9, 11)


def first_of(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_after(day: date) -> date:
    """The 支給開始月 of a 請求 made on ``day``."""
    return add_months(first_of(day), 1)


def benefit_year_of(month: date) -> int:
    """The 支給年度 (year of its November) a month belongs to."""
    return month.year if month.month >= NOVEMBER else month.year - 1


def benefit_year_span(year: int) -> tuple[date, date]:
    """(11月, 翌10月) of the 支給年度 ``year``."""
    return date(year, NOVEMBER, 1), date(year + 1, OCTOBER, 1)


def each_month(first: date, last: date) -> Iterator[date]:
    month = first
    while month <= last:
        yield month
        month = add_months(month, 1)


def months_paid_in(payment_month: date) -> tuple[date, date]:
    """The two months an odd 支払月 pays; ``ValueError`` for an even month."""
    if payment_month.month not in PAYMENT_MONTHS:
        raise ValueError(
            f"{payment_month.year}年{payment_month.month}月は児童扶養手当の支払月ではありません（奇数月）"
        )
    return add_months(payment_month, -2), add_months(payment_month, -1)


def last_child_month(birth: date, age: int = 18) -> date:
    """The last month a child born on ``birth`` is 対象児童: March of the 年度 in which it reaches
    ``age`` (the day before the birthday)."""
    try:
        birthday = birth.replace(year=birth.year + age)
    except ValueError:  # 2月29日
        birthday = date(birth.year + age, 3, 1)
    reached = birthday - timedelta(days=1)
    fiscal = reached.year if reached.month >= 4 else reached.year - 1
    return date(fiscal + 1, 3, 1)
