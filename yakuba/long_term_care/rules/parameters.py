"""The 介護保険 parameters of one 年度, read from ``data/kaigo.toml`` (the standard 保険料段階,
their bounds and multipliers, the 利用者負担割合 thresholds): data keyed by 年度 with sources."""

from __future__ import annotations

from pathlib import Path

from yakuba.platform.yearly import UnknownYear, YearlyData

DATA = Path(__file__).resolve().parent / "data" / "kaigo.toml"
_DATA = YearlyData(DATA, "介護保険料の段階・利用者負担割合の基準")

supported_years = _DATA.supported_years
for_year = _DATA.for_year

__all__ = ["DATA", "UnknownYear", "for_year", "supported_years"]
