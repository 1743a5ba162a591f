"""The assessments through the API: read with tax:read (every version), correct with tax:write
(a new version, 422 naming the field), 404 for another town's token or a person under 支援措置
without the registry's scope for them; every read and write audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.utils import timezone

from tests.conftest import AIZU, CHIYODA
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.generate import generate_population
from yakuba.tax.models import Assessment
from yakuba.tax.services import assessment, income_generate

YEAR = 2026


@pytest.fixture
def assessed(aizu, chiyoda, system_actor):
    with tenant_context(AIZU):
        generate_population(150, seed=7, as_of=date(2025, 12, 1))
        income_generate.generate(YEAR)
    assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        return Assessment.objects.filter(total__gt=0).order_by("atena_no").first()


def _get(client, token, atena_no, year=YEAR, lg=AIZU):
    return client.get(
        f"/api/v1/{lg}/tax/assessments/{atena_no}?fiscal_year={year}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def _send(client, token, path, body):
    return client.post(
        f"/api/v1/{AIZU}/tax/{path}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _post(client, token, atena_no, body):
    return _send(client, token, f"assessments/{atena_no}/corrections", body)


@pytest.mark.django_db
def test_read_and_correct_through_the_api(client, token_for, assessed):
    reader = token_for(AIZU, scopes=["tax:read"])
    writer = token_for(AIZU, scopes=["tax:read", "tax:write"])
    got = _get(client, reader, assessed.atena_no)
    assert got.status_code == 200, got.content
    first = got.json()["versions"][0]
    assert first["total"] == assessed.total and first["reason"] == "initial"
    assert sum(i["amount"] for i in first["installments"]) == assessed.total

    body = dict(assessed.calculation["input"])
    body["deductions"] = {**body["deductions"], "medical_expenses": 300_000}
    assert (
        _post(
            client, reader, assessed.atena_no, {"fiscal_year": YEAR, "input": body, "note": "医療費"}
        ).status_code
        == 403
    )
    done = _post(
        client, writer, assessed.atena_no, {"fiscal_year": YEAR, "input": body, "note": "医療費控除の追加"}
    )
    assert done.status_code == 201, done.content
    versions = done.json()["versions"]
    assert [v["version"] for v in versions] == [1, 2] and versions[1]["total"] < versions[0]["total"]
    assert versions[1]["note"] == "医療費控除の追加"

    bad = _post(
        client,
        writer,
        assessed.atena_no,
        {"fiscal_year": YEAR, "input": {**body, "fiscal_year": 2025}, "note": "x"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "input.fiscal_year"
    blank = _post(client, writer, assessed.atena_no, {"fiscal_year": YEAR, "input": body, "note": "   "})
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "note"
    with tenant_context(AIZU):
        reads = AuditEntry.objects.filter(
            resource="tax.assessment", action="read", subject_ids=[assessed.atena_no]
        )
        writes = AuditEntry.objects.filter(
            resource="tax.assessment", action="update", subject_ids=[assessed.atena_no]
        )
        assert reads.count() == 1 and writes.count() == 1


@pytest.mark.django_db
def test_unknown_other_town_and_protected_are_404(client, token_for, assessed, system_actor):
    reader = token_for(AIZU, scopes=["tax:read"])
    assert _get(client, reader, "999999999999999").status_code == 404
    assert _get(client, reader, assessed.atena_no, year=2025).status_code == 404
    other = token_for(CHIYODA, scopes=["tax:read"])
    assert _get(client, other, assessed.atena_no, lg=AIZU).status_code == 404
    from yakuba.registry import services as registry

    with tenant_context(AIZU):
        registry.set_measure(assessed.atena_no, starts_on=timezone.localdate())
    assert _get(client, reader, assessed.atena_no).status_code == 404
    trusted = token_for(AIZU, scopes=["tax:read", "registry:protected"])
    assert _get(client, trusted, assessed.atena_no).status_code == 200


def _certificate(client, token, body):
    return _send(client, token, "certificates", body)


@pytest.mark.django_db
def test_the_income_certificate_through_the_api(client, token_for, assessed):
    """所得・課税証明書: tax:read and certificates:issue; the signed PDF with its number; 422 for a
    requester the law does not allow, 403 without the issue scope, 404 for an unknown person;
    a person under 支援措置 has it on their own request only."""
    from yakuba.certificates.models import Certificate
    from yakuba.certificates.services import seal, settings

    with tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    body = {
        "atena_no": assessed.atena_no,
        "fiscal_year": YEAR,
        "requester": {"type": "self", "atena_no": assessed.atena_no},
    }
    issuer = token_for(AIZU, scopes=["tax:read", "certificates:issue"])
    done = _certificate(client, issuer, body)
    assert done.status_code == 200 and done.content.startswith(b"%PDF")
    with tenant_context(AIZU):
        entry = Certificate.objects.get(number=done["X-Certificate-Number"])
    assert entry.kind == "income_certificate" and entry.atena_nos == [assessed.atena_no]
    assert _certificate(client, token_for(AIZU, scopes=["tax:read"]), body).status_code == 403
    proxy = _certificate(client, issuer, body | {"requester": {"type": "agent", "name": "代理 太郎"}})
    assert proxy.status_code == 422
    assert proxy.json()["errors"] == [
        {
            "field": "power_of_attorney",
            "message": "代理人の請求には本人の委任状が必要です。委任状を確認してください",
        }
    ]
    third = _certificate(client, issuer, body | {"requester": {"type": "third_party", "name": "債権者"}})
    assert third.status_code == 422  # not even a choice in the schema
    with tenant_context(AIZU):
        from yakuba.registry import services as door

        door.set_measure(assessed.atena_no, starts_on=timezone.localdate(), kind="dv")
    household = body | {"requester": {"type": "household", "atena_no": "0000000001"}}
    assert _certificate(client, issuer, household).status_code == 422  # 支援措置: the person alone
    assert _certificate(client, issuer, body).status_code == 200  # their own request
    unknown = body | {
        "atena_no": "999999999999999",
        "requester": {"type": "self", "atena_no": "999999999999999"},
    }
    assert _certificate(client, issuer, unknown).status_code == 404
