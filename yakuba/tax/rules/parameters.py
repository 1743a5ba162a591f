"""The 個人住民税 parameters of one 年度, read from ``data/resident_tax.toml``.

Amounts, rates and thresholds change by 年度 (and some by municipality); they are data, not
code (docs/reference/tax-facts.md: "keep them in data keyed by 年度"). Each table of the file is
a list of periods with the years they held; ``for_year`` picks the period of every table and
answers attribute access on it, with rates as exact ``Decimal`` (yakuba/platform/yearly.py).
"""

from __future__ import annotations

from pathlib import Path

from yakuba.platform.yearly import UnknownYear, YearlyData

DATA = Path(__file__).resolve().parent / "data" / "resident_tax.toml"
_DATA = YearlyData(DATA, "税率・控除額")

supported_years = _DATA.supported_years
for_year = _DATA.for_year

__all__ = ["DATA", "UnknownYear", "for_year", "supported_years"]
