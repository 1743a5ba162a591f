"""How a year's 個人住民税 is paid: the 納期 and the amount of each.

- 特別徴収 (給与, 地方税法 §321の5): twelve monthly amounts from June to the next May; each month
  the total ÷ 12 truncated to 100円, June takes the remainder (新潟市の計算例: 194,500 → 6月
  16,300, 7月〜翌年5月 16,200).
- 普通徴収 (§320): four 納期 — June, August, October and the next January; each the total ÷ 4
  truncated to 1,000円, the first takes the remainder (新潟市: 50,500 then 48,000 × 3).

Returned as ``[("2026-06", 16300), …]`` (年月, 円).
"""

from __future__ import annotations

PAYROLL_MONTHS = (6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5)
DIRECT_MONTHS = (6, 8, 10, 1)


def _months(fiscal_year: int, months: tuple[int, ...]) -> list[str]:
    return [f"{fiscal_year + (1 if m < 6 else 0)}-{m:02d}" for m in months]


def _spread(total: int, months: list[str], unit: int) -> list[tuple[str, int]]:
    if total <= 0:
        return []
    each = total // len(months) // unit * unit
    first = total - each * (len(months) - 1)
    # A small total is paid at once: the 納期 whose share truncates to zero have nothing to pay.
    return [(months[0], first)] + [(month, each) for month in months[1:] if each]


def payroll(total: int, fiscal_year: int) -> list[tuple[str, int]]:
    """特別徴収 (給与): 12 months, 100円 units, the remainder in June."""
    return _spread(total, _months(fiscal_year, PAYROLL_MONTHS), 100)


def direct(total: int, fiscal_year: int) -> list[tuple[str, int]]:
    """普通徴収: 4 納期, 1,000円 units, the remainder in the first."""
    return _spread(total, _months(fiscal_year, DIRECT_MONTHS), 1000)
