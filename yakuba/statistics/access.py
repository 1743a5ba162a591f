"""What the statistics app declares to the platform: its API scope and who may open its screens.

Its tables are counts, never persons; but a 町字 with one resident still says where someone lives,
so reading them takes a scope of its own, and every report is audited (docs/statistics.md).

Screens [decision]: the roles whose work is the residents — 窓口 (the 住民記録 section makes the
住基年報), 税務 and 福祉 (they plan with the figures) and 管理者 — see the dashboard; 監査 reads the
logs, not the registry, and does not. Every figure there is as small as a 町字 (unprotected, unlike
the open data), and each view is an audit row, so who looked at which day is known.
"""

from __future__ import annotations

from yakuba.platform.identity import scopes
from yakuba.platform.identity.roles import Role

READ = "statistics:read"
STAFF_ROLES = frozenset({Role.COUNTER, Role.TAX, Role.WELFARE, Role.INSURANCE, Role.ADMIN})


def declare() -> None:
    """Called once from ``StatisticsConfig.ready``."""
    scopes.register(READ, "人口・世帯数・人口動態の統計表の参照")
