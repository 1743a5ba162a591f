"""The 児童扶養手当 app's door: what its API and CLI — and other apps — call.

- ``calculate_support_allowance``: the monthly amounts of contract §9.6 (pure: no database).
"""

from yakuba.child_support_allowance.services.calculation import (
    SupportAllowanceIn,
    SupportAllowanceOut,
    calculate_support_allowance,
)
from yakuba.platform.calculations import CalculationRejected

__all__ = ["CalculationRejected", "SupportAllowanceIn", "SupportAllowanceOut", "calculate_support_allowance"]
