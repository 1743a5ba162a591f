"""所得・課税証明書 at the counter: the form, the refusal with each reason by field, the issue with
its number and the PDF handed over once; 支援措置: only the roles that handle it serve the person."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU
from tests.registry.ui.test_screens import protect, staff_client
from yakuba.certificates.models import Certificate
from yakuba.certificates.services import seal, settings
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.generate import generate_population
from yakuba.tax.models import Assessment
from yakuba.tax.services import assessment, income_generate

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def taxpayer(aizu):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        generate_population(120, seed=11, as_of=date(2025, 12, 1))
        income_generate.generate(YEAR)
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
        assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        return Assessment.objects.filter(total__gt=0).order_by("atena_no").first()


def _url(row) -> str:
    return f"/tax/certificate/?atena_no={row.atena_no}&fiscal_year={YEAR}"


def test_the_taxpayer_gets_the_certificate_and_its_pdf_once(taxpayer):
    clerk = staff_client("zeimu", ["tax"])
    form = clerk.get(_url(taxpayer)).content.decode()
    assert "所得・課税証明書の発行" in form and f'value="{taxpayer.atena_no}"' in form
    assert f"{taxpayer.total:,}" not in form  # the form shows no figures
    done = clerk.post(
        "/tax/certificate/",
        {
            "atena_no": taxpayer.atena_no,
            "fiscal_year": YEAR,
            "requester_type": "self",
            "requester_atena_no": taxpayer.atena_no,
        },
    )
    assert done.status_code == 200, done.content.decode()
    with tenant_context(AIZU):
        number = Certificate.objects.get().number
    assert number in done.content.decode()
    pdf = clerk.get(f"/certificates/issued/{number}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert clerk.get(f"/certificates/issued/{number}/pdf/").status_code == 404  # once
    assert staff_client("other", ["tax"]).get(f"/certificates/issued/{number}/pdf/").status_code == 404


def test_each_refusal_is_shown_by_its_field_and_nothing_is_issued(taxpayer):
    clerk = staff_client("madoguchi", ["counter"])  # the 窓口 issues it too
    base = {"atena_no": taxpayer.atena_no, "fiscal_year": YEAR}
    agent = clerk.post("/tax/certificate/", base | {"requester_type": "agent", "requester_name": "代理 太郎"})
    assert agent.status_code == 422 and "委任状が必要です" in agent.content.decode()
    third = clerk.post(
        "/tax/certificate/", base | {"requester_type": "third_party", "requester_name": "債権者"}
    )
    assert third.status_code == 422 and "地方税法 第22条" in third.content.decode()
    nobody = clerk.post("/tax/certificate/", base | {"requester_type": "household", "requester_atena_no": ""})
    assert nobody.status_code == 422 and "宛名番号を入力してください" in nobody.content.decode()
    earlier = clerk.post(
        "/tax/certificate/",
        base | {"fiscal_year": 2025, "requester_type": "self", "requester_atena_no": taxpayer.atena_no},
    )
    assert earlier.status_code == 422 and "2025年度の課税はありません" in earlier.content.decode()
    with tenant_context(AIZU):
        assert not Certificate.objects.exists()
    assert staff_client("fukushi", ["welfare"]).get(_url(taxpayer)).status_code == 403


def test_a_protected_taxpayer_is_served_only_by_the_roles_that_handle_the_measure(taxpayer):
    protect(taxpayer.atena_no)
    assert staff_client("zeimu", ["tax"]).get(_url(taxpayer)).status_code == 404
    counter = staff_client("madoguchi", ["counter"])
    assert "支援措置の対象者" in counter.get(_url(taxpayer)).content.decode()
    own = counter.post(
        "/tax/certificate/",
        {
            "atena_no": taxpayer.atena_no,
            "fiscal_year": YEAR,
            "requester_type": "self",
            "requester_atena_no": taxpayer.atena_no,
        },
    )
    assert own.status_code == 200
