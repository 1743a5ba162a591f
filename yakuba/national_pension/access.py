"""What the 国民年金 app declares to the platform: its API scopes and who may use its screens.

The screens are the 保険年金 staff's (Role.INSURANCE, issue 16) — the 保険年金課 that keeps 国保,
後期, 介護 and 国民年金; other roles get 403 (住民記録システム標準仕様書 §10.3: 利用者ごとの機能制限).
"""

from __future__ import annotations

from yakuba.platform.identity import scopes
from yakuba.platform.identity.roles import Role

READ = "nenkin:read"
WRITE = "nenkin:write"

STAFF_ROLES = frozenset({Role.INSURANCE})


def declare() -> None:
    """Called once from ``NationalPensionConfig.ready``."""
    scopes.register(READ, "国民年金の届出・免除等申請の参照")
    scopes.register(WRITE, "国民年金の届出・免除等申請の登録")
