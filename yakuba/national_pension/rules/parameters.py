"""The 国民年金 parameters of one 免除年度, read from ``data/nenkin.toml`` (the income limits of
全額・4分の3・半額・4分の1免除, 納付猶予 and 学生納付特例, the 扶養親族等控除額 and the limit for
障害者・寡婦・ひとり親): data keyed by 年度 with sources."""

from __future__ import annotations

from pathlib import Path

from yakuba.platform.yearly import UnknownYear, YearlyData

DATA = Path(__file__).resolve().parent / "data" / "nenkin.toml"
_DATA = YearlyData(DATA, "国民年金保険料の免除等の所得基準")

supported_years = _DATA.supported_years
for_year = _DATA.for_year

__all__ = ["DATA", "UnknownYear", "for_year", "supported_years"]
