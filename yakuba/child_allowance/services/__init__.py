"""The 児童手当 app's door: what its API and CLI — and other apps — call.

- ``calculate_allowance``: the month's 児童手当 of each child and in total (contract §9.5;
  pure: no database).
"""

from yakuba.child_allowance.services.calculation import AllowanceIn, AllowanceOut, calculate_allowance
from yakuba.platform.calculations import CalculationRejected

__all__ = ["AllowanceIn", "AllowanceOut", "CalculationRejected", "calculate_allowance"]
