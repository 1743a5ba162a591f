"""POST …/registry/certificates (docs/reference/contract.md): a signed PDF with its number in a
header, every refusal as 422 with its reason, 支援措置 to the person alone, the scope required,
and the number then verifiable."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from yakuba.certificates.models import Certificate
from yakuba.certificates.services import seal, settings
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry_door

pytestmark = pytest.mark.django_db


@pytest.fixture
def issuer(town, token_for):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    return token_for(AIZU, ["certificates:issue", "certificates:verify"])


def _post(client, token, body):
    return client.post(
        f"/api/v1/{AIZU}/registry/certificates",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _body(town, **extra):
    return {
        "kind": "juminhyo_copy",
        "layout": "household",
        "setai_no": town.setai,
        "requester": {"type": "self", "atena_no": town.head},
        **extra,
    }


def test_a_household_copy_comes_back_as_a_signed_pdf_with_its_number(client, town, issuer):
    response = _post(client, issuer, _body(town))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    number = response["X-Certificate-Number"]
    assert response.content.startswith(b"%PDF") and number.startswith(f"{timezone.localdate():%Y%m%d}-")
    with bind_actor(SYSTEM), tenant_context(AIZU):
        row = Certificate.objects.get(number=number)
    assert row.pages == 2 and len(row.atena_nos) == 5  # five persons: two 世帯連記式 sheets
    verified = client.get(
        f"/api/v1/{AIZU}/certificates/{number}/verify", HTTP_AUTHORIZATION=f"Bearer {issuer}"
    )
    assert verified.json() == {"status": "genuine"}


def test_every_reason_comes_back_as_422(client, town, issuer):
    response = _post(
        client,
        issuer,
        _body(town, requester={"type": "third_party", "name": "山田 太郎"}, include={"my_number": True}),
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"requester.purpose", "include.my_number"}  # both at once


def test_a_protected_persons_certificate_is_refused_to_a_third_party(client, town, issuer):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        registry_door.set_measure(town.wife, starts_on=timezone.localdate(), kind="dv")
    response = _post(
        client,
        issuer,
        _body(town, requester={"type": "third_party", "name": "山田 太郎"}, purpose="債権回収のため"),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "requester", "message": "支援措置の対象者が含まれるため、本人以外の請求には交付できません"}
    ]
    own = _post(
        client,
        issuer,
        _body(
            town,
            layout="individual",
            atena_nos=[town.wife],
            requester={"type": "self", "atena_no": town.wife},
        ),
    )
    assert own.status_code == 200


def test_the_scope_is_required(client, town, issuer, token_for):
    reader = token_for(AIZU, ["registry:read"])
    assert _post(client, reader, _body(town)).status_code == 403


def test_cli_issues_and_verifies_a_certificate(capsys, tmp_path, town, issuer):
    from yakuba.cli import main

    out = tmp_path / "juminhyo.pdf"
    args = ["certificate", "issue", AIZU, "--kind", "juminhyo_copy", "--setai-no", town.setai]
    code = main(
        [*args, "--requester-name", "福島県警察本部", "--purpose", "捜査関係事項照会", "--out", str(out)]
    )
    printed = capsys.readouterr().out
    assert code == 0 and "（2枚）" in printed and out.read_bytes().startswith(b"%PDF")
    assert main(["certificate", "verify", str(out)]) == 0
    assert "真正な証明書です" in capsys.readouterr().out
    code = main([*args, "--requester", "third_party", "--requester-name", "山田", "--out", str(out)])
    assert code == 2 and "請求事由を入力してください" in capsys.readouterr().err
