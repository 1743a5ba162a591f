"""The months of 児童手当: when payment starts after a 請求 and when it ends (pure, no database).

- **支給開始月**: the month after the month of the 認定請求 (児童手当法 第8条第2項); the same for the
  増額 of a 額改定認定請求 (第9条第1項). No back-pay.
- **15日特例** (第8条第3項, 第9条第2項; insurance-welfare-facts §6): when the birth or the move
  falls at a month-end and the 請求 is made within 15 days counted from the day after it, payment
  starts the month after the event instead. For a 転入 the day counted from is the day after the
  転出予定日 on the 転出証明書 (https://www.city.miki.lg.jp/site/kosodateouen/10469.html).
- **支給終了月**: the month in which the right ends (第8条第2項): the claimant's death, or the
  転出予定日 for a 転出 — 「転出予定日の属する月分までの手当が支給されます」
  (長崎市 http://city.nagasaki.ajisai-call.jp/faq/show/1708 ; 松山市
  https://info-faq.city.matsuyama.ehime.jp/print/faq/1270: 3月15日転出予定 → 3月分まで).
- **減額** (a child who dies, an age event): from the month after the event (第9条第3項).
"""

from __future__ import annotations

from datetime import date, timedelta

SPECIAL_DAYS = 15


def month_of(day: date) -> date:
    """The month of a day, as its 1st."""
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The 1st of the month after the day's month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def special_deadline(event_on: date) -> date:
    """The last day a 請求 still gets the 15日特例: the 15th day counted from the day after the
    event (the day after is day 1)."""
    return event_on + timedelta(days=SPECIAL_DAYS)


def first_month(claimed_on: date, event_on: date | None = None) -> date:
    """支給開始月 (or the month a 増額 starts): the month after the 請求, or the month after the
    event when the 請求 is within its 15日特例 (the earlier of the two)."""
    start = next_month(claimed_on)
    if event_on is not None and event_on <= claimed_on <= special_deadline(event_on):
        return min(start, next_month(event_on))
    return start


def months(start: date, end: date) -> list[date]:
    """Every month from ``start`` to ``end`` (both 1sts, inclusive)."""
    found, month = [], month_of(start)
    while month <= end:
        found.append(month)
        month = next_month(month)
    return found
