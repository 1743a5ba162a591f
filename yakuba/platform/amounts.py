"""Rounding as the tax and insurance laws prescribe it, on exact amounts (no floats in any engine)."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal


def floor_to(amount: int | Decimal, unit: int) -> int:
    """Truncate below ``unit`` yen (課税総所得 1,000円未満, 所得割 100円未満: 地方税法 §20の4の2)."""
    return int(Decimal(amount) // unit) * unit if amount >= 0 else -floor_to(-amount, unit)


def yen_down(amount: Decimal | int) -> int:
    """1円未満切捨て."""
    return int(Decimal(amount).to_integral_value(rounding=ROUND_FLOOR))


def yen_up(amount: Decimal | int) -> int:
    """1円未満切上げ (the insurance deductions and the tax credits round in the taxpayer's favour)."""
    return int(Decimal(amount).to_integral_value(rounding=ROUND_CEILING))


def bracket(value: int, brackets, *, inclusive: bool = True):
    """The first ``(upto, …)`` row whose bound holds ``value`` (``upto`` 0 = no bound)."""
    for row in brackets:
        upto = row[0]
        if upto == 0 or (value <= upto if inclusive else value < upto):
            return row
    raise ValueError(f"no bracket for {value}")


def yen(amount: int) -> str:
    """「1,234,567円」 for the steps."""
    return f"{amount:,}円"


def percent(fraction: Decimal) -> str:
    """「9.67」 for the steps: a rate kept as a fraction (0.0967), written as percent."""
    return f"{(fraction * 100).normalize():f}"
