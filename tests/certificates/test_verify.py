"""Verification of a presented certificate — by number, by QR text, by PDF — through the door,
the API (``certificates:verify``), the public page (no sign-in) and the CLI: one word, never
personal data, always audited without subjects (docs/certificates.md, "Verification")."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from tests.certificates.test_signing import plain_pdf
from tests.conftest import AIZU, CHIYODA
from yakuba.certificates.models import Certificate
from yakuba.certificates.services import qr, signing, verify
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

NUMBER = "20260401-000001"
VOIDED = "20260401-000002"
CONTENT_DIGEST = hashlib.sha256("住民票の写し 𠮷田 邉子".encode()).hexdigest()
PERSON = "𠮷田 邉子"  # in the ledger row (請求者) only: must never be shown


@contextmanager
def working_in(lg_code: str = AIZU):
    with bind_actor(SYSTEM), tenant_context(lg_code):
        yield


@dataclass
class Issued:
    pdf: bytes
    voided_pdf: bytes

    @property
    def altered(self) -> bytes:
        offset = self.pdf.index(b"stream") + 20
        return self.pdf[:offset] + bytes([self.pdf[offset] ^ 0x01]) + self.pdf[offset + 1 :]


def _ledger(number: str, pdf: bytes, **extra) -> None:
    Certificate.objects.create(
        lg_code=AIZU,
        number=number,
        kind="juminhyo_copy",
        layout="household",
        setai_no="000000000000019",
        atena_nos=["000000000000027"],
        requester="self",
        requester_name=PERSON,
        pages=1,
        issued_at=timezone.now(),
        actor="madoguchi",
        pdf_digest=hashlib.sha256(pdf).hexdigest(),
        content_digest=CONTENT_DIGEST,
        **extra,
    )


@pytest.fixture
def issued(aizu) -> Issued:
    """Two certificates in the 交付履歴, signed as issuing signs them; the second voided."""
    with working_in():
        pdf = signing.sign(plain_pdf(), number=NUMBER)
        voided = signing.sign(plain_pdf(), number=VOIDED)
        _ledger(NUMBER, pdf)
        _ledger(VOIDED, voided, voided_at=timezone.now(), voided_by="kanri", void_reason="誤交付")
    return Issued(pdf, voided)


def _verifications() -> list[dict]:
    with working_in():
        return list(
            AuditEntry.objects.filter(resource=verify.RESOURCE)
            .order_by("chain_no")
            .values("actor", "subject_ids", "detail")
        )


def test_the_door_answers_by_number_pdf_and_qr(issued):
    with working_in():
        assert verify.verify_number(NUMBER) == verify.GENUINE
        assert verify.verify_number("20260401-999999") == verify.UNKNOWN
        assert verify.verify_number(VOIDED) == verify.UNKNOWN  # not told apart from never issued
        assert verify.verify_pdf(issued.pdf) == (verify.GENUINE, NUMBER)
        assert verify.verify_pdf(issued.altered) == (verify.ALTERED, NUMBER)
        assert verify.verify_pdf(issued.pdf + b"%") == (verify.ALTERED, NUMBER)
        assert verify.verify_pdf(issued.voided_pdf) == (verify.UNKNOWN, VOIDED)
        assert verify.verify_pdf(plain_pdf()) == (verify.UNKNOWN, None)  # names no number
        assert verify.verify_payload(qr.payload(NUMBER, CONTENT_DIGEST)) == (verify.GENUINE, NUMBER)
        assert verify.verify_payload(qr.payload(NUMBER, "0" * 64)) == (verify.ALTERED, NUMBER)
    rows = _verifications()
    assert all(r["subject_ids"] == [] and r["actor"] == "system" for r in rows)
    assert [(r["detail"]["how"], r["detail"]["result"]) for r in rows] == [
        ("number", "genuine"),
        ("number", "unknown"),
        ("number", "unknown"),
        ("pdf", "genuine"),
        ("pdf", "altered"),
        ("pdf", "altered"),
        ("pdf", "unknown"),
        ("pdf", "unknown"),
        ("qr", "genuine"),
        ("qr", "altered"),
    ]
    assert rows[2]["detail"]["voided"] is True and "voided" not in rows[1]["detail"]


def test_a_certificate_of_another_municipality_is_unknown_here(issued, chiyoda):
    with working_in(CHIYODA):
        assert verify.verify_number(NUMBER) == verify.UNKNOWN
        assert verify.verify_pdf(issued.pdf) == (verify.UNKNOWN, NUMBER)
        assert verify.verify_payload(qr.payload(NUMBER, CONTENT_DIGEST))[0] == verify.UNKNOWN


# --- API ---------------------------------------------------------------------------------------


@pytest.fixture
def verifier(issued, token_for):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(AIZU, scopes=['certificates:verify'])}"}


def test_api_verifies_a_number(client, verifier):
    base = f"/api/v1/{AIZU}/certificates"
    assert client.get(f"{base}/{NUMBER}/verify", **verifier).json() == {"status": "genuine"}
    for number in ("20260401-999999", VOIDED):
        response = client.get(f"{base}/{number}/verify", **verifier)
        assert response.status_code == 200 and response.json() == {"status": "unknown"}
    assert client.get(f"{base}/{'9' * 21}/verify", **verifier).status_code == 422


def test_api_verifies_a_pdf(client, verifier, issued):
    url = f"/api/v1/{AIZU}/certificates/verify"

    def post(body, content_type="application/pdf"):
        return client.post(url, data=body, content_type=content_type, **verifier)

    assert post(issued.pdf).json() == {"status": "genuine", "certificate_number": NUMBER}
    assert post(issued.altered).json() == {"status": "altered", "certificate_number": NUMBER}
    assert post(plain_pdf()).json() == {"status": "unknown", "certificate_number": None}
    response = post(b"%PDF-1.7\n\x00\xff garbage")
    assert response.status_code == 200 and response.json()["status"] == "unknown"
    for body, content_type, status in (
        (b"", "application/pdf", 415),  # an empty body has no Content-Type at all
        (b"GIF89a", "application/pdf", 422),
        (issued.pdf, "application/octet-stream", 415),
        (b'{"pdf": 1}', "application/json", 415),
    ):
        response = post(body, content_type)
        assert response.status_code == status and response["Content-Type"] == "application/problem+json"
    assert PERSON not in post(issued.pdf).content.decode()


def test_api_needs_the_verify_scope(client, issued, token_for):
    other = {"HTTP_AUTHORIZATION": f"Bearer {token_for(AIZU, scopes=['registry:read'])}"}
    assert client.get(f"/api/v1/{AIZU}/certificates/{NUMBER}/verify", **other).status_code == 403


# --- the public page ---------------------------------------------------------------------------


def test_the_public_page_works_without_sign_in_and_shows_no_personal_data(issued):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(f"/certificates/verify/{AIZU}/")
    assert page.status_code == 200 and "証明書の確認（会津若松市）" in page.content.decode()
    answers = {
        NUMBER: "真正な証明書です",
        VOIDED: "該当する証明書はありません",
        "20260401-999999": "該当する証明書はありません",
        qr.payload_for(AIZU, NUMBER, CONTENT_DIGEST): "真正な証明書です",
        qr.payload_for(AIZU, NUMBER, "0" * 64): "改ざんされています",
    }
    for code, answer in answers.items():
        text = browser.get(f"/certificates/verify/{AIZU}/", {"code": code}).content.decode()
        assert answer in text and PERSON not in text and "000000000000027" not in text, code
    # Without the municipality in the path: the QR text names it, a bare number cannot.
    text = browser.get("/certificates/verify/", {"code": qr.payload_for(AIZU, NUMBER, CONTENT_DIGEST)})
    assert "真正な証明書です" in text.content.decode()
    assert (
        "発行した市区町村が分かりません"
        in browser.get("/certificates/verify/", {"code": NUMBER}).content.decode()
    )
    assert "正しく入力してください" in browser.get("/certificates/verify/", {"code": "<x>"}).content.decode()
    assert browser.get("/certificates/verify/07202/").status_code == 404
    # A municipality not hosted here is answered like an unknown number.
    text = browser.get(f"/certificates/verify/{CHIYODA}/", {"code": NUMBER}).content.decode()
    assert "該当する証明書はありません" in text
    rows = _verifications()
    assert len(rows) == 6 and {r["actor"] for r in rows} == {verify.PUBLIC_ACTOR}
    assert all(r["subject_ids"] == [] for r in rows)


def test_the_public_page_checks_an_uploaded_pdf_with_its_csrf_token(issued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    browser = Client(enforce_csrf_checks=True)
    form = browser.get("/certificates/verify/")
    token = form.cookies["csrftoken"].value
    for pdf, answer in ((issued.pdf, "真正な証明書です"), (issued.altered, "改ざんされています")):
        upload = SimpleUploadedFile("juminhyo.pdf", pdf, content_type="application/pdf")
        text = browser.post(
            "/certificates/verify/", {"pdf": upload, "csrfmiddlewaretoken": token}
        ).content.decode()
        assert answer in text and f"証明書番号: {NUMBER}（発行: 会津若松市）" in text and PERSON not in text
    assert (
        "PDF ファイルを選んでください"
        in browser.post("/certificates/verify/", {"csrfmiddlewaretoken": token}).content.decode()
    )
    upload = SimpleUploadedFile("juminhyo.pdf", issued.pdf, content_type="application/pdf")
    assert Client(enforce_csrf_checks=True).post("/certificates/verify/", {"pdf": upload}).status_code == 403


def test_the_public_page_is_throttled_per_address(issued, monkeypatch):
    monkeypatch.setattr(verify, "THROTTLE_LIMIT", 2)
    browser = Client()
    url = f"/certificates/verify/{AIZU}/"
    assert [browser.get(url, {"code": NUMBER}).status_code for _ in range(3)] == [200, 200, 429]
    assert "確認の回数が上限に達しました" in browser.get(url, {"code": NUMBER}).content.decode()
    assert browser.get(url, {"code": NUMBER}, REMOTE_ADDR="192.0.2.9").status_code == 200


# --- CLI ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_cli_keys_and_verify(capsys, tmp_path, aizu):
    from cryptography.hazmat.primitives.asymmetric import ec

    from tests.certificates.test_signing import _ca_and_leaf, _key_pem
    from yakuba.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    _leaf_key, chain, _ca = _ca_and_leaf()
    (tmp_path / "chain.pem").write_bytes(chain)
    (tmp_path / "other.key").write_bytes(_key_pem(ec.generate_private_key(ec.SECP256R1())))
    key_args = ("--key", str(tmp_path / "other.key"), "--chain", str(tmp_path / "chain.pem"))
    code, out, err = run("certificate", "key", "import", AIZU, *key_args)
    assert code == 2 and out == "" and "Traceback" not in err
    assert (
        err.strip()
        == "エラー: 秘密鍵が証明書チェーンの最初の証明書と対応していません（署名者の証明書を先頭にしてください）"
    )
    code, out, _err = run("certificate", "key", "generate", AIZU)
    assert code == 0 and "署名者: " in out and "会津若松市長" in out
    with working_in():
        pdf = signing.sign(plain_pdf(), number=NUMBER)
        _ledger(NUMBER, pdf)
    (tmp_path / "good.pdf").write_bytes(pdf)
    (tmp_path / "bad.pdf").write_bytes(Issued(pdf, b"").altered)
    assert run("certificate", "verify", str(tmp_path / "good.pdf")) == (
        0,
        f"{tmp_path / 'good.pdf'}: 真正な証明書です（証明書番号 {NUMBER}）\n",
        "",
    )
    code, out, _err = run("certificate", "verify", str(tmp_path / "bad.pdf"))
    assert code == 1 and "改ざんされています" in out
    code, out, err = run("certificate", "key", "list", AIZU)
    assert (
        code == 0 and "使用中\t生成" in out and err.strip() == "2 件"
    )  # municipality add's, then generate's
