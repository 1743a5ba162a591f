"""The 保育 parameters of one 年度: the national rules (``data/hoiku.toml``: 保育必要量, 無償化,
多子軽減 and the 国基準 上限額) and a municipality's own (``data/municipal/<lg_code>.toml``: its
利用者負担額表 and its 利用調整 基準), each data keyed by 年度 with its source
(insurance-welfare-facts §9.2: "Every municipality has its own table: make it data").

A municipality without a fee table of its own for the 年度 charges the 国基準 (the ceiling every
municipal table stays under); one without a 利用調整 基準 uses ``municipal/default.toml``, an
example to replace.
"""

from __future__ import annotations

import functools
from pathlib import Path

from yakuba.platform.yearly import Table, UnknownYear, YearlyData

DATA = Path(__file__).resolve().parent / "data"
_NATIONAL = YearlyData(DATA / "hoiku.toml", "保育の認定・利用者負担の基準")
_DEFAULT = "default"

supported_years = _NATIONAL.supported_years


class MissingTable(LookupError):
    """The municipality has no such table for the 年度 (the message says which, in Japanese)."""


def national(fiscal_year: int):
    """Every national table of the 年度 (``UnknownYear`` outside the supported range)."""
    return _NATIONAL.for_year(fiscal_year)


@functools.cache
def _municipal(name: str) -> YearlyData | None:
    path = DATA / "municipal" / f"{name}.toml"
    return YearlyData(path, "保育の自治体別の基準") if path.exists() else None


def _own(lg_code: str, table: str, fiscal_year: int) -> Table | None:
    # A name from a request: digits only (or the default), never a path.
    data = _municipal(lg_code) if lg_code.isdigit() or lg_code == _DEFAULT else None
    if data is None or fiscal_year not in data.supported_years():
        return None
    return getattr(data.for_year(fiscal_year), table)


def fee_table(lg_code: str | None, fiscal_year: int, kind: str) -> tuple[Table, bool]:
    """(the 利用者負担額表 of the 年度, whether it is the municipality's own): ``kind`` is
    ``nursery`` (2号・3号) or ``education`` (1号); the 国基準 where the municipality has none."""
    own = _own(lg_code, kind, fiscal_year) if lg_code else None
    if own is not None:
        return own, True
    table = getattr(national(fiscal_year), kind)
    if table is None:
        raise UnknownYear(f"{fiscal_year}年度の利用者負担の国基準は登録されていません")
    return table, False


def ranking_table(lg_code: str | None, fiscal_year: int) -> Table:
    """The 利用調整 基準 of the 年度: the municipality's, else the example of ``default.toml``."""
    table = _own(lg_code, "ranking", fiscal_year) if lg_code else None
    if table is None:
        table = _own(_DEFAULT, "ranking", fiscal_year)
    if table is None:
        raise MissingTable(f"{fiscal_year}年度の利用調整の基準は登録されていません")
    return table


__all__ = ["DATA", "MissingTable", "UnknownYear", "fee_table", "national", "ranking_table", "supported_years"]
