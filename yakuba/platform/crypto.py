"""Application-level authenticated encryption with key rotation, and keyed lookup hashes.

Used for data that must be readable by the application but never in clear in the database or
its backups: 個人番号 (番号法 第12条 安全管理措置), webhook signing secrets. AES-256-GCM with
the row's identity as associated data, so a ciphertext copied to another row does not decrypt.

Keys come from ``YAKUBA_DATA_KEYS``: ``kid:base64key`` pairs separated by commas, the first
being the current key for new ciphertexts; older keys stay listed until ``rotate`` has rewritten
everything. Without it (development) a key is derived from the Django ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1"


class CryptoError(ValueError):
    """A ciphertext that cannot be decrypted (unknown key, tampered data, wrong row)."""


@functools.cache
def _keyring() -> tuple[str, dict[str, bytes]]:
    spec = os.environ.get("YAKUBA_DATA_KEYS", "").strip()
    keys: dict[str, bytes] = {}
    order: list[str] = []
    if spec:
        for item in spec.split(","):
            kid, _, b64 = item.strip().partition(":")
            key = base64.b64decode(b64)
            if not kid.isalnum() or len(key) != 32:
                raise CryptoError("YAKUBA_DATA_KEYS は kid:base64(32バイト) のカンマ区切りです")
            keys[kid] = key
            order.append(kid)
    else:
        from django.conf import settings

        keys["dev"] = hashlib.sha256(b"yakuba-data-key:" + settings.SECRET_KEY.encode()).digest()
        order.append("dev")
    return order[0], keys


@functools.cache
def _cipher(kid: str) -> AESGCM:
    # One cipher object per key: building it per value dominated bulk loads of 個人番号.
    return AESGCM(_keyring()[1][kid])


@functools.cache
def _lookup_secret(env_key: str | None) -> bytes:
    if env_key:
        return base64.b64decode(env_key)
    from django.conf import settings

    return hashlib.sha256(b"yakuba-lookup-key:" + settings.SECRET_KEY.encode()).digest()


def reset_keyring() -> None:
    """Forget cached keys (after changing ``YAKUBA_DATA_KEYS``; used by tests)."""
    _keyring.cache_clear()
    _cipher.cache_clear()
    _lookup_secret.cache_clear()


def _b64encode(raw: bytes) -> str:
    # base64url as base64.urlsafe_b64encode writes it, at a third of its cost (bulk loads).
    return binascii.b2a_base64(raw, newline=False).decode().replace("+", "-").replace("/", "_")


def _b64decode(text: str) -> bytes:
    return binascii.a2b_base64(text.replace("-", "+").replace("_", "/"), strict_mode=True)


def current_key_id() -> str:
    return _keyring()[0]


def encrypt(plaintext: str, *, context: str) -> str:
    """``v1:kid:nonce:ciphertext`` (base64url), bound to ``context`` (e.g. ``"072028/resident/123"``)."""
    kid = _keyring()[0]
    nonce = os.urandom(12)
    ct = _cipher(kid).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{VERSION}:{kid}:{_b64encode(nonce)}:{_b64encode(ct)}"


def decrypt(token: str, *, context: str) -> str:
    try:
        version, kid, nonce, ct = token.split(":")
    except ValueError:
        raise CryptoError("暗号文の形式が不正です") from None
    keys = _keyring()[1]
    if version != VERSION or kid not in keys:
        raise CryptoError(f"鍵 {kid} がありません（YAKUBA_DATA_KEYS を確認してください）")
    try:
        plain = _cipher(kid).decrypt(_b64decode(nonce), _b64decode(ct), context.encode())
    except Exception as exc:  # InvalidTag, binascii.Error
        raise CryptoError("暗号文を復号できません（改ざんまたは別の行の値）") from exc
    return plain.decode()


def needs_rotation(token: str) -> bool:
    """True when ``token`` was made with a key other than the current one."""
    parts = token.split(":")
    return len(parts) != 4 or parts[1] != current_key_id()


def lookup_hash(value: str, *, purpose: str) -> str:
    """Keyed hash for exact-match lookup of an encrypted value (HMAC-SHA256, hex).

    The key (``YAKUBA_LOOKUP_KEY``, base64; derived from ``SECRET_KEY`` in development) is
    separate from the encryption keys: changing it means re-hashing every row, so it is rotated
    on its own schedule, while encryption keys rotate freely.
    """
    secret = _lookup_secret(os.environ.get("YAKUBA_LOOKUP_KEY"))
    # hmac.digest: the one-shot C path, a fifth of hmac.new(...).hexdigest() (bulk loads).
    return hmac.digest(secret, f"{purpose}:{value}".encode(), "sha256").hex()
