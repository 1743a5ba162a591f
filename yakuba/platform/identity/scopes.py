"""API scopes and network zones of client applications.

Scopes are per domain and action (docs/reference/contract.md#scopes); 個人番号 needs its own scope *and*
a client in the 個人番号利用事務系 zone (三層の対策, 総務省 情報セキュリティポリシーガイドライン).
Domains declare their scopes with ``register`` (from their AppConfig.ready); the platform names
none of them.
"""

from __future__ import annotations

from django.db import models


class Zone(models.TextChoices):
    MYNUMBER = "mynumber", "個人番号利用事務系"
    LGWAN = "lgwan", "LGWAN接続系"


# The platform's own scopes; each domain adds its own with ``register`` from its AppConfig.ready.
SCOPES: dict[str, str] = {
    "municipality:read": "団体情報の参照",
    "events:read": "庁内連携イベントの取得",
    "audit:read": "アクセスログの参照",
}

# Scopes that unlock 個人番号: only a client in the mynumber zone may hold one (三層の対策).
MYNUMBER_ONLY: set[str] = set()


def register(scope: str, description: str, *, mynumber: bool = False) -> str:
    """Declare a domain's scope (``<area>:<action>``); ``mynumber``: it unlocks 個人番号."""
    if SCOPES.get(scope, description) != description:
        raise ValueError(f"scope {scope} declared twice with different descriptions")
    SCOPES[scope] = description
    if mynumber:
        MYNUMBER_ONLY.add(scope)
    return scope


class ScopeError(ValueError):
    """Unknown scope or a scope not allowed in the client's zone."""


def validate_scopes(scopes: list[str], zone: str) -> list[str]:
    if zone not in Zone.values:
        raise ScopeError(f"ゾーンは {' / '.join(Zone.values)} のいずれかです: {zone!r}")
    cleaned = sorted({s.strip() for s in scopes if s.strip()})
    if not cleaned:
        raise ScopeError("スコープを1つ以上指定してください")
    unknown = [s for s in cleaned if s not in SCOPES]
    if unknown:
        raise ScopeError(f"不明なスコープです: {', '.join(unknown)}（使えるもの: {', '.join(SCOPES)}）")
    unlocking = sorted(MYNUMBER_ONLY & set(cleaned))
    if zone != Zone.MYNUMBER and unlocking:
        raise ScopeError(
            f"{', '.join(unlocking)} は個人番号利用事務系（--zone mynumber）のクライアントにだけ付与できます"
        )
    return cleaned
