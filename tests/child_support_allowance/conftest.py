"""A 児童扶養手当 calculation from the contract's JSON in a few words."""

from __future__ import annotations

from yakuba.child_support_allowance.services import SupportAllowanceIn, calculate_support_allowance


def allowance(month: str = "2025-04", children: int = 1, dependants: int = 1, **income) -> dict:
    """``allowance("2025-04", 2, 2, other_income=1_000_000)``: a mother's claim."""
    body = {
        "month": month,
        "children": children,
        "dependants": dependants,
        "income": income,
        "claimant": "mother",
    }
    return calculate_support_allowance(SupportAllowanceIn.model_validate(body))
