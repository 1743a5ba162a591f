"""What the 戸籍 app declares to the platform: its scopes and the staff who work it.

A 戸籍 holds a person's whole civil status (parents, marriages, deaths): reading it takes a
scope of its own, filing a 届出 another (docs/koseki.md). 戸籍 work is done by the 市民課's
戸籍係 (the 戸籍 role): the 届出, the 振り仮名, the 戸籍照会. Its certificates are handed over at
the same counter as the 住民票, so the 窓口 issues them too (``ISSUE_ROLES``).
"""

from __future__ import annotations

from yakuba.platform.identity import scopes
from yakuba.platform.identity.roles import Role

READ = "koseki:read"
WRITE = "koseki:write"
STAFF_ROLES = frozenset({Role.KOSEKI})
ISSUE_ROLES = frozenset({Role.KOSEKI, Role.COUNTER})


def declare() -> None:
    """Called once from ``KosekiConfig.ready``."""
    scopes.register(READ, "戸籍の参照")
    scopes.register(WRITE, "戸籍の届出の受理・不受理")
