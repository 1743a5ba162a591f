"""特別徴収税額の決定通知書（特別徴収義務者用）: one PDF per employer with each employee's twelve
months and the totals, from the screen and the CLI; names through the registry's door (支援措置:
no name); every print audited; the employees read by keyset pages, a fixed number of queries
whatever their number."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.ui.test_screens import protect, staff_client
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import require_tenant, tenant_context
from yakuba.registry import services as registry
from yakuba.registry.generate import generate_population
from yakuba.tax.models import Assessment
from yakuba.tax.services import assessment, income_generate, notices

pytestmark = pytest.mark.django_db
YEAR = 2026


def _text(body: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def employer(aizu):
    """The employer with the most employees in a small generated town: (指定番号, its rows)."""
    with bind_actor(SYSTEM), tenant_context(AIZU):
        generate_population(300, seed=11, as_of=date(2025, 12, 1))
        income_generate.generate(YEAR)
    with bind_actor(SYSTEM):
        assessment.run_initial(AIZU, YEAR)
    with bind_actor(SYSTEM), tenant_context(AIZU):
        rows = list(Assessment.objects.exclude(payer_no="").order_by("atena_no"))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.payer_no] = counts.get(row.payer_no, 0) + 1
    payer = max(sorted(counts), key=counts.get)
    return payer, [r for r in rows if r.payer_no == payer]


def test_the_screen_prints_each_employee_with_the_twelve_months_and_the_totals(employer):
    payer, rows = employer
    assert len(rows) >= 2
    clerk = staff_client("zeimu", ["tax"])
    lookup = clerk.get(f"/tax/?atena_no={rows[0].atena_no}&fiscal_year={YEAR}").content.decode()
    assert f"/tax/employer-notice/?payer_no={payer}&amp;fiscal_year={YEAR}" in lookup  # linked from 課税照会
    assert "特別徴収（給与）" in lookup and "2027-05" in lookup  # the 納期 table with its ways
    response = clerk.get(f"/tax/employer-notice/?payer_no={payer}&fiscal_year={YEAR}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "令和8年度 特別徴収税額の決定通知書（特別徴収義務者用）" in text and f"指定番号 {payer}" in text
    with bind_actor(SYSTEM), tenant_context(AIZU):
        names = registry.names_of([r.atena_no for r in rows])
    for row in rows:
        withheld = next(p for p in row.parts if p["way"] == "payroll")
        june = withheld["installments"][0][2]
        assert row.atena_no in text and names[row.atena_no] in text
        assert f"{withheld['amount']:,}" in text and f"{june:,}" in text
    total = sum(next(p for p in r.parts if p["way"] == "payroll")["amount"] for r in rows)
    assert f"{total:,}" in text and "合計" in text and "5月" in text
    with tenant_context(AIZU):
        printed = AuditEntry.objects.get(action="print", purpose=notices.EMPLOYER_COPY)
    assert sorted(printed.subject_ids) == sorted(r.atena_no for r in rows)
    assert printed.detail == {"fiscal_year": YEAR, "payer_no": payer, "count": len(rows)}


def test_refusals_are_a_message_never_an_error(employer):
    clerk = staff_client("zeimu", ["tax"])
    for query, message in (
        ("payer_no=999999999&fiscal_year=2026", "指定番号 999999999 の2026年度の特別徴収の対象者はいません"),
        ("payer_no=%3Cx%3E&fiscal_year=2026", "特別徴収義務者の指定番号（英数字）を指定してください"),
        ("payer_no=000001&fiscal_year=1999", "年度を指定してください"),
    ):
        response = clerk.get(f"/tax/employer-notice/?{query}")
        assert response.status_code == 404 and message in response.content.decode()
    assert staff_client("madoguchi", ["counter"]).get("/tax/employer-notice/").status_code == 403


def test_a_protected_employee_is_listed_without_the_name(employer):
    payer, rows = employer
    hidden = rows[0]
    with bind_actor(SYSTEM), tenant_context(AIZU):
        name = registry.names_of([hidden.atena_no])[hidden.atena_no]
    protect(hidden.atena_no)
    text = _text(
        staff_client("zeimu", ["tax"])
        .get(f"/tax/employer-notice/?payer_no={payer}&fiscal_year={YEAR}")
        .content
    )
    assert hidden.atena_no in text and name not in text and notices.HIDDEN_NAME in text


def test_the_employees_are_read_in_pages_with_a_fixed_number_of_queries(employer, monkeypatch):
    payer, rows = employer
    with bind_actor(SYSTEM), tenant_context(AIZU):
        with CaptureQueriesContext(connections[require_tenant().alias]) as all_at_once:
            _body, _name, count = notices.employer_notice_pdf(payer, YEAR, visibility=registry.Visibility())
        assert count == len(rows) and len(all_at_once) <= 8 < len(rows) + 8  # no query per employee
        monkeypatch.setattr(notices, "PAGE", 1)
        pages = [len(page) for page in notices.employees(payer, YEAR, visibility=registry.Visibility())]
        assert pages == [1] * len(rows)  # a keyset over 宛名番号: every employee once


def _cli(*options: str) -> int:
    from yakuba.cli import main

    return main(["tax", "resident-tax", "employer-notices", AIZU, *options])


def test_the_cli_writes_one_pdf_per_employer(employer, tmp_path, capsys):
    payer, rows = employer
    with bind_actor(SYSTEM), tenant_context(AIZU):
        payers = notices.payers(YEAR)
    assert _cli("--year", str(YEAR), "--out", str(tmp_path)) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{notices.EMPLOYER_COPY}-{YEAR}-{p}.pdf" for p in payers)
    # Each names employees and their tax: readable by the owner alone (platform/private_files).
    assert {oct(p.stat().st_mode & 0o777) for p in tmp_path.iterdir()} == {"0o600"}
    assert f"{len(payers):,} 社" in capsys.readouterr().out
    one = tmp_path / "one"
    assert _cli("--year", "2026", "--out", str(one), "--payer", payer) == 0
    assert rows[0].atena_no in _text((one / f"{notices.EMPLOYER_COPY}-{YEAR}-{payer}.pdf").read_bytes())
    assert _cli("--year", "2026", "--out", str(one), "--payer", "nobody") == 2
    assert "指定番号 nobody の2026年度の特別徴収の対象者はいません" in capsys.readouterr().err
    assert _cli("--year", "2031", "--out", str(one)) == 2
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert _cli("--year", "2026", "--out", str(blocked / "x")) == 2
    assert "を作成できません" in capsys.readouterr().err
