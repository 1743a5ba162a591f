"""What the tax app declares to the platform: its API scopes and who may use its screens.

Tax information is secret (地方税法 §22): only 税務 staff see it; 管理者 run the annual jobs.
"""

from __future__ import annotations

from yakuba.platform.identity import scopes
from yakuba.platform.identity.roles import Role

READ = "tax:read"
WRITE = "tax:write"

STAFF_ROLES = frozenset({Role.TAX})
# Who may enter a 申告, recalculate and match 課税資料 on the screens (what ``tax:write`` is to an
# API client): 税務 staff.
WRITE_ROLES = frozenset({Role.TAX})
RUN_ROLES = frozenset({Role.TAX, Role.ADMIN})


def declare() -> None:
    """Called once from ``TaxConfig.ready``."""
    scopes.register(READ, "個人住民税の課税情報の参照")
    scopes.register(WRITE, "個人住民税の課税資料の登録・更正")
