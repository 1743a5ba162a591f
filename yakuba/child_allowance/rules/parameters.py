"""The 児童手当 schemes of one month, read from ``data/jidou_teate.toml``: the 月額 by rank and
age band and the ages that end payment and the 第3子 count, as data keyed by 年度 with their
sources (docs/architecture.md). 2024年度 holds two schemes — the old one for April–September
and the reformed one from 令和6年10月分 (insurance-welfare-facts §6) — so each carries the
months it held and ``scheme_for`` picks the one of the month."""

from __future__ import annotations

from pathlib import Path

from yakuba.platform.yearly import Table, UnknownYear, YearlyData

DATA = Path(__file__).resolve().parent / "data" / "jidou_teate.toml"
_DATA = YearlyData(DATA, "児童手当の額")
SCHEMES = ("until_2024_09", "from_2024_10")

supported_years = _DATA.supported_years


def scheme_for(year: int, month: int) -> Table:
    """The scheme in force for the month (``UnknownYear`` outside the supported 年度)."""
    fiscal_year = year if month >= 4 else year - 1
    parameters = _DATA.for_year(fiscal_year)
    text = f"{year:04d}-{month:02d}"
    for name in SCHEMES:
        scheme = getattr(parameters, name)
        if scheme is not None and scheme.months[0] <= text <= scheme.months[1]:
            return scheme
    raise UnknownYear(f"{text}分の児童手当の額は登録されていません")


__all__ = ["DATA", "SCHEMES", "UnknownYear", "scheme_for", "supported_years"]
