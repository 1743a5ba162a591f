"""What the 就学 app declares to the platform: the scope that reads the 学齢簿.

The roll names children, their birth dates and their guardians: personal data, so reading it
takes a scope of its own (not the registry's), and every roll made is one audit row
(docs/school_enrollment.md). A caller that also holds ``registry:protected`` sees the address of a
child under 支援措置; every other caller sees the child flagged, without the address.
"""

from __future__ import annotations

from yakuba.platform.identity import scopes
from yakuba.platform.identity.roles import Role

READ = "school_enrollment:read"
# The staff screens: the 福祉 role. The platform has no 教育委員会 (学務) role and adding one is a
# platform change; the 就学 work sits beside the other child apps (児童手当, 保育), whose staff
# hold ``welfare`` (docs/school_enrollment.md, "Screens").
STAFF_ROLES = frozenset({Role.WELFARE})
# The 通学区域 is set by the 管理者 (it is the town's rule, not a child's record).
DISTRICT_ROLES = frozenset({Role.ADMIN})


def declare() -> None:
    """Called once from ``SchoolEnrollmentConfig.ready``."""
    scopes.register(READ, "学齢簿（就学予定者の名簿）の参照")
