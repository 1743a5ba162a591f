"""異動 更正: a 喪失 or a changed assessment after the 本算定 gives the 世帯 a new version (事由 更正
with its cause), the old one kept; the 納期 already due stay, the difference goes to those still
to come; an unchanged 世帯 gets no version; the queries of a page do not grow with its size."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.health_insurance.test_annual import FILE, YEAR, town  # noqa: F401 (fixture)
from yakuba.health_insurance import services as kokuho
from yakuba.health_insurance.codes import CorrectionCause, LostReason, PremiumReason
from yakuba.health_insurance.events import CORRECTED
from yakuba.health_insurance.models import Member, PremiumAssessment
from yakuba.health_insurance.services import annual, correction, rates
from yakuba.platform.audit.log import SYSTEM
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.tax.models import Assessment
from yakuba.tax.services import assessment

ON = date(2026, 9, 20)  # the 6月–9月 納期 are due


@pytest.fixture
def decided(town):  # noqa: F811
    rates.set_rates(AIZU, YEAR, FILE, "条例", SYSTEM)
    annual.run_annual(AIZU, YEAR)
    with tenant_context(AIZU):
        rows = {r.setai_no: r for r in PremiumAssessment.objects.filter(fiscal_year=YEAR)}
        insured = list(Member.objects.filter(insured=True).values_list("setai_no", "atena_no"))
    return rows, insured


def _family(rows, insured) -> tuple[str, str]:
    """(世帯番号, a member) of a 世帯 of two insured or more with a tax worth 納期 every month."""
    counts: dict[str, list[str]] = {}
    for setai_no, atena_no in insured:
        counts.setdefault(setai_no, []).append(atena_no)
    setai_no = next(
        s for s, people in sorted(counts.items()) if len(people) >= 2 and rows[s].total >= 100_000
    )
    return setai_no, sorted(counts[setai_no])[-1]


def test_a_loss_mid_year_lowers_only_the_installments_still_to_come(decided):
    rows, insured = decided
    setai_no, leaving = _family(rows, insured)
    with tenant_context(AIZU):
        kokuho.withdraw(leaving, date(2026, 9, 15), LostReason.JOINED_EMPLOYEE_INSURANCE, date(2026, 9, 18))
    done = correction.recalculate(AIZU, YEAR, on=ON)
    assert done.corrected == 1 and done.rejected == []
    before = rows[setai_no]
    with tenant_context(AIZU):
        after = PremiumAssessment.objects.get(setai_no=setai_no, version=2)
        assert PremiumAssessment.objects.get(setai_no=setai_no, version=1).total == before.total  # kept
        event = Event.objects.get(type=CORRECTED, subject=setai_no)
    assert (after.reason, after.cause) == (PremiumReason.CORRECTION, CorrectionCause.QUALIFICATION)
    assert after.total < before.total
    assert after.installments[:4] == before.installments[:4]  # 6月–9月: already due, unchanged
    assert [m for m, _a in after.installments[4:]] == [m for m, _a in before.installments[4:]]
    assert all(
        a <= b for (_m, a), (_n, b) in zip(after.installments[4:], before.installments[4:], strict=True)
    )
    assert after.installments[4][1] < before.installments[4][1]  # the next 納期 is lower
    assert sum(a for _m, a in after.installments) == after.total
    assert event.data["previous_total"] == before.total and event.data["cause"] == "qualification"
    # the 更正 names its persons as the 本算定 did (the one who left still owes months)
    assert after.calculation["atena_nos"] == before.calculation["atena_nos"]
    assert leaving in after.calculation["atena_nos"]
    # nothing changed since: no new version, named or found
    assert correction.recalculate(AIZU, YEAR, on=ON).corrected == 0
    assert correction.recalculate(AIZU, YEAR, setai_nos=[setai_no], on=ON).corrected == 0


def test_an_income_correction_is_found_through_the_tax_door(decided):
    rows, insured = decided
    with tenant_context(AIZU):
        taxed = (
            Assessment.objects.filter(fiscal_year=YEAR, atena_no__in=[a for _s, a in insured], total__gt=0)
            .order_by("atena_no")
            .first()
        )
        setai_no = Member.objects.get(atena_no=taxed.atena_no).setai_no
        body = dict(taxed.calculation["input"])
        body["incomes"] = {**body["incomes"], "salary": body["incomes"].get("salary", 0) + 2_000_000}
        assessment.correct(taxed.atena_no, YEAR, body, note="修正申告")
    done = correction.recalculate(AIZU, YEAR, on=date(2027, 3, 10))
    assert done.corrected == 1
    with tenant_context(AIZU):
        after = PremiumAssessment.objects.get(setai_no=setai_no, version=2)
    before = rows[setai_no]
    assert after.cause == CorrectionCause.INCOME and after.total > before.total
    # in March only the last 納期 (3月) is left... and it is due: the rest in the next month
    assert after.installments[:-1] == before.installments
    assert after.installments[-1] == ["2027-04", after.total - before.total]


def test_the_queries_of_a_page_do_not_grow_with_its_size(decided):
    rows, _insured = decided
    everyone = sorted(rows)
    # a new 均等割 for every 世帯: each recalculated one gets a version
    raised = {
        **FILE,
        "rates": {**FILE["rates"], "medical": {**FILE["rates"]["medical"], "per_capita": 32000}},
    }
    rates.set_rates(AIZU, YEAR, raised, "修正議決", SYSTEM)
    with CaptureQueriesContext(connections["default"]) as small:
        correction.recalculate(AIZU, YEAR, setai_nos=everyone[:3], on=ON)
    with CaptureQueriesContext(connections["default"]) as large:
        correction.recalculate(AIZU, YEAR, setai_nos=everyone, on=ON)
    assert len(large) == len(small) <= 24
    with tenant_context(AIZU):
        assert (
            PremiumAssessment.objects.filter(version=2).count() > len(everyone) // 2
        )  # not those at the 限度額
    with CaptureQueriesContext(connections["default"]) as finding:
        with tenant_context(AIZU):
            correction.changed_households(YEAR)
    assert len(finding) <= 8


def test_before_the_annual_run_there_is_nothing_to_correct(town, capsys):  # noqa: F811
    from yakuba.cli import main

    with pytest.raises(correction.CorrectionRejected, match="本算定が終わっていません"):
        correction.recalculate(AIZU, YEAR)
    assert main(["insurance", "kokuho", "recalculate", AIZU, "--year", str(YEAR)]) == 2
    assert "本算定が終わっていません" in capsys.readouterr().err


def test_the_cli_recalculates_the_changed_households(decided, capsys):
    from yakuba.cli import main

    assert (
        main(
            ["insurance", "kokuho", "recalculate", AIZU, "--year", str(YEAR), "--changed-since", "2026-01-01"]
        )
        == 0
    )
    assert "新しい版 0" in capsys.readouterr().out
