"""Parameters by 年度, read from a TOML file: the one way every calculation engine keeps its
amounts, rates and thresholds as data (docs/architecture.md, "fiscal-year parameters … as data
keyed by 年度"; insurance-welfare-facts: "keep them in data tables keyed by 年度").

A file says ``supported_years = [first, last]`` and holds tables, each a list of periods with
the years they held (``years = [first, last]``, inclusive) and a ``source``. ``for_year`` picks
the period of every table for one 年度 and answers attribute access on it, with numbers written
as strings ("0.06") read as exact ``Decimal``. Pure Python: engines' ``rules`` use it.
"""

from __future__ import annotations

import functools
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any


class UnknownYear(LookupError):
    """No parameters for this 年度 (the message names the supported range in Japanese)."""


class Table:
    """One period of one table: ``t.minimum``, ``t.brackets``; rates as ``Decimal``."""

    def __init__(self, name: str, values: dict[str, Any]):
        self._name = name
        self._values = {key: _exact(value) for key, value in values.items()}

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"{self._name}.{key}") from None

    def __repr__(self) -> str:
        return f"Table({self._name}, years={self._values.get('years')})"


def _exact(value: Any) -> Any:
    """Rates are written as strings ("0.06") so that they are exact; everything else as is."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    if isinstance(value, list):
        return tuple(_exact(v) for v in value)
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    return value


class YearParameters:
    """Every table's period for one 年度: ``p.salary``, ``p.basic``, … (``None`` where a table
    has no period that year, e.g. ``flat_reduction`` outside 令和6・7年度)."""

    def __init__(self, fiscal_year: int, tables: dict[str, Table | None]):
        self.fiscal_year = fiscal_year
        self._tables = tables

    def __getattr__(self, name: str) -> Table | None:
        try:
            return self._tables[name]
        except KeyError:
            raise AttributeError(name) from None


class YearlyData:
    """One parameter file; ``what`` names its contents in the refusal of an unknown 年度
    (「2030年度の税率・控除額は登録されていません（対応: 2017〜2026年度）」)."""

    def __init__(self, path: Path, what: str):
        self.path = path
        self.what = what
        self.for_year = functools.cache(self._for_year)

    @functools.cached_property
    def _file(self) -> dict[str, Any]:
        with self.path.open("rb") as fh:
            return tomllib.load(fh)

    def supported_years(self) -> range:
        first, last = self._file["supported_years"]
        return range(first, last + 1)

    def _for_year(self, fiscal_year: int) -> YearParameters:
        years = self.supported_years()
        if fiscal_year not in years:
            raise UnknownYear(
                f"{fiscal_year}年度の{self.what}は登録されていません（対応: {years.start}〜{years.stop - 1}年度）"
            )
        tables: dict[str, Table | None] = {}
        for name, periods in self._file.items():
            if not isinstance(periods, list) or not periods or not isinstance(periods[0], dict):
                continue
            found = [p for p in periods if p["years"][0] <= fiscal_year <= p["years"][1]]
            if len(found) > 1:
                raise ValueError(f"{self.path.name}: {name} has overlapping periods for {fiscal_year}")
            tables[name] = Table(name, found[0]) if found else None
        return YearParameters(fiscal_year, tables)
