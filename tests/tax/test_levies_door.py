"""``assessment.levies_of``: the 市町村民税 所得割 before the 税額控除 and the 均等割 非課税 of many
persons in one query (the 保育料 base, insurance-welfare-facts §9.2), equal to the per-person read
of each one's latest version."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.generate import generate_population
from yakuba.tax.models import Assessment
from yakuba.tax.services import assessment, income_generate

YEAR = 2026
LOAN = 50_000


@pytest.fixture
def assessed(aizu, system_actor):
    with tenant_context(AIZU):
        generate_population(150, seed=11, as_of=date(2025, 12, 1))
        income_generate.generate(YEAR)
    assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        rows = {r.atena_no: r for r in Assessment.objects.order_by("atena_no")}
        # A 住宅ローン控除 on a taxed earner: a new version whose 所得割 after credits is lower.
        earner = next(a for a, r in rows.items() if r.calculation["result"]["municipal"]["income_levy"] > 0)
        body = rows[earner].calculation["input"] | {"tax_credits": {"housing_loan": LOAN}}
        assessment.correct(earner, YEAR, body, note="住宅ローン控除")
    return list(rows), earner


def _one_by_one(atena_no: str) -> tuple[int, bool]:
    """The per-person read (each person's versions, the latest one's stored calculation)."""
    latest = assessment.versions(atena_no, YEAR)[-1]
    municipal = (latest.calculation_result or {}).get("municipal", {})
    levy = municipal.get("income_levy_before_credits", 0) - municipal.get("adjustment_credit", 0)
    return levy, latest.non_taxable_per_capita


def test_levies_equal_the_per_person_read_and_ignore_the_tax_credits(assessed):
    atena_nos, earner = assessed
    with tenant_context(AIZU):
        found = assessment.levies_of(atena_nos, YEAR)
        assert set(found) == set(atena_nos)
        assert {a: (f.income_levy, f.non_taxable) for a, f in found.items()} == {
            a: _one_by_one(a) for a in atena_nos
        }
        latest = assessment.versions(earner, YEAR)[-1]
    municipal = latest.calculation_result["municipal"]
    # the latest version is read, and the 住宅ローン控除 it subtracts is not in the 保育料 base
    assert found[earner].version == latest.version == 2
    assert (
        found[earner].income_levy == municipal["income_levy_before_credits"] - municipal["adjustment_credit"]
    )
    assert municipal["income_levy"] < found[earner].income_levy
    assert any(f.non_taxable for f in found.values()) and any(not f.non_taxable for f in found.values())
    # someone without an assessment of the 年度 is left out, not read as 0
    assert assessment.levies_of(["999999999999999"], YEAR) == {}


def test_one_query_for_one_person_or_fifty(assessed):
    atena_nos, _earner = assessed
    counts = []
    with tenant_context(AIZU):
        for group in (atena_nos[:1], atena_nos[:50]):
            with CaptureQueriesContext(connections["default"]) as queries:
                found = assessment.levies_of(group, YEAR)
            assert len(found) == len(group)
            counts.append(len(queries))
    assert counts == [1, 1]


def test_a_cancelled_assessment_is_left_out_not_read_as_zero(assessed):
    """A 取消し (not a resident here on the 賦課期日) means another town taxes the person: the 保育料
    and the 国保 must ask for that town's figures, not take 0 as their 所得割 or 所得."""
    atena_nos, earner = assessed
    with tenant_context(AIZU):
        assessment.cancel(earner, YEAR, note="1月1日に住所がなかった")
        levies = assessment.levies_of(atena_nos, YEAR)
        figures = assessment.figures_of(atena_nos, YEAR)
    assert earner not in levies and earner not in figures
    assert set(levies) == set(figures) == set(atena_nos) - {earner}
