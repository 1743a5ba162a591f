"""The 個人住民税 parameters of one 年度, read from ``data/resident_tax.toml``.

Amounts, rates and thresholds change by 年度 (and some by municipality); they are data, not
code (docs/reference/tax-facts.md: "keep them in data keyed by 年度"). Each table of the file is
a list of periods with the years they held; ``for_year`` picks the period of every table and
answers attribute access on it, with rates as exact ``Decimal``.
"""

from __future__ import annotations

import functools
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "resident_tax.toml"


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


@functools.cache
def _file() -> dict[str, Any]:
    with DATA.open("rb") as fh:
        return tomllib.load(fh)


def supported_years() -> range:
    first, last = _file()["supported_years"]
    return range(first, last + 1)


@functools.cache
def for_year(fiscal_year: int) -> YearParameters:
    years = supported_years()
    if fiscal_year not in years:
        raise UnknownYear(
            f"{fiscal_year}年度の税率・控除額は登録されていません（対応: {years.start}〜{years.stop - 1}年度）"
        )
    tables: dict[str, Table | None] = {}
    for name, periods in _file().items():
        if not isinstance(periods, list) or not periods or not isinstance(periods[0], dict):
            continue
        found = [p for p in periods if p["years"][0] <= fiscal_year <= p["years"][1]]
        if len(found) > 1:
            raise ValueError(f"{DATA.name}: {name} has overlapping periods for {fiscal_year}")
        tables[name] = Table(name, found[0]) if found else None
    return YearParameters(fiscal_year, tables)
