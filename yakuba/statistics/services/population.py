"""The 住民基本台帳に基づく人口、人口動態及び世帯数調査 (住基年報) of one municipality as of a day:
contract §9.1, built from the registry's door in three statements, whatever the town's size.

D is the survey's 基準日 (1月1日 for the national survey; any day here): the population is the
registry at the start of D, the 人口動態 those of the twelve months ending the day before D
(``registry.year_before``), each counted as the registry's door says (its module docstring and
docs/statistics.md give the rules and their sources).

世帯数 [decision, the survey's own definition not read yet]: a 複数国籍世帯 (日本人住民 and 外国人住民
together) is counted in 日本人住民 and in 外国人住民, and once in 総計; so 総計 = 日本人住民 +
外国人住民 holds for every item but 世帯数, where 総計 = 日本人のみ + 外国人のみ + 複数国籍.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yakuba.registry import services as registry
from yakuba.statistics.rules.tables import FOREIGN, JAPANESE, survey_table, total_table
from yakuba.statistics.services.audit import report_made
from yakuba.statistics.services.dates import check_as_of

RESOURCE = "statistics.population"
PURPOSE = "住民基本台帳に基づく人口、人口動態及び世帯数調査"
SECTIONS = {"total": "総計", "japanese": "日本人住民", "foreign": "外国人住民"}


@dataclass(frozen=True)
class PopulationReport:
    """The report (``json`` is contract §9.1) and the 世帯 by composition the forms print."""

    json: dict
    japanese_only: int
    foreign_only: int
    mixed: int


def population_report(lg_code: str, as_of: date, *, output: str = "json") -> PopulationReport:
    """The report as of ``as_of``, audited as an export in ``output`` (json, csv, xlsx)."""
    check_as_of(as_of)
    census = registry.census_on(as_of, by=("resident_type", "sex", "age"))
    first, last = registry.year_before(as_of)
    flows = registry.movements_between(first, last)
    (households,) = census.households

    def table(kind: int, household_count: int) -> dict:
        return survey_table(
            [(c.sex, c.age, c.persons) for c in census.persons if c.resident_type == kind],
            household_count,
            [(f.flow, f.persons) for f in flows if f.resident_type == kind],
        )

    japanese = table(JAPANESE, households.japanese_only + households.mixed)
    foreign = table(FOREIGN, households.foreign_only + households.mixed)
    report = {
        "lg_code": lg_code,
        "as_of": as_of.isoformat(),
        "period": {"from": first.isoformat(), "to": last.isoformat()},
        "tables": {
            "total": total_table(japanese, foreign, households.total),
            "japanese": japanese,
            "foreign": foreign,
        },
    }
    report_made(
        RESOURCE,
        PURPOSE,
        output,
        as_of=as_of.isoformat(),
        population=report["tables"]["total"]["population"]["total"],
    )
    return PopulationReport(report, households.japanese_only, households.foreign_only, households.mixed)
