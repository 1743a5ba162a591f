"""The tax app's door: what its API, screens, CLI and jobs — and other apps — call.

``calculate_resident_tax`` is the pure 個人住民税 calculation of contract §9.2 (no database).
"""

from yakuba.tax.services.calculation import (
    CalculationRejected,
    ResidentTaxIn,
    ResidentTaxOut,
    calculate_resident_tax,
)

__all__ = ["CalculationRejected", "ResidentTaxIn", "ResidentTaxOut", "calculate_resident_tax"]
