"""What the statistics dashboard shows beside the pyramid: the 町字 table on the day and the
municipality's totals compared with the same day a year earlier (``registry.year_before``'s first
day, as the pyramid's outline). Two censuses; the comparison is one audit row of its own."""

from __future__ import annotations

from datetime import date

from yakuba.registry import services as registry
from yakuba.statistics.rules.tables import JAPANESE, add, by_sex
from yakuba.statistics.services import monthly
from yakuba.statistics.services.audit import report_made

RESOURCE = "statistics.dashboard"
ITEMS = (
    ("total", "人口（計）"),
    ("male", "男"),
    ("female", "女"),
    ("households", "世帯数"),
    ("japanese", "日本人住民"),
    ("foreign", "外国人住民"),
)


def totals_on(day: date) -> dict[str, int]:
    """人口 (男, 女, 計, 日本人住民, 外国人住民) and 世帯数 at the start of ``day``: the keys of the
    町字 table's total."""
    census = registry.census_on(day, by=("resident_type", "sex"))
    totals = {**by_sex(), "japanese": 0, "foreign": 0, "households": sum(h.total for h in census.households)}
    for c in census.persons:
        add(totals, c.sex, c.persons)
        totals["japanese" if c.resident_type == JAPANESE else "foreign"] += c.persons
    return totals


def overview(lg_code: str, as_of: date) -> dict:
    """The 町字 table on ``as_of`` and each total beside the year before's: the difference and
    the change in per cent (one decimal; None when the year before had none)."""
    towns = monthly.town_table(lg_code, as_of, output="html")
    before = registry.year_before(as_of)[0]
    then = totals_on(before)
    rows = []
    for key, label in ITEMS:
        now, past = towns["total"][key], then[key]
        change = round((now - past) * 100 / past, 1) if past else None
        rows.append(
            {
                "key": key,
                "label": label,
                "now": now,
                "before": past,
                "difference": now - past,
                "percent": change,
            }
        )
    report_made(
        RESOURCE,
        "統計ダッシュボード（前年同日との比較）",
        "html",
        as_of=as_of.isoformat(),
        compared_with=before.isoformat(),
    )
    return {"towns": towns, "before": before, "totals": rows}
