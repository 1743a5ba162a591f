"""The 児童扶養手当 app's door: what its API, screens and CLI — and other apps — call.

- ``calculate_support_allowance``: the monthly amounts of contract §9.6 (pure: no database).
- ``entitlement``: the 認定請求 (``check_claim`` / ``apply_claim``), each 支給年度's determination
  (``determine``), 消滅 (``end_by_notice``) and the 照会 (``person``).
"""

from yakuba.child_support_allowance.services import entitlement
from yakuba.child_support_allowance.services.calculation import (
    SupportAllowanceIn,
    SupportAllowanceOut,
    calculate_support_allowance,
)
from yakuba.child_support_allowance.services.entitlement import ClaimIn, FactsIn, Rejected
from yakuba.platform.calculations import CalculationRejected

__all__ = [
    "CalculationRejected",
    "ClaimIn",
    "FactsIn",
    "Rejected",
    "SupportAllowanceIn",
    "SupportAllowanceOut",
    "calculate_support_allowance",
    "entitlement",
]
