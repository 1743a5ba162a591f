"""The 国民健康保険 parameters of one 年度, read once from ``data/kokuho.toml`` and cached, so the
annual run can call the engine for every 世帯 without reading a file (yakuba/platform/yearly.py)."""

from __future__ import annotations

from pathlib import Path

from yakuba.platform.yearly import UnknownYear, YearlyData

DATA = Path(__file__).resolve().parent / "data" / "kokuho.toml"
_DATA = YearlyData(DATA, "国民健康保険税の基準額・限度額")

supported_years = _DATA.supported_years
for_year = _DATA.for_year

__all__ = ["DATA", "UnknownYear", "for_year", "supported_years"]
