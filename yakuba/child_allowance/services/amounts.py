"""The monthly amount of a 受給者's children in one month, through the pure engine.

The stored children (``CountedChild``) are handed to ``calculate_allowance`` (contract §9.5, the
same engine the calculation API answers with): each child's rank, band and 月額, the total and
the steps the 照会 screen shows. A child counted from a later month (born after) is left out.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from yakuba.child_allowance.rules.parameters import scheme_for, supported_years
from yakuba.child_allowance.services.calculation import AllowanceIn, calculate_allowance
from yakuba.child_allowance.services.timing import months, next_month


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


def change_months(children: list[Counted], after: date, through: date) -> list[date]:
    """The months in (``after``, ``through``] in which the children's amount can differ from the
    month before — the only months the age review needs to compute, so its cost does not grow
    with an entitlement's age. The engine (``rules/amounts.py``) decides a month from: ages at a
    年度末 (paid, counted, the bands: they change in April), the under-3 amount (ends the month
    after the 3rd birthday's month), the scheme in force (its months are data: every month whose
    scheme differs from the month before's), and which children are counted (their first month
    and the month after their last). ``test_age_review`` checks this against every month."""
    found = {date(year, 4, 1) for year in range(after.year, through.year + 1)}
    for child in children:
        born = child.birth_date
        found |= {child.from_month, next_month(date(born.year + 3, born.month, 1))}
        if child.until_month is not None:
            found.add(next_month(child.until_month))
    found |= _scheme_changes()
    return sorted(m for m in found if after < m <= through)


@functools.cache
def _scheme_changes() -> frozenset[date]:
    """The months whose scheme is not the month before's (the 令和6年10月 reform), over every
    年度 the data holds — computed once."""
    years = supported_years()
    found, before = set(), None
    for month in months(date(years.start, 4, 1), date(years.stop, 3, 1)):
        scheme = tuple(scheme_for(month.year, month.month).months)
        if before is not None and scheme != before:
            found.add(month)
        before = scheme
    return frozenset(found)
