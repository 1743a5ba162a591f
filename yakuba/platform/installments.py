"""Spreading a year's amount over its 納期: the one rule the 個人住民税 and the 国民健康保険税 share.

Each 納期 pays the even share truncated to the unit (100円 or 1,000円 by 条例) and the first 納期
takes the remainder — 新潟市's 個人住民税 example (50,500 → 14,500 then 12,000 × 3) and the
国保税 納期 of insurance-welfare-facts §2.7 alike. Pure Python (no Django): engines' ``rules``
use it. Returned as ``[("2026-07", 12300), …]`` (年月, 円).

The days the office is closed are here too: a 納期限 on one moves later (``closed``), a 支払日
earlier (``open_on_or_before``).
"""

from __future__ import annotations

from datetime import date, timedelta

import jpholiday

SATURDAY = 5


def closed(day: date) -> bool:
    """Saturday, Sunday, 12月29日–1月3日 (行政機関の休日に関する法律 §1) or a 国民の祝日 with its
    振替休日 and 国民の休日 (国民の祝日に関する法律), as jpholiday computes them."""
    return (
        day.weekday() >= SATURDAY
        or (day.month, day.day) >= (12, 29)
        or (day.month, day.day) <= (1, 3)
        or jpholiday.is_holiday(day)
    )


def open_on_or_before(day: date) -> date:
    """``day``, or the last day before it the office is open: a 支払日 falling on a closed day is
    paid earlier, never later (児童手当: "earlier if a holiday", insurance-welfare-facts §6)."""
    while closed(day):
        day -= timedelta(days=1)
    return day


def months(fiscal_year: int, numbers: tuple[int, ...]) -> list[str]:
    """「YYYY-MM」 of a schedule's months in order: every schedule starts in the 年度's own year
    and goes on into the next year where the month numbers wrap (12 → 1)."""
    year, previous, found = fiscal_year, 0, []
    for month in numbers:
        year += month < previous
        found.append(f"{year}-{month:02d}")
        previous = month
    return found


def spread(total: int, fiscal_year: int, numbers: tuple[int, ...], unit: int) -> list[tuple[str, int]]:
    """``total`` over the months: each the even share truncated to ``unit``, the first the rest."""
    if total <= 0:
        return []
    named = months(fiscal_year, numbers)
    each = total // len(named) // unit * unit
    first = total - each * (len(named) - 1)
    # A small total is paid at once: the 納期 whose share truncates to zero have nothing to pay.
    return [(named[0], first)] + [(month, each) for month in named[1:] if each]
