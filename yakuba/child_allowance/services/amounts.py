"""The monthly amount of a 受給者's children in one month, through the pure engine.

The stored children (``CountedChild``) are handed to ``calculate_allowance`` (contract §9.5, the
same engine the calculation API answers with): each child's rank, band and 月額, the total and
the steps the 照会 screen shows. A child counted from a later month (born after) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yakuba.child_allowance.services.calculation import AllowanceIn, calculate_allowance


@dataclass(frozen=True)
class Counted:
    """A child as the 認定 counts it (``CountedChild`` without the ORM)."""

    atena_no: str
    name: str
    birth_date: date
    bears_costs: bool
    from_month: date
    until_month: date | None = None

    def counted_in(self, month: date) -> bool:
        return self.from_month <= month and (self.until_month is None or month <= self.until_month)


@dataclass(frozen=True)
class MonthAmount:
    month: date
    total: int
    children: list[dict]  # oldest first: atena_no, name, birth_date, rank, band, eligible, monthly
    steps: list[str]

    @property
    def key(self) -> tuple:
        return period_key(self.children)


def period_key(children: list[dict]) -> tuple:
    """What makes two months one amount period: the same children with the same rank, band and
    月額 (a stored period's ``children`` or a computed month's)."""
    return tuple((c["atena_no"], c["name"], c["rank"], c["band"], c["monthly"]) for c in children)


def month_amount(children: list[Counted], month: date) -> MonthAmount:
    """The month's total of the children counted in it (``total`` 0 when none is paid)."""
    present = sorted((c for c in children if c.counted_in(month)), key=lambda c: (c.birth_date, c.atena_no))
    if not present:
        return MonthAmount(month, 0, [], [])
    out = calculate_allowance(
        AllowanceIn(
            month=f"{month.year:04d}-{month.month:02d}",
            children=[{"birth_date": c.birth_date, "parent_bears_costs": c.bears_costs} for c in present],
        )
    )
    lines = [
        {
            "atena_no": c.atena_no,
            "name": c.name,
            "birth_date": c.birth_date.isoformat(),
            "rank": one["rank"],
            "band": one["band"],
            "eligible": one["eligible"],
            "monthly": one["monthly"],
        }
        for c, one in zip(present, out["children"], strict=True)
    ]
    return MonthAmount(month, out["monthly_total"], lines, out["steps"])
