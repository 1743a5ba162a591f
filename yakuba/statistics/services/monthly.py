"""The tables a municipality publishes every month: population and 世帯数 by 町字, population by
single year of age and sex — as of any day — and the month's 記載・消除 by kind. Each is one
statement of the registry's door (the rules are its module docstring's) and one audit row.

A month's town and age tables are as of the first day of the next month (the registry at its
start = at the end of the month), so that the next month's population is this one's plus the
next month's 記載 less its 消除.
"""

from __future__ import annotations

from datetime import date, timedelta

from yakuba.registry import services as registry
from yakuba.statistics.rules.tables import JAPANESE, add, by_age_and_sex, by_sex
from yakuba.statistics.services.audit import report_made
from yakuba.statistics.services.dates import check_as_of

RESOURCE = "statistics.monthly"
PURPOSE = "人口・世帯数の月次統計"
TABLES = ("town", "age", "movements")
NO_TOWN = "（町字なし）"


def as_of_month(last_day: date) -> date:
    """The 基準日 of a month's town and age tables: the day after its last day."""
    return last_day + timedelta(days=1)


def _audit(table: str, output: str, **detail) -> None:
    report_made(RESOURCE, PURPOSE, output, table=table, **detail)


def town_table(lg_code: str, as_of: date, *, output: str = "json") -> dict:
    """世帯数 and 人口 (男, 女, 計, and 日本人住民・外国人住民) per 町字 as of ``as_of``, in 町字
    order ("" — an address without 町字 — last); a 世帯 counts once in its 町字."""
    check_as_of(as_of)
    census = registry.census_on(as_of, by=("town_area", "resident_type", "sex"))
    rows: dict[str, dict] = {}

    def row(town: str) -> dict:
        return rows.setdefault(
            town, {"town_area": town, "households": 0, **by_sex(), "japanese": 0, "foreign": 0}
        )

    for c in census.persons:
        cell = row(c.town_area)
        add(cell, c.sex, c.persons)
        cell["japanese" if c.resident_type == JAPANESE else "foreign"] += c.persons
    for h in census.households:
        row(h.town_area)["households"] += h.total
    ordered = sorted(rows.values(), key=lambda r: (r["town_area"] == "", r["town_area"]))
    total = {
        k: sum(r[k] for r in ordered)
        for k in ("households", "male", "female", "total", "japanese", "foreign")
    }
    _audit("town", output, as_of=as_of.isoformat(), towns=len(ordered))
    return {"lg_code": lg_code, "table": "town", "as_of": as_of.isoformat(), "rows": ordered, "total": total}


def age_table(lg_code: str, as_of: date, *, output: str = "json") -> dict:
    """人口 by single year of age (0 … 99, 100+) and sex as of ``as_of``; every age has a row."""
    check_as_of(as_of)
    census = registry.census_on(as_of, by=("sex", "age"))
    ages = by_age_and_sex(((c.sex, c.age, c.persons) for c in census.persons), 1)
    total = by_sex()
    for cell in ages.values():
        for k in total:
            total[k] += cell[k]
    _audit("age", output, as_of=as_of.isoformat())
    rows = [{"age": age, **cell} for age, cell in ages.items()]
    return {"lg_code": lg_code, "table": "age", "as_of": as_of.isoformat(), "rows": rows, "total": total}


def movements_table(lg_code: str, first: date, last: date, *, output: str = "json") -> dict:
    """記載 and 消除 whose 異動日 is in ``first``–``last``, one row per kind (``registry.Flow``)
    with 日本人住民, 外国人住民 and 総計 by sex."""
    check_as_of(first, "month")
    counts = registry.movements_between(first, last)
    rows = []
    for flow in (*registry.RECORDED_FLOWS, *registry.REMOVED_FLOWS):
        cells = {"japanese": by_sex(), "foreign": by_sex(), "total": by_sex()}
        for c in counts:
            if c.flow == flow:
                add(cells["japanese" if c.resident_type == JAPANESE else "foreign"], c.sex, c.persons)
                add(cells["total"], c.sex, c.persons)
        rows.append({"flow": flow.value, "label": flow.label, **cells})
    _audit("movements", output, period={"from": first.isoformat(), "to": last.isoformat()})
    return {
        "lg_code": lg_code,
        "table": "movements",
        "period": {"from": first.isoformat(), "to": last.isoformat()},
        "rows": rows,
    }
