"""The 後期高齢者医療保険料's national parameters of one 年度, read from ``data/kouki.toml``
(limits, 軽減 thresholds, 元被扶養者, 特別徴収): data keyed by 年度 with their sources, never
constants in code (insurance-welfare-facts, "Rule for the code")."""

from __future__ import annotations

from pathlib import Path

from yakuba.platform.yearly import UnknownYear, YearlyData

DATA = Path(__file__).resolve().parent / "data" / "kouki.toml"
_DATA = YearlyData(DATA, "後期高齢者医療保険料の賦課限度額・軽減判定基準")

supported_years = _DATA.supported_years
for_year = _DATA.for_year


def kouiki_rates(fiscal_year: int, prefecture: str) -> dict | None:
    """The 広域連合's rates of ``fiscal_year`` for the prefecture (都道府県コード, 2 digits) in the
    shape of contract §9.4's ``rates`` with its ``name``; None when not registered."""
    table = for_year(fiscal_year).kouiki_rates
    found = getattr(table, prefecture, None) if table is not None else None
    return dict(found) if found is not None else None


__all__ = ["DATA", "UnknownYear", "for_year", "kouiki_rates", "supported_years"]
