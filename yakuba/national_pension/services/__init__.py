"""The 国民年金 app's door: what its API and CLI — and other apps — call.

- ``judge_exemption``: the 免除・納付猶予・学生納付特例 judgement of contract §9.4.2 (pure: no
  database).
"""

from yakuba.national_pension.services.calculation import ExemptionIn, ExemptionOut, judge_exemption
from yakuba.platform.calculations import CalculationRejected

__all__ = ["CalculationRejected", "ExemptionIn", "ExemptionOut", "judge_exemption"]
