"""What the address master declares to the platform: its API scopes and who may use its screens.

The 住所辞書 holds no personal data: every clerk who records or reads addresses may look it up;
only an administrator changes it (a wrong 町字 would be accepted on every 住民票 afterwards).
"""

from __future__ import annotations

from yakuba.platform.identity import scopes
from yakuba.platform.identity.roles import Role

READ = "address:read"
WRITE = "address:write"

READ_ROLES = frozenset({Role.COUNTER, Role.TAX, Role.WELFARE, Role.INSURANCE, Role.ADMIN})
WRITE_ROLES = frozenset({Role.ADMIN})


def declare() -> None:
    """Called once from ``AddressConfig.ready``."""
    scopes.register(READ, "住所辞書の参照")
    scopes.register(WRITE, "住所辞書の更新")
