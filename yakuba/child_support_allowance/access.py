"""Who may use the 児童扶養手当 screens and API.

児童扶養手当 is the 福祉 staff's work (Role.WELFARE: こども家庭・福祉事務所 — 児童扶養手当法 §4,
facts §7); its records carry 所得 (地方税法 §22 secrets lent for the 所得制限) and family
situations. Other roles get 403. The API's scopes are ``child_support_allowance:read`` (照会)
and ``child_support_allowance:write`` (認定請求・現況届); ``child_support_allowance:amounts`` registers a
年度's 手当額 from the 告示 (the 管理者's, services/amounts.py).
"""

from __future__ import annotations

from yakuba.platform.identity import scopes
from yakuba.platform.identity.roles import Role

STAFF_ROLES = frozenset({Role.WELFARE})


READ = scopes.register("child_support_allowance:read", "児童扶養手当の認定・支給の決定の参照")
WRITE = scopes.register("child_support_allowance:write", "児童扶養手当の認定請求・現況届の登録")
AMOUNTS = scopes.register(
    "child_support_allowance:amounts", "児童扶養手当の年度の手当額・係数・所得制限限度額の登録（告示から）"
)
