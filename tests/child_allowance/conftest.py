"""A 児童手当 month from the contract's JSON in a few words."""

from __future__ import annotations

from yakuba.child_allowance.services import AllowanceIn, calculate_allowance


def allowance(month: str, *children: dict | str) -> dict:
    """``allowance("2025-02", "2010-03-03", {"birth_date": "2005-01-10", "parent_bears_costs": True})``."""
    given = [c if isinstance(c, dict) else {"birth_date": c} for c in children]
    return calculate_allowance(AllowanceIn.model_validate({"month": month, "children": given}))


def monthly(month: str, *children: dict | str) -> list[int]:
    return [c["monthly"] for c in allowance(month, *children)["children"]]


# The 口座 of every 認定請求 in the 受給 tests (全銀: bank 4, branch 3, 普通, 7 digits, カナ).
ACCOUNT = {
    "bank_code": "0001",
    "branch_code": "123",
    "account_type": "1",
    "account_number": "1234567",
    "account_holder_kana": "テアテ イチロウ",
}


def claim_body(claimant: str, claimed_on, **extra) -> dict:
    """A 認定請求 of ``claimant`` on ``claimed_on`` with the household's choice (no 所得 known)."""
    return {
        "claimant_atena_no": claimant,
        "claimed_on": str(claimed_on),
        "household_choice": True,
        **ACCOUNT,
        **extra,
    }
