"""What the 選挙人名簿 app declares to the platform: the scope that reads the roll.

The roll names voters by 宛名番号 with their registration and 転出 dates: personal data, so
reading it takes a scope of its own (contract §4 "Elections": ``elections:read``), and every roll
made or read is one audit row (docs/elections.md).
"""

from __future__ import annotations

from yakuba.platform.identity import scopes
from yakuba.platform.identity.roles import Role

READ = "elections:read"
# The 選挙管理委員会's 事務局 keeps the roll, its 抄本 and 閲覧 (公職選挙法19条〜30条).
STAFF_ROLES = frozenset({Role.ELECTION})


def declare() -> None:
    """Called once from ``ElectionsConfig.ready``."""
    scopes.register(READ, "選挙人名簿の参照")
