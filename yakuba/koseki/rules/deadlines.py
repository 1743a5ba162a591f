"""The 届出期間 of the 報告的届出 (civil-facts §3.2).

- 出生: 14 days, 3 months when born abroad (戸籍法49条1項); 死亡: 7 days from the day the 届出義務者
  learned of it, 3 months abroad (法86条1項).
- The first day counts (法43条1項: 「届出期間は、届出事件発生の日からこれを起算する」 — 民法140条's
  初日不算入 does not apply): a child born on 1月1日 is due by 1月14日, one born 12月2日 by 12月15日
  (worked examples: https://woman.excite.co.jp/article/lifestyle/rid_Meotalk_httpsmeotalkjplife16602/pid_2.html ,
  http://gyousyo01.sub.jp/14syussyou-008.htm).
- A period in months ends the day before the day of the same number in the last month, or that
  month's last day when it has no such day (民法143条2項): born 1月15日 abroad → 4月14日.
- A last day on which the office is closed moves to the next open day (地方自治法4条の2第4項;
  the municipal pages above say 「翌開庁日」).
- A status decided by a court (裁判離婚 — 判決・調停・審判 —, 裁判認知) is reported within 10 days
  of the day the decision became final, that day counted (法63条1項, 77条1項; civil-facts §3.2).
- 創設的届出 (婚姻, 離婚 by agreement, 転籍, 入籍, 振り仮名) take effect on 受理 and have no 届出期間.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from yakuba.koseki.codes import Kind
from yakuba.platform.installments import closed

DAYS = {Kind.BIRTH: 14, Kind.DEATH: 7}
COURT_DAYS = 10  # 法63条1項 (裁判認知), 77条1項 (裁判離婚)
ABROAD_MONTHS = 3


def _months_later(first: date, months: int) -> date:
    """The last day of a period of ``months`` whose first day is ``first`` (民法143条2項)."""
    month_index = first.month - 1 + months
    year, month = first.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if first.day > last:  # no day of that number: the month's last day
        return date(year, month, last)
    return date(year, month, first.day) - timedelta(days=1)


def deadline(kind: Kind, first_day: date, *, abroad: bool = False) -> date | None:
    """The last day to file ``kind`` whose period starts on ``first_day`` (the birth; for a death
    the day it became known), or None for a 創設的届出."""
    if kind not in DAYS:
        return None
    if abroad:
        return _open(_months_later(first_day, ABROAD_MONTHS))
    return _open(first_day + timedelta(days=DAYS[kind] - 1))


def court(finalised_on: date) -> date:
    """The last day to report a court's decision that became final on ``finalised_on``."""
    return _open(finalised_on + timedelta(days=COURT_DAYS - 1))


def _open(day: date) -> date:
    """A last day on which the office is closed moves to the next open day."""
    while closed(day):
        day += timedelta(days=1)
    return day


def is_late(kind: Kind, first_day: date, filed_on: date, *, abroad: bool = False) -> bool:
    """Filed after the 届出期間: still accepted (a 届出 is never refused for lateness), but the
    clerk sends the 失期通知 to the 簡易裁判所 for a 過料 (法137条)."""
    last = deadline(kind, first_day, abroad=abroad)
    return last is not None and filed_on > last
