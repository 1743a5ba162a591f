"""当初課税 of a generated town: everyone registered on 1月1日 is assessed once, read through the
registry's door; a killed run resumes to the same checksum; the 納期 add up; one event each."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import person, registry  # noqa: F401 (fixture)
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as door
from yakuba.registry.generate import generate_population
from yakuba.tax.codes import Collection, RunState
from yakuba.tax.events import DECIDED
from yakuba.tax.models import Assessment, AssessmentRun
from yakuba.tax.services import assessment, income_generate

YEAR = 2026
DAY = date(YEAR, 1, 1)


@pytest.fixture
def town(aizu, system_actor):
    with tenant_context(AIZU):
        generate_population(400, seed=5, as_of=date(2025, 12, 1))
        counts = income_generate.generate(YEAR)
    assert counts["salary"] > 50 and counts["pension"] > 20
    return counts


def _checksum() -> str:
    with tenant_context(AIZU):
        return assessment.checksum(YEAR)


def test_everyone_registered_on_january_first_is_assessed_once(town, registry):  # noqa: F811
    newcomer = registry.move_in(person("新井 来人", "アライ キタト", "1990-02-02"))["persons"][0]["atena_no"]
    status = assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        with door.inhabitants_on(DAY, purpose="試験") as people:
            registered = [p.atena_no for p in people]
        assessed = list(Assessment.objects.order_by("atena_no").values_list("atena_no", flat=True))
        assert status.state == RunState.DONE and status.done == len(registered) == door.count_inhabitants_on(
            DAY
        )
        assert assessed == registered and newcomer not in assessed  # 1月1日 decides, not today
        taxed = Assessment.objects.filter(total__gt=0)
        assert status.taxed == taxed.count() > 0
        assert Assessment.objects.filter(total=0).exclude(collection=Collection.NONE).count() == 0
        # every read of the registry is audited with its purpose and the range it covered
        reads = AuditEntry.objects.filter(resource="registry.inhabitants", purpose=assessment.PURPOSE)
        assert reads.count() >= 1 and all(r.detail["as_of"] == "2026-01-01" for r in reads)


def test_installments_add_up_to_the_year(town):
    assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        rows = list(Assessment.objects.filter(total__gt=0))
    payroll = [r for r in rows if r.collection == Collection.PAYROLL]
    direct = [r for r in rows if r.collection in (Collection.DIRECT, Collection.PENSION)]
    assert payroll and direct  # the generated pensioners: 普通徴収 in June and August, then 年金特徴
    for row in rows:
        assert sum(amount for _month, _way, amount in row.installments) == row.total
    for row in payroll:
        withheld = [(m, a) for m, way, a in row.installments if way == "payroll"]
        months = [m for m, _a in withheld]
        assert months[0] == "2026-06" and len(months) == 12 and months[-1] == "2027-05"
        assert all(a % 100 == 0 for _m, a in withheld[1:])
        assert row.payer_no
    for row in direct:
        assert [m for m, _w, _a in row.installments][0] == "2026-06"
        assert set(m for m, w, _a in row.installments if w == "direct") <= {
            "2026-06",
            "2026-08",
            "2026-10",
            "2027-01",
        }
        assert set(m for m, w, _a in row.installments if w == "pension") <= {"2026-10", "2026-12", "2027-02"}


def test_a_killed_run_resumes_to_the_same_checksum(town, monkeypatch):
    """Uninterrupted with the calculation on two forked workers; then killed after two pages and
    resumed in one process: the same rows."""
    assessment.run_initial(AIZU, YEAR, workers=2)
    uninterrupted = _checksum()
    with tenant_context(AIZU):  # start again from nothing: the same town, the same 課税資料
        Assessment.objects.all().delete()
        AssessmentRun.objects.all().delete()

    class Killed(Exception):
        pass

    pages = []

    def kill_after_two(n):
        pages.append(n)
        if len(pages) == 2:
            raise Killed

    monkeypatch.setattr(assessment, "PAGE", 60)
    with pytest.raises(Killed):
        assessment.run_initial(AIZU, YEAR, progress=kill_after_two)
    with tenant_context(AIZU):
        run = AssessmentRun.objects.get()
        assert run.state == RunState.RUNNING and run.done == Assessment.objects.count() == sum(pages) > 0
    status = assessment.run_initial(AIZU, YEAR)  # resumes after the last committed page
    assert status.state == RunState.DONE
    assert _checksum() == uninterrupted
    assert assessment.run_initial(AIZU, YEAR).done == status.done  # a finished run does nothing


def test_one_decided_event_per_assessment_with_the_income_other_apps_read(town):
    assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        events = {e.subject: e.data for e in Event.objects.filter(type=DECIDED)}
        rows = {r.atena_no: r for r in Assessment.objects.all()}
    assert set(events) == set(rows)
    some = next(r for r in rows.values() if r.total > 0)
    data = events[some.atena_no]
    assert data["fiscal_year"] == YEAR and data["version"] == 1 and data["total"] == some.total
    assert (
        data["total_income"] == some.total_income
        and data["salary_income"] + data["pension_income"] <= some.total_income
    )
    stored = some.calculation["result"]
    assert stored["total"] == some.total and json.dumps(
        some.calculation["input"]
    )  # the input kept as computed


def test_the_cli_runs_with_a_progress_bar_and_prints_the_checksum(town, capsys):
    from yakuba.cli import main

    assert main(["tax", "resident-tax", "assess", AIZU, "--year", str(YEAR)]) == 0
    out = capsys.readouterr().out
    assert "2026年度の当初課税:" in out and f"チェックサム: {_checksum()}" in out
    assert main(["tax", "resident-tax", "assess", AIZU, "--year", "2031"]) == 2


def test_a_correction_and_a_cancellation_add_versions_with_their_reason(town):
    from yakuba.tax.codes import Reason
    from yakuba.tax.events import CORRECTED

    assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        first = (
            Assessment.objects.filter(total__gt=0, collection=Collection.PAYROLL).order_by("atena_no").first()
        )
        body = dict(first.calculation["input"])
        body["deductions"] = {**body["deductions"], "medical_expenses": 400_000}  # a late 医療費 receipt
        corrected = assessment.correct(first.atena_no, YEAR, body, note="医療費控除の追加申告")
        assert (
            corrected.version == 2 and corrected.reason == Reason.CORRECTION and corrected.total < first.total
        )
        assert sum(a for _m, _w, a in corrected.installments) == corrected.total
        cancelled = assessment.cancel(first.atena_no, YEAR, note="1月1日に住所がなかった")
        assert (cancelled.version, cancelled.total, cancelled.installments) == (3, 0, [])
        versions = list(
            Assessment.objects.filter(atena_no=first.atena_no)
            .order_by("version")
            .values_list("version", "total")
        )
        assert versions == [(1, first.total), (2, corrected.total), (3, 0)]  # nothing rewritten
        reasons = [
            e.data["reason"]
            for e in Event.objects.filter(type=CORRECTED, subject=first.atena_no).order_by("seq")
        ]
        assert reasons == ["correction", "cancellation"]
        with pytest.raises(ValueError, match="理由"):
            assessment.correct(first.atena_no, YEAR, body, note=" ")
        with pytest.raises(assessment.AssessmentMissing):
            assessment.cancel("999999999999999", YEAR, note="誤り")


def test_a_recalculation_merges_the_reports_as_they_stand_now(town):
    """A 申告 taken in after the 当初課税 (here: 医療費 on a salary earner's report) changes the
    tax by 更正; the 生年月日 is the one the assessment used, even after a 取消し."""
    from yakuba.tax.models import IncomeReport

    assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        first = (
            Assessment.objects.filter(total__gt=0, collection=Collection.PAYROLL).order_by("atena_no").first()
        )
        report = IncomeReport.objects.filter(fiscal_year=YEAR, atena_no=first.atena_no).first()
        report.facts = {
            **report.facts,
            "deductions": {**report.facts.get("deductions", {}), "medical_expenses": 300_000},
        }
        report.save(update_fields=["facts"])
        again = assessment.recalculate(first.atena_no, YEAR, note="医療費控除の申告")
        assert again.version == 2 and again.total < first.total
        assert (
            again.calculation["input"]["taxpayer"]["birth_date"]
            == first.calculation["input"]["taxpayer"]["birth_date"]
        )
        assessment.cancel(first.atena_no, YEAR, note="誤り")
        restored = assessment.recalculate(first.atena_no, YEAR, note="取消しの誤り")
        assert (restored.version, restored.total) == (4, again.total)
        with pytest.raises(ValueError, match="理由"):
            assessment.recalculate(first.atena_no, YEAR, note="")


def _pension(row) -> dict | None:
    return next((p for p in row.parts if p["way"] == "pension"), None)


def test_pensioners_pay_from_the_pension_first_year_then_provisionally(town):
    """2025年度 makes them 年金特徴; in 2026年度 the 仮徴収 are last year's pension part ÷ 6
    (rules/collection.py). Last year's parts are read once a page, never once a person."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with tenant_context(AIZU):
        income_generate.generate(YEAR - 1)
    assessment.run_initial(AIZU, YEAR - 1)
    with tenant_context(AIZU):
        last = {r.atena_no: _pension(r) for r in Assessment.objects.filter(fiscal_year=YEAR - 1)}
        alias = Assessment.objects.db
    assert any(p and p["first_year"] for p in last.values())
    with CaptureQueriesContext(connections[alias]) as queries:
        status = assessment.run_initial(AIZU, YEAR)
    reads = [
        q for q in queries.captured_queries if "DISTINCT ON" in q["sql"] and "tax_assessment" in q["sql"]
    ]
    assert len(reads) == -(-status.done // assessment.PAGE)  # one per page
    with tenant_context(AIZU):
        rows = list(Assessment.objects.filter(fiscal_year=YEAR, total__gt=0))
    continuing = [r for r in rows if _pension(r) and last.get(r.atena_no)]
    assert continuing
    for row in continuing:
        part, previous = _pension(row), last[row.atena_no]["amount"]
        each = previous // 6 // 100 * 100
        assert not part["first_year"] and part["installments"][:3] == [
            ["2026-04", "pension_provisional", each],
            ["2026-06", "pension_provisional", each],
            ["2026-08", "pension_provisional", each],
        ]
        assert row.collection == "pension" and row.installments[0] == ["2026-04", "pension_provisional", each]
    for row in rows:
        assert sum(p["amount"] for p in row.parts) == row.total
        for part in row.parts:
            assert sum(a for _m, _w, a in part["installments"]) - part["refund"] == part["amount"]


def test_a_pensioner_with_a_salary_pays_by_payroll_and_from_the_pension(town):
    from yakuba.tax.codes import Match, ReportKind
    from yakuba.tax.models import ImportBatch, IncomeReport

    with tenant_context(AIZU):
        pensioner = IncomeReport.objects.filter(
            kind=ReportKind.PENSION, facts__incomes__public_pension__gte=2_000_000
        ).first()
        batch = ImportBatch.objects.create(
            lg_code=AIZU,
            fiscal_year=YEAR,
            kind=ReportKind.SALARY,
            file_name="t",
            rows=1,
            matched=1,
            created_by="t",
        )
        IncomeReport.objects.create(
            lg_code=AIZU,
            batch=batch,
            fiscal_year=YEAR,
            kind=ReportKind.SALARY,
            line_no=1,
            payer_no="000777",
            payer_name="嘱託先",
            name=pensioner.name,
            birth_date=pensioner.birth_date,
            atena_no=pensioner.atena_no,
            match=Match.MY_NUMBER,
            collection=Collection.PAYROLL,
            facts={"incomes": {"salary": 3_000_000}},
        )
    assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        row = Assessment.objects.get(fiscal_year=YEAR, atena_no=pensioner.atena_no)
        assert [p["way"] for p in row.parts] == ["payroll", "pension"] and row.payer_no == "000777"
        assert row.collection == "payroll" and sum(p["amount"] for p in row.parts) == row.total
        # a 更正 splits again: a lower tax, the same ways
        body = dict(row.calculation["input"])
        body["deductions"] = {**body["deductions"], "medical_expenses": 300_000}
        corrected = assessment.correct(row.atena_no, YEAR, body, note="医療費控除")
        assert [p["way"] for p in corrected.parts] == [
            "payroll",
            "pension",
        ] and corrected.payer_no == "000777"
        assert sum(a for _m, _w, a in corrected.installments) == corrected.total < row.total


def test_figures_of_reads_the_latest_versions_of_many_persons_in_one_query(town):
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        rows = {r.atena_no: r for r in Assessment.objects.all()}
        earner = next(a for a, r in rows.items() if r.calculation["input"]["incomes"].get("salary"))
        assessment.correct(
            earner, YEAR, rows[earner].calculation["input"] | {"incomes": {"salary": 5_000_000}}, note="試験"
        )
        with CaptureQueriesContext(connections["default"]) as queries:
            found = assessment.figures_of(list(rows), YEAR)
        latest = assessment.versions(earner, YEAR)[-1]
    assert len(queries) == 1 and set(found) == set(rows)
    assert found[earner].salary_revenue == 5_000_000 and found[earner].total_income == latest.total_income
    assert found[earner].salary_income == latest.calculation_result["income_by_kind"]["salary"]
    assert found[earner].declared
