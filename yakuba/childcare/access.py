"""What the 保育 app declares to the platform: its API scopes and who may use its screens.

The 認定, 申込, 利用調整 and 利用者負担 name children and their parents' 事由 and 所得: reading
them takes ``childcare:read``, recording them ``childcare:write``. The screens are the 福祉
staff's (Role.WELFARE: the 子ども・子育て支援 is a 福祉 事務); other roles get 403.
"""

from __future__ import annotations

from yakuba.platform.identity import scopes
from yakuba.platform.identity.roles import Role

READ = "childcare:read"
WRITE = "childcare:write"

STAFF_ROLES = frozenset({Role.WELFARE})


def declare() -> None:
    """Called once from ``ChildcareConfig.ready``."""
    scopes.register(READ, "保育の支給認定・利用申込・利用調整・利用者負担の参照")
    scopes.register(WRITE, "保育の支給認定・利用申込・利用調整・利用者負担の登録")
