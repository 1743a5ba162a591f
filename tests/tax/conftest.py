"""Helpers for the 個人住民税 tests: a calculation from the contract's JSON in a few words."""

from __future__ import annotations

from yakuba.tax.services import ResidentTaxIn, calculate_resident_tax


def tax(fiscal_year: int = 2026, birth_date: str = "1980-04-01", **parts) -> dict:
    """The contract's output for one taxpayer: ``tax(2025, incomes={"salary": 5_000_000})``."""
    taxpayer = {"birth_date": birth_date, **parts.pop("taxpayer", {})}
    return calculate_resident_tax(
        ResidentTaxIn.model_validate({"fiscal_year": fiscal_year, "taxpayer": taxpayer, **parts})
    )
