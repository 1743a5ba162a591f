"""The 児童扶養手当 app's door: what its API, screens and CLI — and other apps — call.

- ``calculate_support_allowance``: the monthly amounts of contract §9.6 (pure: no database).
- ``entitlement``: the 認定請求 (``check_claim`` / ``apply_claim``), each 支給年度's determination
  (``determine``); ``children``: an 額改定請求 (``add_child``); ``ending``: 消滅 (``end_by_notice``);
  ``lookup``: the 照会 (``person``).
- ``status_report``: the August 現況届 (``open_reports``: a resumable batch; ``record_report``;
  ``outstanding``: the 未提出 work list).
- ``follow``: 消滅 from the registry's events (転出・死亡・職権消除 of the 受給者).
- ``payments``: the odd-month 支払 (``pay``, ``save_transfer_file``) through the platform's runs.
- ``amounts``: a 年度's 手当額 registered by the 管理者 from the 告示 when the packaged data lacks
  it (``set_amounts``, ``history``; versions, never rewritten).
"""

from yakuba.child_support_allowance.services import (
    amounts,
    ending,
    entitlement,
    lookup,
    payments,
    status_report,
)
from yakuba.child_support_allowance.services.calculation import (
    SupportAllowanceIn,
    SupportAllowanceOut,
    calculate_support_allowance,
)
from yakuba.child_support_allowance.services.children import ChildIn
from yakuba.child_support_allowance.services.entitlement import ClaimIn, FactsIn, Rejected
from yakuba.child_support_allowance.services.follow import follow
from yakuba.platform.calculations import CalculationRejected

__all__ = [
    "CalculationRejected",
    "ChildIn",
    "ClaimIn",
    "FactsIn",
    "Rejected",
    "SupportAllowanceIn",
    "SupportAllowanceOut",
    "amounts",
    "calculate_support_allowance",
    "children",
    "ending",
    "entitlement",
    "follow",
    "lookup",
    "payments",
    "status_report",
]
