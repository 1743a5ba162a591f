"""What the 在外選挙人名簿 app declares to the platform: its scopes and the staff who keep it.

The 在外選挙人名簿 names voters living abroad with their 国外の住所: personal data, read and
written under scopes of its own; its 事務 is the 市町村選挙管理委員会's (公職選挙法30条の2), the
same staff as the 選挙人名簿 (``Role.ELECTION``).
"""

from __future__ import annotations

from yakuba.platform.identity import scopes
from yakuba.platform.identity.roles import Role

READ = "overseas_electors:read"
WRITE = "overseas_electors:write"
STAFF_ROLES = frozenset({Role.ELECTION})


def declare() -> None:
    """Called once from ``OverseasElectorsConfig.ready``."""
    scopes.register(READ, "在外選挙人名簿の参照")
    scopes.register(WRITE, "在外選挙人名簿の登録申請・登録・抹消")
