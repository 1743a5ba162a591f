"""How a year's 個人住民税 is paid: the 納期 and the amount of each.

- 特別徴収 (給与, 地方税法 §321の5): twelve monthly amounts from June to the next May; each month
  the total ÷ 12 truncated to 100円, June takes the remainder (新潟市の計算例: 194,500 → 6月
  16,300, 7月〜翌年5月 16,200).
- 普通徴収 (§320): four 納期 — June, August, October and the next January; each the total ÷ 4
  truncated to 1,000円, the first takes the remainder (新潟市: 50,500 then 48,000 × 3).
- 年金からの特別徴収 (§321の7の2〜§321の7の8): the months of the pension payments, April to the
  next February; how much each is, is ``rules/collection.py``'s.

Returned as ``[("2026-06", 16300), …]`` (年月, 円).
"""

from __future__ import annotations

PAYROLL_MONTHS = (6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5)
DIRECT_MONTHS = (6, 8, 10, 1)
PENSION_PROVISIONAL_MONTHS = (4, 6, 8)  # 仮徴収 (§321の7の8)
PENSION_MONTHS = (10, 12, 2)  # 本徴収 (§321の7の2)
FIRST_PENSION_DIRECT_MONTHS = (6, 8)  # the first year's half of the pension part, by 普通徴収


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


def payroll(total: int, fiscal_year: int) -> list[tuple[str, int]]:
    """特別徴収 (給与): 12 months, 100円 units, the remainder in June."""
    return spread(total, fiscal_year, PAYROLL_MONTHS, 100)


def direct(total: int, fiscal_year: int) -> list[tuple[str, int]]:
    """普通徴収: 4 納期, 1,000円 units, the remainder in the first."""
    return spread(total, fiscal_year, DIRECT_MONTHS, 1000)
