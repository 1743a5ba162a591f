"""The September 利用者負担 再決定 (services/redecision.py) on real PostgreSQL: a household whose
2024年度 tax was corrected after its 決定 gets a new amount from 9月, one whose tax did not change
gets no new version, a rerun writes nothing, a killed run resumes to the same rows; the CLI."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.childcare.conftest import FATHER_BIRTH, tax_body
from tests.conftest import AIZU
from yakuba.childcare import services
from yakuba.childcare.events import FEE_DECIDED
from yakuba.childcare.models import FeeDetermination, FeeRedecisionRun
from yakuba.childcare.services import redecision
from yakuba.platform.errors import RunConflict
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.tax.services import assessment

pytestmark = pytest.mark.django_db
YEAR = 2024


def _certify(child: str, parents: list[str]) -> str:
    body = {
        "child_atena_no": child,
        "base_date": f"{YEAR}-04-01",
        "parents": [{"atena_no": p, "reason": "work", "monthly_hours": 160} for p in parents],
    }
    cert = services.apply_certification(services.CertificationIn.model_validate(body))
    services.decide_fee(services.FeeDecisionIn(certificate_no=cert.certificate_no, fiscal_year=YEAR))
    return cert.certificate_no


def _raise_tax(atena_no: str, birth: str, salary: int) -> None:
    assessment.correct(atena_no, YEAR, tax_body(birth, salary, YEAR), note="更正（給与の追加）")


def _rows() -> list[tuple]:
    return list(
        FeeDetermination.objects.order_by("decision_no", "from_month").values_list(
            "decision_no", "certificate_no", "from_month", "until_month", "tax_year", "tier", "rank", "amount"
        )
    )


@pytest.fixture
def in_care(family):
    """次郎 (3号, both parents working) and 園田 空 (3号, 非課税 mother): each with a 決定 of 2024年度."""
    with tenant_context(AIZU):
        jiro = _certify(family[3], family[:2])
        sora = _certify(family[5], [family[4]])
    return family, jiro, sora


def test_a_corrected_tax_gives_a_new_amount_from_september_and_an_unchanged_one_no_version(in_care):
    family, jiro, sora = in_care
    with tenant_context(AIZU):
        before = {c: list(FeeDetermination.objects.filter(certificate_no=c)) for c in (jiro, sora)}
        old_september = next(r.amount for r in before[jiro] if r.from_month.month == 9)
        _raise_tax(family[0], FATHER_BIRTH, 12_000_000)
        events = Event.objects.filter(type=FEE_DECIDED).count()
    status = redecision.redecide(AIZU, YEAR)
    assert (status.state, status.changed, status.unchanged, status.refused) == ("done", 1, 1, 0)
    with tenant_context(AIZU):
        assert list(FeeDetermination.objects.filter(certificate_no=sora)) == before[sora]
        new = list(
            FeeDetermination.objects.filter(certificate_no=jiro).exclude(pk__in=[r.pk for r in before[jiro]])
        )
        assert [(r.from_month.isoformat(), r.until_month.isoformat(), r.tax_year) for r in new] == [
            ("2024-09-01", "2025-03-01", 2024)
        ]
        assert new[0].amount > old_september and new[0].rank == 2
        # April–August stays as decided (the 2023年度 tax), the new 決定 is in force from 9月
        assert new[0].decision_no > before[jiro][0].decision_no
        assert Event.objects.filter(type=FEE_DECIDED).count() == events + 1
        event = Event.objects.filter(type=FEE_DECIDED).order_by("-time").first()
        assert event.subject == family[3] and event.data["months"] == [
            {"from": "2024-09", "until": "2025-03", "amount": new[0].amount}
        ]
        rows = _rows()
        # a finished run does nothing; a new run of the same state would find nothing to change
        assert redecision.redecide(AIZU, YEAR) == status and _rows() == rows
        FeeRedecisionRun.objects.all().delete()
    again = redecision.redecide(AIZU, YEAR)
    assert (again.changed, again.unchanged) == (0, 2)
    with tenant_context(AIZU):
        assert _rows() == rows


def test_a_killed_run_resumes_to_the_same_rows(in_care, monkeypatch):
    family, _jiro, _sora = in_care
    with tenant_context(AIZU):
        for child in family[6:9]:
            _certify(child, [family[4]])
        # The mother of 園田 now has a salary: 空 (1st) and 陸 (2nd, half) pay, 海 and 岳 stay free.
        _raise_tax(family[4], "1995-01-15", 4_000_000)
        start = FeeDetermination.objects.order_by("-decision_no").values_list("decision_no", flat=True)[0]
    monkeypatch.setattr(redecision, "PAGE", 1)
    uninterrupted = redecision.redecide(AIZU, YEAR)
    assert (uninterrupted.changed, uninterrupted.unchanged) == (2, 3)
    with tenant_context(AIZU):
        rows = _rows()
        FeeDetermination.objects.filter(decision_no__gt=start).delete()
        FeeRedecisionRun.objects.all().delete()

    class Killed(Exception):
        pass

    pages = []

    def kill_after_two(n):
        pages.append(n)
        if len(pages) == 2:
            raise Killed

    with pytest.raises(Killed):
        redecision.redecide(AIZU, YEAR, progress=kill_after_two)
    with tenant_context(AIZU):
        run = FeeRedecisionRun.objects.get()
        assert run.state == "running" and 0 < run.changed < 2
    assert redecision.redecide(AIZU, YEAR) == uninterrupted
    with tenant_context(AIZU):
        assert _rows() == rows


def test_a_pages_reads_do_not_grow_with_its_children(in_care):
    """Two children of two 世帯, then five of the same two: the same queries."""
    family, _jiro, _sora = in_care
    counts = []
    with tenant_context(AIZU):
        for children in ([], family[6:9]):
            for child in children:
                _certify(child, [family[4]])
            with CaptureQueriesContext(connections["default"]) as queries:
                (page,) = redecision._pages(AIZU, YEAR, "")
            counts.append((len(page.children), len(queries)))
    assert [n for n, _q in counts] == [2, 5] and counts[0][1] == counts[1][1]


def test_a_child_whose_parent_has_no_tax_of_the_year_is_named_not_guessed(in_care, capsys):
    """The mother's 2024年度 tax gone (taxed by another municipality): 空 is refused and named."""
    from yakuba.cli import main
    from yakuba.tax.models import Assessment

    family, _jiro, sora = in_care
    with tenant_context(AIZU):
        Assessment.objects.filter(atena_no=family[4], fiscal_year=YEAR).delete()
        rows = _rows()
    assert main(["childcare", "fee", "redecide", AIZU, "--year", str(YEAR)]) == 1
    out = capsys.readouterr().out
    assert "決定できなかった 1 人" in out and f"窓口で決定してください（認定証番号）: {sora}" in out
    with tenant_context(AIZU):
        assert _rows() == rows and FeeRedecisionRun.objects.get().refused_certificates == [sora]


def test_refused_before_the_tax_of_the_year(in_care):
    with pytest.raises(RunConflict, match="2025年度の当初課税が終わっていない"):
        redecision.redecide(AIZU, 2025)


def test_the_cli_redecides_with_a_summary(in_care, capsys):
    from yakuba.cli import main

    assert main(["childcare", "fee", "redecide", AIZU, "--year", str(YEAR)]) == 0
    assert "決定 0 人、変更なし 2 人" in capsys.readouterr().out
    assert main(["childcare", "fee", "redecide", AIZU, "--year", "24"]) == 2
    assert "年度は西暦 4 桁" in capsys.readouterr().err
    assert main(["childcare", "fee", "redecide", AIZU, "--year", "2025"]) == 1
    assert "2025年度の当初課税が終わっていない" in capsys.readouterr().err
