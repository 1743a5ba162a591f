"""The 保育 API (scopes, problem+json, the pure calculation without a tenant, a protected child
unknown without the registry's scope), the CLI (exit 2 naming the field) and the staff screens
(Role.WELFARE only; forms with a 確認 step; the result list with each score's steps, in the same
queries for one or many)."""

from __future__ import annotations

import json
import subprocess
from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.childcare.test_records import _single, certify, one_and_many_runs
from tests.conftest import AIZU, CHIYODA
from tests.registry.ui.test_screens import protect, staff_client
from yakuba.childcare import services
from yakuba.cli import main
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db
FEE = {
    "lg_code": "012068",
    "month": "2023-10",
    "birth_date": "2022-05-01",
    "kind": "3",
    "need": "standard",
    "household": {"income_levy": 30000},
    "siblings": ["2018-06-01"],
}


def test_the_fee_calculation_needs_no_municipality(post_calculation):
    response = post_calculation("/api/v1/childcare/fee/calculate", FEE)
    assert response.status_code == 200, response.content.decode()
    out = response.json()
    assert (out["tier"], out["base"], out["rank"], out["amount"], out["tax_fiscal_year"]) == (
        "C3",
        12200,
        2,
        6100,
        2023,
    )
    bad = post_calculation("/api/v1/childcare/fee/calculate", {**FEE, "need": None, "month": "2030-04"})
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in bad.json()["errors"]] == ["need"]
    unknown = post_calculation("/api/v1/childcare/fee/calculate", {**FEE, "month": "2030-04"})
    assert unknown.json()["errors"] == [
        {
            "field": "month",
            "message": "2030年度の保育の認定・利用者負担の基準は登録されていません（対応: 2015〜2026年度）",
        }
    ]


def _client_get(client, path, token):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_api_under_its_scopes_and_the_protected_child(client, family, token_for, chiyoda):
    writer = token_for(AIZU, scopes=["childcare:read", "childcare:write"])
    body = {
        "child_atena_no": family[3],
        "base_date": "2024-04-01",
        "parents": [
            {"atena_no": family[0], "reason": "work", "monthly_hours": 160},
            {"reason": "job_search"},
        ],
    }
    post = client.post(
        f"/api/v1/{AIZU}/childcare/certifications",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {writer}",
    )
    assert post.status_code == 201, post.content.decode()
    assert (post.json()["kind"], post.json()["need"]) == ("3", "short")
    reader = token_for(AIZU, scopes=["childcare:read"])
    got = _client_get(client, f"/api/v1/{AIZU}/childcare/children/{family[3]}", reader)
    assert got.status_code == 200 and got.json()["certifications"][0]["version"] == 1
    refused = client.post(
        f"/api/v1/{AIZU}/childcare/certifications",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {reader}",
    )
    assert refused.status_code == 403
    other = token_for(CHIYODA, scopes=["childcare:read"])
    assert _client_get(client, f"/api/v1/{AIZU}/childcare/children/{family[3]}", other).status_code in (
        403,
        404,
    )
    protect(family[3])
    assert _client_get(client, f"/api/v1/{AIZU}/childcare/children/{family[3]}", reader).status_code == 404
    both = token_for(AIZU, scopes=["childcare:read", "registry:protected"])
    assert _client_get(client, f"/api/v1/{AIZU}/childcare/children/{family[3]}", both).status_code == 200
    assert _client_get(client, f"/api/v1/{AIZU}/childcare/allocations/999", reader).status_code == 404


def test_the_cli_calculates_and_refuses_by_field(tmp_path, capsys):
    good = tmp_path / "fee.json"
    good.write_text(json.dumps(FEE), encoding="utf-8")
    assert main(["childcare", "calculate", "--input", str(good)]) == 0
    assert json.loads(capsys.readouterr().out)["amount"] == 6100
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**FEE, "kind": "1"}), encoding="utf-8")
    assert main(["childcare", "calculate", "--input", str(bad)]) == 2
    assert f"{bad}: need: 1号認定に保育必要量はありません" in capsys.readouterr().err


def test_the_cli_records_and_allocates(tmp_path, capsys, family):
    facility = tmp_path / "facility.json"
    facility.write_text(
        json.dumps(
            {
                "code": "N1",
                "name": "第一保育園",
                "fiscal_year": 2025,
                "places": [{"class_age": 2, "places": 1}],
            }
        )
    )
    assert main(["childcare", "facility", AIZU, "--input", str(facility)]) == 0
    cert = tmp_path / "cert.json"
    cert.write_text(
        json.dumps(
            {
                "child_atena_no": family[3],
                "base_date": "2024-04-01",
                "parents": [{"atena_no": family[0], "reason": "work", "monthly_hours": 30}],
            }
        )
    )
    assert main(["childcare", "certify", AIZU, "--input", str(cert)]) == 2
    assert "parents[0].monthly_hours: 就労が月30時間で" in capsys.readouterr().err
    assert main(["childcare", "allocate", AIZU, "--month", "2025-04"]) == 2
    assert "2025年4月入所の申込はありません" in capsys.readouterr().err


@pytest.fixture
def welfare(aizu):
    return staff_client("hoiku", ["welfare"])


def test_only_welfare_staff_see_the_screens(family, welfare):
    assert welfare.get("/childcare/").status_code == 200
    counter = staff_client("madoguchi", ["counter"])
    assert counter.get("/childcare/").status_code == 403


def test_the_certification_form_confirms_before_recording(family, welfare):
    form = {
        "child_atena_no": family[3],
        "base_date": "R6.4.1",
        "care": "1",
        "parents[0].atena_no": family[0],
        "parents[0].reason": "work",
        "parents[0].monthly_hours": "160",
        "parents[1].atena_no": family[1],
        "parents[1].reason": "work",
        "parents[1].monthly_hours": "30",
    }
    wrong = welfare.post("/childcare/certify/", {**form, "_step": "confirm"})
    assert wrong.status_code == 422 and "月64時間に満たない" in wrong.content.decode()
    form["parents[1].monthly_hours"] = "120"
    confirm = welfare.post("/childcare/certify/", {**form, "_step": "confirm"})
    page = confirm.content.decode()
    assert (
        confirm.status_code == 200
        and "3号認定（満3歳未満・保育認定）" in page
        and "まだ登録されていません" in page
    )
    with tenant_context(AIZU):
        assert services.child_records(family[3], protected=True).certifications == []
    done = welfare.post("/childcare/certify/", {**form, "_step": "apply"})
    assert done.status_code == 302 and done["Location"].endswith(f"?atena_no={family[3]}")
    lookup = welfare.get(done["Location"]).content.decode()
    assert "00000001" in lookup and "保育標準時間" in lookup


def test_the_result_list_shows_every_step_in_the_same_queries(family, welfare):
    one, many = one_and_many_runs(family)
    counts = []
    for run in (one, many):
        with CaptureQueriesContext(connections["default"]) as captured:
            response = welfare.get(f"/childcare/allocations/{run}/")
        assert response.status_code == 200
        counts.append(len(captured))
    page = response.content.decode()
    assert page.count("内定 N1（第1希望）") == 5 and "指数の合計: 200（基準指数）+20（調整指数）= 220" in page
    assert counts[0] == counts[1]
    protect(family[5])
    assert "（表示できません）" in welfare.get(f"/childcare/allocations/{many}/").content.decode()
    assert welfare.get(f"/childcare/allocations/{2**70}/").status_code == 404  # past bigint
    exported = welfare.get(f"/childcare/allocations/{many}.csv")
    lines = exported.content.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("順位,申込番号,宛名番号,氏名") and len([x for x in lines[1:] if x]) == 5
    assert "（表示できません）" not in exported.content.decode() and ",,2," in lines[1]  # 空 unnamed
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(action="export", resource="childcare.allocation").count() == 1
    runs = welfare.post("/childcare/allocations/", {"month": "2025-13"})
    assert runs.status_code == 422 and "YYYY-MM" in runs.content.decode()


def test_the_fee_calculation_screen(welfare):
    response = welfare.post(
        "/childcare/calculate/",
        {
            "lg_code": "012068",
            "month": "2023-10",
            "birth_date": "R4.5.1",
            "kind": "3",
            "need": "standard",
            "household.income_levy": "30,000",
        },
    )
    assert response.status_code == 200, response.content.decode()
    assert "12,200円" in response.content.decode()


def test_the_fee_decision_form_shows_the_amounts_before_deciding(family, welfare):
    with tenant_context(AIZU):
        number = certify(family).certificate_no
    form = {"certificate_no": number, "fiscal_year": "2024"}
    confirm = welfare.post("/childcare/fee/", {**form, "_step": "confirm"})
    page = confirm.content.decode()
    assert confirm.status_code == 200 and "2024-04 〜 2024-08" in page and "2024-09 〜 2025-03" in page
    with tenant_context(AIZU):
        assert services.child_records(family[3]).fees == []
        preview = services.check_fee(services.FeeDecisionIn(certificate_no=number, fiscal_year=2024))
    done = welfare.post("/childcare/fee/", {**form, "_step": "apply"})
    assert done.status_code == 302
    with tenant_context(AIZU):
        decided = services.child_records(family[3]).fees
    assert [(f["from"], f["until"], f["amount"]) for f in decided] == [
        (r.from_month, r.until_month, r.amount) for r in preview["ranges"]
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/childcare/certify/",
        "/childcare/apply/",
        "/childcare/fee/",
        "/childcare/allocations/",
        "/childcare/calculate/",
    ],
)
def test_every_screen_opens_empty(welfare, path):
    response = welfare.get(path)
    assert response.status_code == 200
    assert "保育" in response.content.decode()


def test_the_certificate_and_the_fee_notice_print_audited_and_never_a_protected_child(family, welfare):
    with tenant_context(AIZU):
        number = certify(family).certificate_no
        decided = services.decide_fee(services.FeeDecisionIn(certificate_no=number, fiscal_year=2024))
    for url, words in (
        (
            f"/childcare/certificates/{number}.pdf",
            ["支給認定証", "保育 次郎", "3号認定", "保育標準時間", "令和7年9月29日"],
        ),
        (
            f"/childcare/fees/{decided.decision_no}.pdf",
            ["利用者負担額決定通知書", "2024年4月〜2024年8月", "2023年度", f"{decided.ranges[1].amount:,}円"],
        ),
    ):
        response = welfare.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        for word in words:
            assert word in text, word
        assert "保育 一郎 様" in text
    with tenant_context(AIZU):
        printed = AuditEntry.objects.filter(action="print", resource__startswith="childcare.")
        assert printed.count() == 2 and set(printed[0].subject_ids) == {family[3], family[0]}
    protect(family[3])
    assert welfare.get(f"/childcare/certificates/{number}.pdf").status_code == 404
    assert welfare.get("/childcare/fees/99999999.pdf").status_code == 404
    assert welfare.get("/childcare/fees/%00.pdf").status_code == 404


def test_the_ending_certifications_by_month_in_keyset_pages_and_on_the_home_screen(family, welfare):
    with tenant_context(AIZU):
        certify(family)  # 次郎: 3号 until 2025-09-29
        for child in family[5:10]:  # 園田 five: 3号 until 2025-11-13
            _single(family, child)
        first = services.expiring(date(2025, 11, 1), date(2025, 11, 30), limit=2)
        rest = services.expiring(
            date(2025, 11, 1), date(2025, 11, 30), after=(first[-1].valid_until, first[-1].atena_no)
        )
        assert [e.atena_no for e in first + rest] == sorted(family[5:10])
        assert first[0].valid_until == date(2025, 11, 13) and first[0].reasons == "就労"
    counts = []
    for month, rows in (("2025-09", 1), ("2025-11", 5)):
        with CaptureQueriesContext(connections["default"]) as captured:
            page = welfare.get(f"/childcare/expiring/?month={month}").content.decode()
        counts.append(len(captured))
        assert page.count('<th scope="row"><a href="/childcare/?atena_no=') == rows
    assert counts[0] == counts[1]
    protect(family[5])
    assert "（表示できません）" in welfare.get("/childcare/expiring/?month=2025-11").content.decode()
    assert welfare.get("/childcare/expiring/?month=2025-13").status_code == 422
    home = welfare.get("/").content.decode()
    assert "保育：今月で有効期間が終わる認定" in home
