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

from yakuba.platform.installments import months, spread

__all__ = ["months", "spread", "payroll", "direct"]

PAYROLL_MONTHS = (6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5)
DIRECT_MONTHS = (6, 8, 10, 1)
PENSION_PROVISIONAL_MONTHS = (4, 6, 8)  # 仮徴収 (§321の7の8)
PENSION_MONTHS = (10, 12, 2)  # 本徴収 (§321の7の2)
FIRST_PENSION_DIRECT_MONTHS = (6, 8)  # the first year's half of the pension part, by 普通徴収


def payroll(total: int, fiscal_year: int) -> list[tuple[str, int]]:
    """特別徴収 (給与): 12 months, 100円 units, the remainder in June."""
    return spread(total, fiscal_year, PAYROLL_MONTHS, 100)


def direct(total: int, fiscal_year: int) -> list[tuple[str, int]]:
    """普通徴収: 4 納期, 1,000円 units, the remainder in the first."""
    return spread(total, fiscal_year, DIRECT_MONTHS, 1000)
