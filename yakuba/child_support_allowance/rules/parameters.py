"""The 児童扶養手当 parameters of one month, read from ``data/jifu.toml``: the amounts and 係数
(changing each April with the CPI 自動改定, and in 2024-11 with the reform) and the 本人's
所得制限限度額 (2024-11 raised) — data keyed by period with sources (facts §7)."""

from __future__ import annotations

from pathlib import Path

from yakuba.platform.yearly import UnknownYear, YearlyData, YearParameters

DATA = Path(__file__).resolve().parent / "data" / "jifu.toml"
# The file's periods are months (YYYYMM): ``YearlyData`` compares them as integers.
_DATA = YearlyData(DATA, "児童扶養手当の手当額・所得制限限度額")


class UnknownMonth(LookupError):
    """No parameters for this month (the message names the supported months in Japanese)."""


def supported_months() -> tuple[str, str]:
    """The first and last month with parameters, as ``YYYY-MM``."""
    months = _DATA.supported_years()
    return _label(months.start), _label(months.stop - 1)


def for_month(year: int, month: int) -> YearParameters:
    """The tables (``amounts``, ``limits``, ``income``) in force in that month."""
    try:
        return _DATA.for_year(year * 100 + month)
    except UnknownYear:
        first, last = supported_months()
        raise UnknownMonth(
            f"{year}年{month}月の児童扶養手当の手当額は登録されていません（対応: {first}〜{last}）"
        ) from None


def _label(key: int) -> str:
    return f"{key // 100}-{key % 100:02d}"


__all__ = ["DATA", "UnknownMonth", "for_month", "supported_months"]
