"""The 国民健康保険 app's door: what its API and CLI — and other apps — call.

- ``calculate_kokuho``: the pure 国民健康保険税/料 calculation of contract §9.3 (no database).
"""

from yakuba.health_insurance.services.calculation import (
    CalculationRejected,
    KokuhoIn,
    KokuhoOut,
    calculate_kokuho,
)

__all__ = ["CalculationRejected", "KokuhoIn", "KokuhoOut", "calculate_kokuho"]
