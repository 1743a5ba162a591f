"""A generated town with years of history: the tables add up whatever the day — bands to totals,
総計 to 日本人 + 外国人, each population to the one a year (or a month) before plus its 記載 less
its 消除 — a past day's report does not change when later 異動 are filed, and the census agrees
with a plain count of today's registry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import days_ago, person, registry  # noqa: F401 (fixture)
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.generate import generate_population
from yakuba.statistics.services import monthly, population

DAYS = [date(2023, 1, 1), date(2024, 7, 15), date(2025, 1, 1), date(2025, 11, 1), date(2025, 12, 2)]
SECTIONS = ("total", "japanese", "foreign")


@pytest.fixture
def town(aizu, system_actor):
    with tenant_context(AIZU):
        generate_population(900, seed=3, as_of=date(2025, 12, 1))


def _report(day: date) -> dict:
    with tenant_context(AIZU):
        return population.population_report(AIZU, day).json


def test_the_tables_add_up_on_every_day(town):
    for day in DAYS:
        tables = _report(day)["tables"]
        for section in SECTIONS:
            t = tables[section]
            for sex in ("male", "female", "total"):
                assert sum(b[sex] for b in t["age_bands"]) == t["population"][sex], (day, section, sex)
            assert t["population"]["male"] + t["population"]["female"] == t["population"]["total"]
            assert t["recorded"]["total"] == sum(v for k, v in t["recorded"].items() if k != "total")
            assert t["removed"]["total"] == sum(v for k, v in t["removed"].items() if k != "total")
        total, japanese, foreign = (tables[s] for s in SECTIONS)
        for key in ("population", "recorded", "removed"):
            assert total[key] == {k: japanese[key][k] + foreign[key][k] for k in total[key]}, (day, key)
        assert total["natural_change"] == japanese["natural_change"] + foreign["natural_change"]
        assert total["households"] <= japanese["households"] + foreign["households"]
    assert tables["foreign"]["population"]["total"] > 0 and tables["total"]["recorded"]["birth"] > 0


def test_each_population_is_the_year_before_plus_recorded_less_removed(town):
    for day in DAYS:
        now = _report(day)["tables"]
        before = _report(date.fromisoformat(_report(day)["period"]["from"]))["tables"]
        for section in SECTIONS:
            t = now[section]
            expected = before[section]["population"]["total"] + t["recorded"]["total"] - t["removed"]["total"]
            assert t["population"]["total"] == expected, (day, section)
            assert t["natural_change"] + t["social_change"] == t["recorded"]["total"] - t["removed"]["total"]


def test_each_month_balances_too(town):
    with tenant_context(AIZU):
        for first in (date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 1)):
            last = date(first.year, first.month + 1, 1) - timedelta(days=1)
            start = monthly.town_table(AIZU, first)["total"]["total"]
            end = monthly.age_table(AIZU, monthly.as_of_month(last))["total"]["total"]
            rows = monthly.movements_table(AIZU, first, last)["rows"]
            recorded = sum(r["total"]["total"] for r in rows[:4])
            removed = sum(r["total"]["total"] for r in rows[4:])
            assert end == start + recorded - removed, first


def test_a_past_day_does_not_change_with_later_moves(town, registry):  # noqa: F811
    before = _report(DAYS[3])
    registry.move_in(person("新井 来人", "アライ キタト", "1990-02-02"), move_date=days_ago(3))
    with tenant_context(AIZU), connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.atena_no FROM registry_resident r JOIN registry_household h ON h.setai_no = r.setai_no"
            " WHERE r.status = 1 AND h.head_atena_no <> r.atena_no ORDER BY r.atena_no LIMIT 1"
        )
        (member,) = cursor.fetchone()
    registry.move({"kind": "death", "move_date": days_ago(2), "persons": [{"atena_no": member}]})
    assert _report(DAYS[3]) == before


def test_the_census_of_tomorrow_is_a_count_of_todays_registry(town):
    """Cross-check against a plain GROUP BY over the current table: the registry at the start of
    tomorrow is today's current rows, 転出予定 counted while their 転出予定日 has not passed."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    with tenant_context(AIZU), connection.cursor() as cursor:
        cursor.execute(
            "SELECT resident_type, count(*) FROM registry_resident"
            " WHERE status = 1 OR (status = 2 AND planned_move_out_on >= %s) GROUP BY 1 ORDER BY 1",
            [tomorrow],
        )
        counted = dict(cursor.fetchall())
        tables = population.population_report(AIZU, tomorrow).json["tables"]
        town_total = monthly.town_table(AIZU, tomorrow)["total"]
    assert tables["japanese"]["population"]["total"] == counted[1]
    assert tables["foreign"]["population"]["total"] == counted[2]
    assert town_total["total"] == tables["total"]["population"]["total"]
    assert town_total["households"] == tables["total"]["households"]
