"""What the 印鑑登録 app declares to the platform: its scopes and the staff who work it.

A registration names a person and holds the image of their seal: personal data of the most
sensitive kind for fraud, so reading it takes a scope of its own and writing another
(docs/seal_registration.md, "API"); every view of a seal image is an audit row of its own.
"""

from __future__ import annotations

from yakuba.platform.identity import scopes
from yakuba.platform.identity.roles import Role

READ = "seal_registration:read"
WRITE = "seal_registration:write"
# 印鑑登録 is 市民課 counter work (印鑑条例): the 窓口 role registers, ends and certifies.
STAFF_ROLES = frozenset({Role.COUNTER})
# The 条例 settings are the town's rules, set by the 管理者.
ORDINANCE_ROLES = frozenset({Role.ADMIN})


def declare() -> None:
    """Called once from ``SealRegistrationConfig.ready``."""
    scopes.register(READ, "印鑑登録の参照")
    scopes.register(WRITE, "印鑑登録の登録・廃止")
