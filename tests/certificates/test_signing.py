"""The 電子公印: the municipality's key (generated, imported, encrypted at rest), the PAdES
signature pyHanko validates (ETSI EN 319 142-1 B-B), and the QR code that decodes to its
payload (docs/certificates.md, "Signature and verification")."""

from __future__ import annotations

import datetime as dt
import functools
import io
import subprocess
from contextlib import contextmanager

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tests.conftest import AIZU, CHIYODA
from yakuba.certificates.models import SigningKey
from yakuba.certificates.services import keys, qr, signing
from yakuba.platform import crypto
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

NUMBER = "20260401-000001"


@contextmanager
def working_in(lg_code: str = AIZU):
    with bind_actor(SYSTEM), tenant_context(lg_code):
        yield


@functools.cache
def plain_pdf(text: str = "住民票の写し（試験）") -> bytes:
    """A small PDF as the renderer makes them (WeasyPrint, embedded fonts)."""
    from weasyprint import HTML

    return HTML(string=f"<html lang='ja'><body><p>{text}</p></body></html>").write_pdf()


def _validate(pdf: bytes, trust_root):
    """pyHanko's own verdict, independent of ``signing.signature_status``."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    (sig,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    context = ValidationContext(trust_roots=[trust_root], allow_fetching=False)
    return sig, validate_pdf_signature(sig, signer_validation_context=context)


def test_municipality_add_generates_the_key_once_encrypted_and_audited(aizu):
    """The ``aizu`` fixture registers the town as ``yakuba municipality add`` does: its key is
    there before any certificate, and asking for it does not make another."""
    with working_in():
        row = SigningKey.objects.get()
        first = keys.current_key()
        again = keys.current_key()
        assert SigningKey.objects.count() == 1
        audit = list(
            AuditEntry.objects.filter(resource=keys.RESOURCE).values("action", "subject_ids", "detail")
        )
    assert first.key_id == again.key_id == row.pk and row.source == "generated" and row.created_by == "system"
    assert "PRIVATE KEY" not in row.private_key and row.private_key.startswith("v1:")
    cert = x509.load_der_x509_certificate(first.certificate.dump())
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "会津若松市長"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "会津若松市"
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    assert 3650 <= (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 3653
    assert audit == [
        {
            "action": "create",
            "subject_ids": [],
            "detail": audit[0]["detail"] | {"source": "generated", "fingerprint": first.fingerprint},
        }
    ]


def test_the_key_is_bound_to_its_certificate(aizu):
    """The encrypted key names its certificate's fingerprint as associated data: a key row with
    another chain pasted in does not decrypt (docs/security.md, "Encryption at rest")."""
    with working_in():
        keys.current_key()
        other = keys.generate_key()
        row = SigningKey.objects.order_by("pk").first()
        row.certificate_chain = SigningKey.objects.get(pk=other.key_id).certificate_chain
        with pytest.raises(crypto.CryptoError):
            keys._material(row)


def test_pyhanko_validates_the_pades_signature(aizu):
    with working_in():
        signed = signing.sign(plain_pdf(), number=NUMBER)
        material = keys.current_key()
        status = signing.signature_status(signed)
    sig, result = _validate(signed, material.certificate)
    assert result.bottom_line and result.coverage.name == "ENTIRE_FILE" and result.trusted
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES (EN 319 142-1 §6.3)
    assert sig.sig_object["/Reason"] == "証明書の真正性の証明"
    assert sig.sig_object["/Location"] == "会津若松市"
    assert "signing_time" not in {a["type"].native for a in sig.signer_info["signed_attrs"]}  # B-B
    assert status == signing.VALID
    assert signing.read_marks(signed) == (AIZU, NUMBER)
    assert signing.signature_status(plain_pdf()) == signing.UNSIGNED


def test_a_changed_byte_or_an_appended_revision_is_invalid(aizu):
    with working_in():
        signed = signing.sign(plain_pdf(), number=NUMBER)
        offset = signed.index(b"stream") + 20  # inside the page content, covered by the signature
        altered = signed[:offset] + bytes([signed[offset] ^ 0x01]) + signed[offset + 1 :]
        appended = signed + b"\n1 0 obj\n(x)\nendobj\n"
        assert signing.signature_status(altered) == signing.INVALID
        assert signing.signature_status(appended) == signing.INVALID
        assert signing.signature_status(b"not a pdf") == signing.UNSIGNED
    assert signing.read_marks(altered) == (AIZU, NUMBER)


def test_another_municipalitys_key_is_not_a_trust_root(aizu, chiyoda):
    with working_in(AIZU):
        signed = signing.sign(plain_pdf(), number=NUMBER)
    with working_in(CHIYODA):
        keys.current_key()
        assert signing.signature_status(signed) == signing.INVALID


def test_the_newest_key_signs_and_older_ones_still_verify(aizu):
    with working_in():
        old = signing.sign(plain_pdf(), number=NUMBER)
        newer = keys.generate_key()
        new = signing.sign(plain_pdf(), number="20260401-000002")
        assert keys.current_key().key_id == newer.key_id
        assert [signing.signature_status(p) for p in (old, new)] == [signing.VALID, signing.VALID]
    _sig, result = _validate(new, newer.certificate)
    assert result.bottom_line


def _ca_and_leaf(*, leaf_key=None):
    """A CA certificate and a leaf issued by it (as a municipality's CA would provide)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "試験用認証局")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = leaf_key or ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "会津若松市長")]))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    chain = leaf.public_bytes(pem) + ca.public_bytes(pem)
    return leaf_key, chain, ca


def _key_pem(key, passphrase: bytes | None = None) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def test_an_imported_key_and_chain_sign_and_verify(aizu):
    leaf_key, chain, ca = _ca_and_leaf()
    with working_in():
        material = keys.import_key(_key_pem(leaf_key, b"aikotoba"), chain, b"aikotoba")
        signed = signing.sign(plain_pdf(), number=NUMBER)
        assert signing.signature_status(signed) == signing.VALID
        assert SigningKey.objects.get(pk=material.key_id).source == "imported"
    from asn1crypto import x509 as asn1_x509

    _sig, result = _validate(signed, asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER)))
    assert result.bottom_line and len(material.chain) == 2


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("mismatch", "秘密鍵が証明書チェーンの最初の証明書と対応していません"),
        ("no passphrase", "秘密鍵はパスフレーズで保護されています"),
        ("garbage key", "秘密鍵を読み取れません"),
        ("garbage chain", "証明書チェーンを読み取れません"),
    ],
)
def test_import_refuses_a_key_that_cannot_sign_for_the_chain(aizu, case, message):
    leaf_key, chain, _ca = _ca_and_leaf()
    key_pem = _key_pem(ec.generate_private_key(ec.SECP256R1())) if case == "mismatch" else _key_pem(leaf_key)
    passphrase = None
    if case == "no passphrase":
        key_pem = _key_pem(leaf_key, b"aikotoba")
    if case == "garbage key":
        key_pem = b"-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n"
    if case == "garbage chain":
        chain = b"not a certificate"
    with working_in(), pytest.raises(keys.KeyRejected, match=message):
        keys.import_key(key_pem, chain, passphrase)
    with working_in():
        assert list(SigningKey.objects.values_list("source", flat=True)) == [
            "generated"
        ]  # municipality add's


def test_the_qr_code_decodes_to_its_payload(aizu, tmp_path):
    """The SVG the certificate embeds, printed by WeasyPrint and rasterised by poppler, reads
    back as the payload with zxing-cpp — what a phone's reader would see on paper."""
    import zxingcpp
    from PIL import Image
    from weasyprint import HTML

    digest = "ab" * 32
    with working_in():
        text = qr.payload(NUMBER, digest)
        svg = qr.qr_svg(NUMBER, digest)
    assert text == f"YKB1:{AIZU}:{NUMBER}:{'AB' * 32}"
    assert qr.parse(text) == qr.Payload(AIZU, NUMBER, digest)
    assert qr.parse("https://example.com/") is None and qr.parse(text + "0") is None
    sized = svg.replace("<svg ", '<svg width="40mm" ', 1)
    html = f"<html><body><div style='width:40mm'>{sized}</div></body></html>"
    (tmp_path / "qr.pdf").write_bytes(HTML(string=html).write_pdf())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-singlefile", str(tmp_path / "qr.pdf"), str(tmp_path / "qr")],
        check=True,
    )
    (found,) = zxingcpp.read_barcodes(Image.open(tmp_path / "qr.png"))
    assert found.text == text and found.format == zxingcpp.BarcodeFormat.QRCode


def test_the_key_is_decrypted_once_and_a_new_key_signs_at_once(aizu):
    with working_in():
        first = keys.current_key()
        assert keys.current_key() is first  # kept per process: rows are never changed
        newer = keys.generate_key()
        assert keys.current_key().key_id == newer.key_id != first.key_id
