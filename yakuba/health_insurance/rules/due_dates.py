"""納期限 of each 納期 of the 国民健康保険税（料）: the last day of the 納期's month, or the next
day the office is open.

The 納期 months are the municipality's by 条例 (insurance-welfare-facts §2.7: e.g. 8 納期 July –
February, each due at the end of its month — 長久手, 栄町, 熊谷). A 期限 falling on a Saturday,
Sunday or 12月29日–1月3日 moves to the next day (地方税法 §20の5 ②; 行政機関の休日に関する法律
§1 for 1月2日・3日) or a 国民の祝日 (国民の祝日に関する法律, its 振替休日 and 国民の休日 too: 2029年
4月30日 is the 振替休日 of 昭和の日), as jpholiday computes them.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from yakuba.platform.installments import closed


def due_on(month: str) -> date:
    """The 納期限 of the 納期 of 「YYYY-MM」."""
    year, number = int(month[:4]), int(month[5:])
    day = date(year, number, calendar.monthrange(year, number)[1])
    while closed(day):
        day += timedelta(days=1)
    return day
