"""The municipality's signing key for the 電子公印: generated, imported, found.

A certificate issued as a PDF carries a PAdES signature (ETSI EN 319 142-1) in place of the
printed 公印's role of proving who issued it (住民記録システム標準仕様書 §5 証明: 認証者, 公印;
docs/certificates.md, "Signature and verification"). The signer is the 市区町村長 — the
認証者 of every certificate (住民基本台帳法施行令 第15条の2) — so a generated certificate names
「<市区町村名>長」. A municipality with a certificate from its own CA (LGPKI or another)
imports key and chain; until then it signs with a self-signed key generated when the municipality
is registered (``municipality add``; for one registered before that, at its first certificate).

The private key is stored encrypted (``yakuba.platform.crypto``, AES-256-GCM) with the
certificate's fingerprint as associated data: a key copied next to another certificate does not
decrypt. The newest row signs; older rows stay so that what they signed still verifies.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.db import connections

from yakuba.certificates.models import SigningKey
from yakuba.platform import crypto
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant

VALIDITY_YEARS = 10
RESOURCE = "signing-key"


class KeyRejected(ValueError):
    """A key or chain that cannot sign for the municipality (message in Japanese)."""


@dataclass(frozen=True)
class SigningMaterial:
    """A key able to sign, with its certificate chain (signer first)."""

    key_id: int
    private_key: asn1_keys.PrivateKeyInfo
    chain: tuple[asn1_x509.Certificate, ...]
    source: str

    @property
    def certificate(self) -> asn1_x509.Certificate:
        return self.chain[0]

    @property
    def fingerprint(self) -> str:
        return self.certificate.sha256.hex()

    @functools.cached_property
    def signer(self):
        """A pyHanko signer holding the key and the rest of the chain (embedded in the CMS); it
        keeps no state between signatures, so one serves every certificate of this key."""
        from pyhanko.sign.signers import SimpleSigner
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        return SimpleSigner(
            signing_cert=self.certificate,
            signing_key=self.private_key,
            cert_registry=SimpleCertificateStore.from_certs(self.chain[1:]),
        )

    @functools.cached_property
    def signature_room(self) -> int:
        """Hex digits to reserve in the PDF for a signature by this key, measured once.

        pyHanko measures this itself before every signature by signing a dummy digest — a
        second private-key operation and CMS assembly, some 40 % of signing. The CMS of this key
        always has the same size (same certificates, same attributes, a signature of the key's
        length), so the measure is made once, the way pyHanko makes it: a dry run, twice its
        length for the hex string, and half again as a margin.
        """
        import asyncio
        import hashlib

        dummy = asyncio.run(
            self.signer.async_sign(hashlib.sha256().digest(), "sha256", use_pades=True, dry_run=True)
        )
        hex_digits = len(dummy.dump()) * 2
        return hex_digits + 2 * (hex_digits // 4)


def certifier_title(lg_code: str) -> str:
    """「会津若松市長」, 「千代田区長」: the 認証者 a generated certificate names."""
    return f"{lookup(lg_code).name}長"


def _context(lg_code: str, fingerprint: str) -> str:
    return f"{lg_code}/certificates/signing-key/{fingerprint}"


def _parse_chain(chain_pem: bytes) -> list[asn1_x509.Certificate]:
    from pyhanko.keys import load_certs_from_pemder_data

    try:
        certs = list(load_certs_from_pemder_data(chain_pem))
    except Exception:  # asn1crypto raises ValueError/TypeError on garbage
        raise KeyRejected(
            "証明書チェーンを読み取れません（PEM または DER の X.509 証明書を指定してください）"
        ) from None
    if not certs:
        raise KeyRejected("証明書チェーンに証明書がありません")
    return certs


def _material(row: SigningKey) -> SigningMaterial:
    return _unsealed(row.lg_code, row.pk, row.certificate_chain, row.private_key, row.source)


@functools.lru_cache(maxsize=256)
def _unsealed(lg_code: str, key_id: int, chain_pem: str, sealed_key: str, source: str) -> SigningMaterial:
    """The key of a row decrypted and parsed once per process, not for every certificate: key
    rows are never changed (a new key is a new row), and the cache is keyed by everything the
    row holds — a new key, another chain (so another fingerprint) or another ciphertext is
    another entry, read and checked anew. Kept with it: its pyHanko signer and signature size."""
    chain = _parse_chain(chain_pem.encode())
    pem = crypto.decrypt(sealed_key, context=_context(lg_code, chain[0].sha256.hex()))
    key = asn1_keys.PrivateKeyInfo.load(
        serialization.load_pem_private_key(pem.encode(), password=None).private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return SigningMaterial(key_id, key, tuple(chain), source)


def _store(
    private_key, chain: list[asn1_x509.Certificate], *, source: str, actor: str | None = None
) -> SigningMaterial:
    """Write a key row (private key encrypted) and its audit row."""
    lg_code = require_tenant().lg_code
    fingerprint = chain[0].sha256.hex()
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    chain_pem = "".join(_pem(cert) for cert in chain)
    row = SigningKey.objects.create(
        lg_code=lg_code,
        private_key=crypto.encrypt(pem, context=_context(lg_code, fingerprint)),
        certificate_chain=chain_pem,
        source=source,
        created_by=actor or current_actor().name,
    )
    record(
        Action.CREATE,
        RESOURCE,
        detail={
            "source": source,
            "fingerprint": fingerprint,
            "subject": chain[0].subject.human_friendly,
            "not_after": chain[0]["tbs_certificate"]["validity"]["not_after"].native.isoformat(),
        },
    )
    return _material(row)


def _pem(cert: asn1_x509.Certificate) -> str:
    from asn1crypto import pem

    return pem.armor("CERTIFICATE", cert.dump()).decode()


def generate_key(*, actor: str | None = None) -> SigningMaterial:
    """A new ECDSA P-256 key and a self-signed certificate of the 市区町村長, 10 years.

    Key usage digitalSignature + nonRepudiation (contentCommitment): the usage ETSI EN 319 412-2
    §4.3.2 gives a certificate for electronic signatures. ``created_by`` is ``actor`` if given
    (a staff name), else the bound audit actor, who is also the audit row's actor.
    """
    lg_code = require_tenant().lg_code
    info = lookup(lg_code)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, info.prefecture),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, info.name),
            x509.NameAttribute(NameOID.COMMON_NAME, certifier_title(lg_code)),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, lg_code),
        ]
    )
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now.replace(year=now.year + VALIDITY_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    cert = builder.sign(key, hashes.SHA256())
    asn1_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    return _store(key, [asn1_cert], source="generated", actor=actor)


def import_key(key_pem: bytes, chain_pem: bytes, passphrase: bytes | None = None) -> SigningMaterial:
    """The municipality's own key and chain (signer's certificate first), e.g. from LGPKI.

    Refused, with the reason in Japanese: an unreadable key, a chain whose first certificate is
    not the key's, a certificate whose key usage does not allow signatures, an expired one.
    """
    try:
        key = serialization.load_pem_private_key(key_pem, password=passphrase or None)
    except TypeError:
        raise KeyRejected(
            "秘密鍵はパスフレーズで保護されています（--passphrase-stdin で指定してください）"
        ) from None
    except ValueError:
        try:
            key = serialization.load_der_private_key(key_pem, password=passphrase or None)
        except (TypeError, ValueError):
            raise KeyRejected(
                "秘密鍵を読み取れません（PEM または DER の PKCS#8 形式か、パスフレーズを確認してください）"
            ) from None
    if not isinstance(key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
        raise KeyRejected("秘密鍵は RSA または ECDSA の鍵を指定してください")
    chain = _parse_chain(chain_pem)
    leaf = x509.load_der_x509_certificate(chain[0].dump())
    if leaf.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise KeyRejected(
            "秘密鍵が証明書チェーンの最初の証明書と対応していません（署名者の証明書を先頭にしてください）"
        )
    usage = chain[0].key_usage_value
    if usage is not None and not ({"digital_signature", "non_repudiation"} & set(usage.native)):
        raise KeyRejected(
            "証明書の鍵用途（Key Usage）が署名（digitalSignature・nonRepudiation）を許していません"
        )
    if leaf.not_valid_after_utc <= dt.datetime.now(dt.UTC):
        raise KeyRejected(f"証明書の有効期限が切れています（{leaf.not_valid_after_utc:%Y-%m-%d}）")
    return _store(key, chain, source="imported")


def _lock_keys(lg_code: str) -> None:
    """Serialise the first issue of concurrent counters: one generated key, not two."""
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"certificates.signing_key:{lg_code}"])


def current_key() -> SigningMaterial:
    """The municipality's newest key, generated at the first call when it has none."""
    lg_code = require_tenant().lg_code
    row = SigningKey.objects.order_by("-created_at", "-pk").first()
    if row is None:
        _lock_keys(lg_code)
        row = SigningKey.objects.order_by("-created_at", "-pk").first()
        if row is None:
            return generate_key()
    return _material(row)


def trusted_chains() -> list[tuple[asn1_x509.Certificate, ...]]:
    """Every chain the municipality has signed with (newest first): the trust roots of verification."""
    return [
        tuple(_parse_chain(pem.encode()))
        for pem in SigningKey.objects.order_by("-created_at", "-pk").values_list(
            "certificate_chain", flat=True
        )
    ]


@dataclass(frozen=True)
class KeyInfo:
    """What ``yakuba certificate key list`` shows (never the key)."""

    created_at: dt.datetime
    source: str
    subject: str
    fingerprint: str
    not_after: dt.datetime


def list_keys() -> list[KeyInfo]:
    out = []
    for row in SigningKey.objects.order_by("-created_at", "-pk"):
        leaf = _parse_chain(row.certificate_chain.encode())[0]
        out.append(
            KeyInfo(
                row.created_at,
                row.source,
                leaf.subject.human_friendly,
                leaf.sha256.hex(),
                leaf["tbs_certificate"]["validity"]["not_after"].native,
            )
        )
    return out
