"""The 後期高齢者医療 app's door: what its API and CLI — and other apps — call.

- ``calculate_kouki``: the pure 後期高齢者医療保険料 calculation of contract §9.4 (no database).
"""

from yakuba.late_elderly_medical.services.calculation import KoukiIn, KoukiOut, calculate_kouki
from yakuba.platform.calculations import CalculationRejected

__all__ = ["CalculationRejected", "KoukiIn", "KoukiOut", "calculate_kouki"]
