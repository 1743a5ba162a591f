"""所得・課税証明書 on the certificates machinery: issued to the taxpayer, the same 世帯 or a proxy
with a 委任状 and refused to anyone else (地方税法 §22); 支援措置 honoured; the figures of the latest
version; numbered, signed, QR-coded and recorded in the one 交付履歴; re-issued from it."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from yakuba.certificates.models import Certificate
from yakuba.certificates.services import issuing, ledger, seal, settings, verify
from yakuba.platform.audit.log import Actor, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.registry.generate import generate_population
from yakuba.tax.models import Assessment
from yakuba.tax.services import assessment, certificate, income_generate

YEAR = 2026
CLERK = registry.Visibility()
ASK = issuing.RequesterInfo
TAX_CLERK = Actor("staff", "zeimu", "税務課1")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(aizu, system_actor):
    """A generated town assessed for 令和8年度, the settings registered; (taxpayer, a member of
    the taxpayer's 世帯, a person of another 世帯)."""
    with tenant_context(AIZU):
        generate_population(300, seed=11, as_of=date(2025, 12, 1))
        income_generate.generate(YEAR)
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        for row in Assessment.objects.filter(total__gt=0, fiscal_year=YEAR).order_by("atena_no"):
            person = registry.get_resident(row.atena_no)
            others = registry.household_members(person.setai_no) - {row.atena_no}
            if others:
                stranger = next(
                    a.atena_no
                    for a in Assessment.objects.order_by("-atena_no")
                    if a.atena_no not in others | {row.atena_no}
                )
                return row, min(others), stranger
    raise AssertionError("no taxpayer with a family in the generated town")


def _issue(atena_no, requester, **options):
    with bind_actor(TAX_CLERK), tenant_context(AIZU):
        return certificate.issue(atena_no, YEAR, requester=requester, visibility=CLERK, **options)


def _text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_the_taxpayers_certificate_prints_the_latest_figures_signed_and_recorded(assessed):
    row, _member, _stranger = assessed
    issued = _issue(row.atena_no, ASK("self", atena_no=row.atena_no))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "tax-income-certificate.pdf").write_bytes(issued.pdf)
    text = _text(issued.pdf)
    result = row.calculation["result"]
    assert "所得・課税証明書" in text.replace(" ", "") and "令和8年度（令和7年中の所得）" in text
    for figure in (result["total_income"], result["taxable_income"], result["total"]):
        assert f"{figure:,}円" in text
    assert "市民税 所得割" in text and "県民税 均等割" in text and "森林環境税" in text
    assert "上記のとおり相違ないことを証明する。" in text and "会津若松市長" in text
    with bind_actor(TAX_CLERK), tenant_context(AIZU):
        entry = Certificate.objects.get(number=issued.number)
        assert (entry.kind, entry.atena_nos, entry.fee) == ("income_certificate", [row.atena_no], 300)
        assert entry.get_kind_display() == "所得・課税証明書"
        assert verify.verify_pdf(issued.pdf) == ("genuine", issued.number)
        printed = AuditEntry.objects.get(resource="certificate", action="print")
        assert printed.subject_ids == [row.atena_no] and printed.actor == "zeimu"


def test_a_correction_is_what_the_certificate_prints(assessed):
    row, _member, _stranger = assessed
    body = dict(row.calculation["input"])
    body["deductions"] = {**body["deductions"], "medical_expenses": 300_000}
    with bind_actor(TAX_CLERK), tenant_context(AIZU):
        corrected = assessment.correct(row.atena_no, YEAR, body, note="医療費控除の追加")
    text = _text(_issue(row.atena_no, ASK("self", atena_no=row.atena_no)).pdf)
    assert f"{corrected.total:,}円" in text and "更正後の税額です（第2版）" in text
    assert "医療費控除" in text


def test_the_same_household_and_a_proxy_with_a_power_of_attorney_may_have_it(assessed):
    row, member, stranger = assessed
    assert _issue(row.atena_no, ASK("household", atena_no=member)).pdf.startswith(b"%PDF")
    proxy = ASK("agent", name="代理 太郎")
    with pytest.raises(issuing.RuleViolation) as refused:
        _issue(row.atena_no, proxy)
    assert refused.value.errors == [("power_of_attorney", certificate.NO_POWER_OF_ATTORNEY)]
    assert _issue(row.atena_no, proxy, power_of_attorney=True).pdf.startswith(b"%PDF")
    with pytest.raises(issuing.RuleViolation) as refused:
        _issue(row.atena_no, ASK("household", atena_no=stranger))
    assert (
        refused.value.errors[0][0] == "requester.atena_no"
        and "同一世帯ではありません" in refused.value.errors[0][1]
    )


@pytest.mark.parametrize(
    "requester",
    [
        ASK("third_party", name="債権者 株式会社", purpose="債権回収"),
        ASK("official", name="福島県警察本部", purpose="捜査関係事項照会"),
    ],
)
def test_anyone_else_is_refused_and_nothing_is_recorded(assessed, requester):
    row, _member, _stranger = assessed
    with pytest.raises(issuing.RuleViolation) as refused:
        _issue(row.atena_no, requester)
    assert refused.value.errors == [("requester.type", certificate.REFUSED_REQUESTER)]
    with bind_actor(TAX_CLERK), tenant_context(AIZU):
        assert not Certificate.objects.exists()


def test_a_protected_taxpayers_certificate_goes_to_the_taxpayer_alone(assessed):
    row, member, _stranger = assessed
    with bind_actor(TAX_CLERK), tenant_context(AIZU):
        registry.set_measure(row.atena_no, starts_on=timezone.localdate(), kind="dv")
    with pytest.raises(issuing.RuleViolation) as refused:
        _issue(row.atena_no, ASK("household", atena_no=member))
    assert refused.value.errors == [("requester", issuing.PROTECTED_REFUSAL)]
    with bind_actor(TAX_CLERK), tenant_context(AIZU):
        assert AuditEntry.objects.filter(resource="certificate", detail__refused="protected").exists()
    assert _issue(row.atena_no, ASK("self", atena_no=row.atena_no)).atena_nos == [row.atena_no]


def test_no_certificate_without_an_assessment_or_after_its_cancellation(assessed):
    row, _member, _stranger = assessed
    with bind_actor(TAX_CLERK), tenant_context(AIZU):
        assessment.cancel(row.atena_no, YEAR, note="1月1日に住所がなかった")
    with pytest.raises(issuing.RuleViolation) as refused:
        _issue(row.atena_no, ASK("self", atena_no=row.atena_no))
    assert refused.value.errors[0][0] == "fiscal_year" and "課税はありません" in refused.value.errors[0][1]


def test_the_ledger_reissues_it_through_the_tax_app(assessed):
    row, _member, _stranger = assessed
    first = _issue(row.atena_no, ASK("self", atena_no=row.atena_no))
    with bind_actor(TAX_CLERK), tenant_context(AIZU):
        again = issuing.reissue(first.number, requester=ASK("self", atena_no=row.atena_no), visibility=CLERK)
        entry = ledger.get(again.number)
    assert entry.kind == "income_certificate" and entry.reissue_of.number == first.number
    assert "所得・課税証明書" in _text(again.pdf).replace(" ", "")


def test_tax_names_follow_the_municipality():
    assert certificate.tax_names(AIZU) == ("市民税", "県民税")
    assert certificate.tax_names("131016") == ("特別区民税", "都民税")  # 千代田区
    assert certificate.tax_names("074217") == ("町民税", "県民税")  # 会津坂下町
