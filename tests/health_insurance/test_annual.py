"""本算定 of a generated town: 資格 seeded, the tax app's 当初課税 run; every insured 国保世帯 is
assessed once, its figures are the engine's for the same input, 月割 from the 資格 history, a
killed run resumes to the same checksum, a page's queries do not grow with its size."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.health_insurance.conftest import CHILD_REARING, RATES, THRESHOLDS_R8
from yakuba.health_insurance import services as kokuho
from yakuba.health_insurance.codes import AcquiredReason, LostReason, RunState
from yakuba.health_insurance.events import DECIDED
from yakuba.health_insurance.models import KokuhoHousehold, Member, PremiumAssessment, PremiumRun
from yakuba.health_insurance.services import annual, rates
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.generate import generate_population
from yakuba.tax.services import assessment, income_generate

YEAR = 2026
SEEDED = date(2026, 3, 1)
FILE = {
    "rates": {"child_rearing": CHILD_REARING, **RATES},
    "reduction_thresholds": THRESHOLDS_R8,
    "installments": {"months": [6, 7, 8, 9, 10, 11, 12, 1, 2, 3], "unit": 1000},
}


@pytest.fixture
def town(aizu, system_actor):
    with tenant_context(AIZU):
        generate_population(300, seed=11, as_of=date(2025, 12, 1))
        income_generate.generate(YEAR)
    assessment.run_initial(AIZU, YEAR)
    kokuho.seed_insured(AIZU, SEEDED)
    with tenant_context(AIZU):
        assert KokuhoHousehold.objects.count() > 50


def _checksum() -> str:
    with tenant_context(AIZU):
        return annual.premium_checksum(YEAR)


def test_every_insured_household_is_assessed_once_as_the_engine_would(town):
    status = annual.run_annual(AIZU, YEAR, rates=FILE)
    with tenant_context(AIZU):
        rows = list(PremiumAssessment.objects.order_by("setai_no"))
        insured = set(Member.objects.filter(insured=True).values_list("setai_no", flat=True))
        events = {e.subject: e.data for e in Event.objects.filter(type=DECIDED)}
    assert status.state == RunState.DONE and status.rejected == 0
    assert [r.setai_no for r in rows] == sorted(insured) and status.done == len(rows)
    assert set(events) == insured
    for row in rows:
        assert sum(a for _m, a in row.installments) == row.total
        # each input person named by 宛名番号, in the input's order (the notices name them so)
        named = row.calculation["atena_nos"]
        people = row.calculation["input"]["household"]
        assert len(named) == len(people) == len(set(named))
        assert [a == row.head_atena_no for a in named] == [p["role"] == "世帯主" for p in people]
        assert row.total == row.medical + row.support + row.care + row.child_rearing
        months = [m for m, _a in row.installments]
        if row.total >= 10_000:
            assert months[0] == "2026-06" and months[-1] == "2027-03" and len(months) == 10
            assert all(a % 1000 == 0 for _m, a in row.installments[1:])
    sample = max(rows, key=lambda r: len(r.calculation["input"]["household"]))
    direct = kokuho.calculate_kokuho(kokuho.KokuhoIn.model_validate(sample.calculation["input"]))
    assert {k: v for k, v in direct.items() if k != "steps"} == sample.calculation["result"]
    assert direct["annual_total"] == sample.total > 0
    # the incomes are the tax app's: a member's 総所得金額等 is its assessment's
    someone = next(p for p in sample.calculation["input"]["household"] if p.get("total_income"))
    assert someone["total_income"] > 0


def test_a_member_who_joined_in_the_year_pays_from_the_month_of_joining(town, registry_person):
    atena_no, setai_no = registry_person
    with tenant_context(AIZU):
        kokuho.enrol(atena_no, date(YEAR, 10, 15), AcquiredReason.MOVE_IN, date(YEAR, 10, 20))
    annual.run_annual(AIZU, YEAR, rates=FILE)
    with tenant_context(AIZU):
        row = PremiumAssessment.objects.get(setai_no=setai_no)
    people = row.calculation["input"]["household"]
    at = next(i for i, p in enumerate(people) if p.get("acquired_on"))
    assert people[at]["acquired_on"] == "2026-10-15"
    assert row.calculation["result"]["members"][at]["months"] == 6  # October to March


@pytest.fixture
def registry_person(town):
    """An insured resident under 65 who left 国保 on 3月31日 (社保加入) and joins again in October."""
    with tenant_context(AIZU):
        atena_no, setai_no = (
            Member.objects.filter(insured=True)
            .order_by("-atena_no")
            .values_list("atena_no", "setai_no")
            .first()
        )
        kokuho.withdraw(atena_no, date(YEAR, 3, 31), LostReason.JOINED_EMPLOYEE_INSURANCE, date(YEAR, 4, 2))
    return atena_no, setai_no


def test_a_killed_run_resumes_to_the_same_checksum(town, monkeypatch):
    annual.run_annual(AIZU, YEAR, rates=FILE, workers=2)
    uninterrupted = _checksum()
    with tenant_context(AIZU):
        PremiumAssessment.objects.all().delete()
        PremiumRun.objects.all().delete()

    class Killed(Exception):
        pass

    pages = []

    def kill_after_two(n):
        pages.append(n)
        if len(pages) == 2:
            raise Killed

    monkeypatch.setattr(annual, "PAGE", 20)
    with pytest.raises(Killed):
        annual.run_annual(AIZU, YEAR, rates=FILE, progress=kill_after_two)
    with tenant_context(AIZU):
        run = PremiumRun.objects.get()
        assert run.state == RunState.RUNNING and 0 < run.done == PremiumAssessment.objects.count()
    status = annual.run_annual(AIZU, YEAR, rates=FILE)
    assert status.state == RunState.DONE
    assert _checksum() == uninterrupted
    assert annual.run_annual(AIZU, YEAR, rates=FILE).done == status.done


def test_a_pages_queries_do_not_grow_with_its_size(town):
    with tenant_context(AIZU):
        households = list(
            KokuhoHousehold.objects.order_by("setai_no").values_list("setai_no", "head_atena_no")
        )
        settings = rates.Settings.of(FILE, YEAR)
        with CaptureQueriesContext(connections["default"]) as small:
            annual.household_inputs(households[:5], YEAR, settings)
        with CaptureQueriesContext(connections["default"]) as large:
            annual.household_inputs(households, YEAR, settings)
    assert len(large) == len(small) <= 6


def test_spans_inside_the_year():
    A, L = "acquired", "lost"
    assert annual.insured_spans([(A, date(2020, 1, 1))], YEAR) == [(None, None)]
    assert annual.insured_spans([(A, date(2026, 10, 15))], YEAR) == [(date(2026, 10, 15), None)]
    assert annual.insured_spans([(A, date(2020, 1, 1)), (L, date(2026, 3, 31))], YEAR) == []
    assert annual.insured_spans([(A, date(2020, 1, 1)), (L, date(2026, 8, 2))], YEAR) == [
        (None, date(2026, 8, 2))
    ]
    assert not annual._charged(None, date(2026, 4, 20), None, YEAR)  # left in April: nothing
    assert annual._charged(date(2026, 5, 3), date(2026, 5, 20), None, YEAR)  # 同月得喪
    assert not annual._charged(None, None, date(1951, 4, 10), YEAR)  # 75 in April


def test_the_cli_runs_with_a_progress_bar_and_prints_the_checksum(town, tmp_path, capsys):
    from yakuba.cli import main

    rates = tmp_path / "rates.json"
    rates.write_text(json.dumps(FILE), encoding="utf-8")
    argv = [
        "insurance",
        "kokuho",
        "annual",
        AIZU,
        "--year",
        str(YEAR),
        "--rates",
        str(rates),
        "--workers",
        "0",
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "2026年度の本算定:" in out and f"チェックサム: {_checksum()}" in out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"rate": RATES}), encoding="utf-8")
    assert main([*argv[:-4], "--rates", str(bad)]) == 2
    assert "bad.json" in capsys.readouterr().err
