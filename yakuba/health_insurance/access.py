"""Who may use the 国民健康保険 screens.

国保 資格 and the 保険税 are the 保険年金課's work (Role.INSURANCE): tax information is secret
(地方税法 §22, the 国民健康保険税 is a 地方税) and the 保険者's staff keep what they learn to
themselves (国民健康保険法 §120の2). Other roles — 窓口 included — get 403. The annual jobs
(本算定, 資格 follow, 75歳到達) run from the CLI as the system, started by a 管理者.

The 税率 of a 年度 are the municipality's 条例 (no person in them): the 管理者 registers each new
version, the 保険年金 staff read them beside the 保険税 they explain.
"""

from __future__ import annotations

from yakuba.platform.identity.roles import Role

STAFF_ROLES = frozenset({Role.INSURANCE})
RATES_READ_ROLES = frozenset({Role.INSURANCE, Role.ADMIN})
RATES_WRITE_ROLES = frozenset({Role.ADMIN})
