"""課税照会: 税務 staff look a taxpayer up — every version, the 納期, the calculation step by step —
and see the 当初課税's status line; other roles get 403; a person under 支援措置 does not exist
here and the attempt is audited."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU
from tests.registry.ui.test_screens import protect, staff_client
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.generate import generate_population
from yakuba.tax.models import Assessment
from yakuba.tax.services import assessment, income_generate

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def town(aizu):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        generate_population(120, seed=11, as_of=date(2025, 12, 1))
        income_generate.generate(YEAR)


def test_the_status_line_follows_the_annual_run(town):
    clerk = staff_client("zeimu", ["tax"])
    page = clerk.get("/tax/").content.decode()
    assert "2026年度の当初課税:" in page and "未実行（対象 120 人）" in page
    with bind_actor(SYSTEM):
        assessment.run_initial(AIZU, YEAR)
    assert "完了 120 人（うち課税" in clerk.get("/tax/?fiscal_year=2026").content.decode()


def test_a_tax_clerk_sees_versions_installments_and_steps(town):
    with bind_actor(SYSTEM):
        assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        row = Assessment.objects.filter(total__gt=0).order_by("atena_no").first()
    clerk = staff_client("zeimu", ["tax"])
    page = clerk.get(f"/tax/?atena_no={row.atena_no}&fiscal_year={YEAR}").content.decode()
    assert "当初課税" in page and f"{row.total:,}" in page
    assert "計算の過程" in page and "課税総所得金額:" in page and "年税額:" in page
    assert "2026-06" in page  # the first 納期
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(
            resource="tax.assessment", action="read", subject_ids=[row.atena_no]
        ).exists()
    assert (
        "の2025年度の課税はありません"
        in clerk.get(f"/tax/?atena_no={row.atena_no}&fiscal_year=2025").content.decode()
    )
    assert "宛名番号は数字で" in clerk.get("/tax/?atena_no=abc").content.decode()
    counter = staff_client("madoguchi", ["counter"])
    assert counter.get("/tax/").status_code == 403  # tax information is for 税務 only (地方税法 §22)

    protect(row.atena_no)
    hidden = clerk.get(f"/tax/?atena_no={row.atena_no}&fiscal_year={YEAR}").content.decode()
    assert "課税はありません" in hidden and f"{row.total:,}" not in hidden
    with tenant_context(AIZU):
        refused = AuditEntry.objects.filter(resource="tax.assessment", subject_ids=[row.atena_no])
        assert any(e.detail.get("refused") == "protected" for e in refused)


def test_the_notice_prints_the_figures_and_the_installments(town):
    import subprocess

    with bind_actor(SYSTEM):
        assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        direct = Assessment.objects.filter(collection="pension", total__gt=0).order_by("atena_no").first()
        payroll = Assessment.objects.filter(collection="payroll").order_by("atena_no").first()
        nothing = Assessment.objects.filter(total=0).order_by("atena_no").first()
    clerk = staff_client("zeimu", ["tax"])
    response = clerk.get(f"/tax/notice/?atena_no={direct.atena_no}&fiscal_year={YEAR}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "令和8年度 市民税・県民税 納税通知書" in text and "会津若松市長" in text
    assert (
        f"{direct.total:,} 円" in text and "第1期" in text and "令和8年6月" in text and "令和9年2月" in text
    )
    assert "年金からの特別徴収" in text and "本徴収" in text  # a first-year pensioner: 6・8月 普通徴収
    assert "様" in text and direct.atena_no in text
    payroll_text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=clerk.get(f"/tax/notice/?atena_no={payroll.atena_no}&fiscal_year={YEAR}").content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "特別徴収税額の決定通知書（納税義務者用）" in payroll_text and "令和9年5月" in payroll_text
    refused = clerk.get(f"/tax/notice/?atena_no={nothing.atena_no}&fiscal_year={YEAR}")
    assert refused.status_code == 404 and "税額がないため通知書はありません" in refused.content.decode()
    with tenant_context(AIZU):
        printed = AuditEntry.objects.filter(resource="tax.assessment", action="print")
        assert {tuple(e.subject_ids) for e in printed} == {(direct.atena_no,), (payroll.atena_no,)}
    protect(direct.atena_no)
    assert clerk.get(f"/tax/notice/?atena_no={direct.atena_no}&fiscal_year={YEAR}").status_code == 404
