"""The 保育 app's door: what its API, screens and CLI — and other apps — call.

- ``calculate_fee``: the 利用者負担 of one child's month (contract "保育 利用者負担 calculation
  JSON"; pure: no database);
- ``records``: 施設 and 定員, 支給認定 (``check_certification`` / ``apply_certification``),
  利用申込 (``check_application`` / ``apply_application``), the 利用調整 (``run_allocation``,
  ``allocation_run``), the 利用者負担 決定 (``decide_fee``) and a child's records (``child_records``).
"""

from yakuba.childcare.services import records
from yakuba.childcare.services.calculation import FeeIn, FeeOut, calculate_fee
from yakuba.platform.calculations import CalculationRejected

__all__ = ["CalculationRejected", "FeeIn", "FeeOut", "calculate_fee", "records"]
