"""所得: 給与所得, 公的年金等に係る雑所得, 所得金額調整控除 and the 合計所得金額.

The parameters (``salary``, ``pension``, ``salary_adjustment``) come from data/resident_tax.toml;
docs/reference/tax-facts.md §2.1.
"""

from __future__ import annotations

from decimal import Decimal

from yakuba.platform.amounts import bracket, floor_to, yen_down, yen_up


def salary_deduction(revenue: int, table) -> int:
    """給与所得控除額 by the formula (所得税法 §28 ③)."""
    if revenue <= table.minimum_upto:
        return min(revenue, table.minimum)
    for upto, rate, add in table.brackets:
        if revenue <= upto:
            return yen_down(Decimal(revenue) * rate + add)
    return table.cap


def salary_income(revenue: int, table) -> int:
    """給与所得 = 収入 − 給与所得控除; below ``table_below`` as 所得税法別表第五 reads it.

    The table's rows are 1,000, 2,000 and then 4,000 yen wide; a row's income is the formula's
    at the row's lower bound (e.g. 令和2年分以降: 収入 5,000,000 → A = 1,250,000 → A × 3.2 −
    440,000 = 3,560,000; 収入 1,800,100 → the 1,800,000 row → 1,180,000).
    """
    if revenue <= 0:
        return 0
    base = revenue
    if revenue < table.table_below:
        step = bracket(revenue, table.steps, inclusive=False)[1]
        base = floor_to(revenue, step)
    return max(0, base - salary_deduction(base, table))


def pension_income(revenue: int, *, elderly: bool, other_income: int, table) -> int:
    """公的年金等に係る雑所得 = 収入 × rate − subtraction, by age (65 on 12月31日) and, from
    令和2年分, by the other 合計所得 (所得税法 §35 ④)."""
    if revenue <= 0:
        return 0
    reduce = bracket(max(other_income, 0), table.other_income_tiers)[1]
    _upto, rate, subtract = bracket(revenue, table.elderly if elderly else table.younger, inclusive=False)
    return max(0, yen_down(Decimal(revenue) * rate - (subtract - reduce)))


def adjustment_for_children(revenue: int, table) -> int:
    """所得金額調整控除 (子ども・特別障害者等): (min(収入, 1,000万) − 850万) × 10 %, rounded up
    (租税特別措置法 §41の3の3 ①)."""
    if table is None or revenue <= table.child_threshold:
        return 0
    return yen_up(Decimal(min(revenue, table.child_cap) - table.child_threshold) * table.child_rate)


def adjustment_for_pension(salary: int, pension: int, table) -> int:
    """所得金額調整控除 (給与と年金): min(給与所得, 10万) + min(年金所得, 10万) − 10万
    (租税特別措置法 §41の3の3 ②)."""
    if table is None or salary <= 0 or pension <= 0:
        return 0
    limit = table.pension_limit
    return max(0, min(salary, limit) + min(pension, limit) - limit)
