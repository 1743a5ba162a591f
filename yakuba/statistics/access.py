"""What the statistics app declares to the platform: its API scope.

Its tables are counts, never persons; but a 町字 with one resident still says where someone lives,
so reading them takes a scope of its own, and every report is audited (docs/statistics.md).
"""

from __future__ import annotations

from yakuba.platform.identity import scopes

READ = "statistics:read"


def declare() -> None:
    """Called once from ``StatisticsConfig.ready``."""
    scopes.register(READ, "人口・世帯数・人口動態の統計表の参照")
