"""A 介護保険料 (第1号被保険者) from the contract's JSON in a few words."""

from __future__ import annotations

from yakuba.long_term_care.services import KaigoIn, calculate_kaigo

NON_TAXED = {"household_taxed": False, "taxed": False}
HOUSEHOLD_TAXED = {"household_taxed": True, "taxed": False}
TAXED = {"household_taxed": True, "taxed": True}


def kaigo(status: dict, fiscal_year: int = 2024, base_amount: int = 72000, **extra) -> dict:
    """``kaigo({**TAXED, "other_income": 3_000_000})``: 70 years old unless given."""
    person = {"age": 70, **status, **extra.pop("person", {})}
    return calculate_kaigo(
        KaigoIn.model_validate(
            {"fiscal_year": fiscal_year, "base_amount": base_amount, "person": person, **extra}
        )
    )
