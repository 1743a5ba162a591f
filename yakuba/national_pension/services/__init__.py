"""The 国民年金 app's door: what its API and CLI — and other apps — call.

- ``judge_exemption``: the 免除・納付猶予・学生納付特例 judgement of contract §9.4.2 (pure: no
  database);
- ``entrants_on`` / ``entrants_csv``: the residents who reach 20 on a day (資格取得 届出 data).
"""

from yakuba.national_pension.services.calculation import ExemptionIn, ExemptionOut, judge_exemption
from yakuba.national_pension.services.entry import Entrant, entrants_csv, entrants_on
from yakuba.platform.calculations import CalculationRejected

__all__ = [
    "CalculationRejected",
    "Entrant",
    "ExemptionIn",
    "ExemptionOut",
    "entrants_csv",
    "entrants_on",
    "judge_exemption",
]
