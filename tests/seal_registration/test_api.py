"""印鑑登録 over HTTP (docs/seal_registration.md, "API"): register, the 照会書 and 回答書, 廃止届,
亡失届, the 印鑑登録証明書 PDF, the 登記事項通知 — scopes, every refusal a 422 naming the body's
field with the clerk's message, and 支援措置 (a protected person is not found without
``registry:protected``)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import AIZU, CHIYODA
from tests.seal_registration.conftest import TODAY, image_of, in_town
from yakuba.certificates.services import seal, settings
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.seal_registration.rules import impression
from yakuba.seal_registration.services import ordinance

pytestmark = pytest.mark.django_db
BASE = f"/api/v1/{AIZU}/seal-registration"
READ, WRITE = "seal_registration:read", "seal_registration:write"


def _post(client, path: str, body: dict | None, token: str):
    return client.post(
        f"{BASE}/{path}",
        data=json.dumps(body or {}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _get(client, path: str, token: str):
    return client.get(f"{BASE}/{path}", HTTP_AUTHORIZATION=f"Bearer {token}")


def _body(atena_no: str, text: str = "山田", size: str = "15", image: bytes | None = None, **extra) -> dict:
    image = image or image_of(text)
    return {
        "atena_no": atena_no,
        "seal_text": text,
        "width_mm": size,
        "height_mm": size,
        "image": base64.b64encode(image).decode(),
        **extra,
    }


@pytest.fixture
def clerk(token_for, family):
    return token_for(AIZU, scopes=[READ, WRITE])


def test_register_list_abolish_and_the_lost_card(client, clerk, family):
    taro = family["山田 太郎"]
    made = _post(client, "registrations", _body(taro), clerk)
    assert made.status_code == 201, made.content
    done = made.json()
    assert done["procedure"] == "same-day" and len(done["card_no"]) == 8 and done["inquiry_no"] is None
    listed = _get(client, f"registrations?atena_no={taro}", clerk).json()
    assert [(r["registration_no"], r["status"]) for r in listed] == [(done["registration_no"], "registered")]
    assert "card_no" not in listed[0] and "image" not in listed[0]
    with tenant_context(AIZU):
        reads = AuditEntry.objects.filter(action="read", resource="seal_registration")
        assert [r.subject_ids for r in reads] == [[taro]]
    ended = _post(client, f"registrations/{done['registration_no']}/abolish", None, clerk)
    assert (ended.status_code, ended.json()["status"], ended.json()["end_reason"]) == (
        200,
        "abolished",
        "abolition",
    )
    again = _post(client, f"registrations/{done['registration_no']}/abolish", None, clerk)
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "registration_no"
    second = _post(client, "registrations", _body(taro, "太郎"), clerk).json()
    lost = _post(client, "lost-cards", {"card_no": second["card_no"]}, clerk)
    assert (lost.status_code, lost.json()["end_reason"]) == (200, "lost")
    assert [r["status"] for r in _get(client, f"registrations?atena_no={taro}", clerk).json()] == [
        "abolished",
        "abolished",
    ]


def test_every_refusal_names_the_body_field(client, clerk, family):
    bad = _post(
        client, "registrations", _body(family["山田 太郎"], "税理士山田", "30", deformable=True), clerk
    )
    assert bad.status_code == 422
    assert [(e["field"], e["message"]) for e in bad.json()["errors"]] == [
        ("seal_text", impression.OTHER_MATTER),
        ("deformable", impression.DEFORMABLE),
        ("width_mm", "印影が一辺25mmの正方形に収まらない大きさです（大きすぎます）"),
    ]
    young = _post(client, "registrations", _body(family["山田 次郎"], "次郎"), clerk).json()
    assert young["errors"][0]["field"] == "atena_no" and "15歳未満" in young["errors"][0]["message"]
    not_base64 = _post(client, "registrations", {**_body(family["山田 太郎"]), "image": "画像"}, clerk)
    assert not_base64.status_code == 422
    assert not_base64.json()["errors"] == [
        {"field": "image", "message": "印影の画像は Base64 で符号化して送ってください"}
    ]
    schema = _post(client, "registrations", {**_body(family["山田 太郎"]), "width_mm": "0"}, clerk)
    assert schema.status_code == 422 and "width_mm" in schema.content.decode()
    unknown = _post(client, "lost-cards", {"card_no": "00000000"}, clerk)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "registration_no"


def test_the_inquiry_and_its_answer(client, clerk, family):
    sent = _post(client, "registrations", _body(family["山田 太郎"], identity="none"), clerk).json()
    assert sent["procedure"] == "inquiry" and sent["mail_to"].endswith("東栄町3番46号")
    answered = _post(client, f"inquiries/{sent['inquiry_no']}/answer", None, clerk)
    assert answered.status_code == 201 and answered.json()["procedure"] == "inquiry"
    twice = _post(client, f"inquiries/{sent['inquiry_no']}/answer", None, clerk)
    assert twice.status_code == 422 and "回答済み" in twice.json()["errors"][0]["message"]


def test_the_certificate_is_the_signed_pdf_and_refused_with_reasons(client, clerk, family):
    with tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    hanako = family["山田 花子"]
    done = _post(client, "registrations", _body(hanako, "花子", image=seal.sample_seal("花子")), clerk).json()
    pdf = _post(
        client,
        "certificates",
        {"card_no": done["card_no"], "requester": {"type": "agent", "name": "代理 次郎"}},
        clerk,
    )
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF-")
    )
    assert pdf["X-Certificate-Number"]
    wrong = _post(
        client,
        "certificates",
        {"card_no": done["card_no"], "requester": {"type": "self", "atena_no": family["山田 太郎"]}},
        clerk,
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "requester.atena_no"
    by_my_number_card = {"my_number_card": True, "requester": {"type": "self", "atena_no": hanako}}
    refused = _post(client, "certificates", by_my_number_card, clerk)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "my_number_card"
    in_town(ordinance.set_from, TODAY, my_number_card_as_card=True)
    assert _post(client, "certificates", by_my_number_card, clerk).status_code == 200


def test_the_guardianship_notice_strikes_off(client, clerk, family):
    taro = family["山田 太郎"]
    done = _post(client, "registrations", _body(taro), clerk).json()
    notice = {"atena_no": taro, "kind": "started", "registered_on": TODAY.isoformat()}
    received = _post(client, "guardianship-notices", notice, clerk)
    assert (
        received.status_code == 201 and received.json()["struck_registration_no"] == done["registration_no"]
    )
    future = _post(client, "guardianship-notices", {**notice, "registered_on": "2999-01-01"}, clerk)
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "registered_on"


def test_scopes_tenant_and_protected_persons(client, token_for, clerk, family, chiyoda):
    taro = family["山田 太郎"]
    read_only = token_for(AIZU, scopes=[READ])
    assert _post(client, "registrations", _body(taro), read_only).status_code == 403
    assert (
        _get(client, f"registrations?atena_no={taro}", token_for(CHIYODA, scopes=[READ])).status_code == 404
    )
    with tenant_context(AIZU):
        registry.set_measure(taro, starts_on=timezone.localdate(), kind="dv")
    assert _get(client, f"registrations?atena_no={taro}", clerk).status_code == 404
    refused = _post(client, "registrations", _body(taro), clerk)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "atena_no"
    protected = token_for(AIZU, scopes=[READ, WRITE, "registry:protected"])
    assert _post(client, "registrations", _body(taro), protected).status_code == 201
    assert _get(client, f"registrations?atena_no={taro}", protected).status_code == 200


def test_the_ordinance_in_force(client, token_for, aizu, system_actor):
    read = token_for(AIZU, scopes=[READ])
    default = _get(client, "ordinance", read).json()
    assert (default["effective_from"], default["min_age"], default["max_mm"]) == (None, 15, "25")
    in_town(ordinance.set_from, TODAY + timedelta(days=1), reply_days=14)
    assert _get(client, "ordinance", read).json()["reply_days"] == 30
    later = _get(client, f"ordinance?on={(TODAY + timedelta(days=1)).isoformat()}", read).json()
    assert (later["effective_from"], later["reply_days"]) == ((TODAY + timedelta(days=1)).isoformat(), 14)


def test_a_person_s_registrations_in_a_fixed_number_of_queries(client, clerk, family):
    """No N+1: the list reads the person once and the registrations in one query."""
    taro = family["山田 太郎"]
    first = _post(client, "registrations", _body(taro), clerk).json()
    with CaptureQueriesContext(connection) as one:
        assert len(_get(client, f"registrations?atena_no={taro}", clerk).json()) == 1
    for text in ("太郎", "山田太郎"):
        _post(client, f"registrations/{first['registration_no']}/abolish", None, clerk)
        first = _post(client, "registrations", _body(taro, text), clerk).json()
    with CaptureQueriesContext(connection) as three:
        assert len(_get(client, f"registrations?atena_no={taro}", clerk).json()) == 3
    assert len(three) == len(one)
