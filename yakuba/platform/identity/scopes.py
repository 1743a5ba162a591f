"""API scopes and network zones of client applications.

Scopes are per domain and action (docs/reference/contract.md#scopes); 個人番号 needs its own scope *and*
a client in the 個人番号利用事務系 zone (三層の対策, 総務省 情報セキュリティポリシーガイドライン).
New domains add their scopes to ``SCOPES``.
"""

from __future__ import annotations

from django.db import models


class Zone(models.TextChoices):
    MYNUMBER = "mynumber", "個人番号利用事務系"
    LGWAN = "lgwan", "LGWAN接続系"


SCOPES: dict[str, str] = {
    "municipality:read": "団体情報の参照",
    "registry:read": "住民記録の参照",
    "registry:write": "住民記録の異動",
    "registry:mynumber": "個人番号の参照（個人番号利用事務系のみ）",
    "registry:protection": "支援措置の設定・延長・終了",
    "registry:protected": "支援措置の対象者の参照・異動・イベント受信",
    "certificates:issue": "証明書の発行",
    "events:read": "庁内連携イベントの取得",
    "audit:read": "アクセスログの参照",
}

# Scopes that only a client in the mynumber zone may hold.
MYNUMBER_ONLY = frozenset({"registry:mynumber"})


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
    if zone != Zone.MYNUMBER and MYNUMBER_ONLY & set(cleaned):
        raise ScopeError(
            "registry:mynumber は個人番号利用事務系（--zone mynumber）のクライアントにだけ付与できます"
        )
    return cleaned
