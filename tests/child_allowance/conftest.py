"""A 児童手当 month from the contract's JSON in a few words."""

from __future__ import annotations

from yakuba.child_allowance.services import AllowanceIn, calculate_allowance


def allowance(month: str, *children: dict | str) -> dict:
    """``allowance("2025-02", "2010-03-03", {"birth_date": "2005-01-10", "parent_bears_costs": True})``."""
    given = [c if isinstance(c, dict) else {"birth_date": c} for c in children]
    return calculate_allowance(AllowanceIn.model_validate({"month": month, "children": given}))


def monthly(month: str, *children: dict | str) -> list[int]:
    return [c["monthly"] for c in allowance(month, *children)["children"]]
