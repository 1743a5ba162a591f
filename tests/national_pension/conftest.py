"""A 国民年金保険料 免除 judgement from the contract's JSON in a few words."""

from __future__ import annotations

from yakuba.national_pension.services import ExemptionIn, judge_exemption

BIRTH = "1985-10-10"


def exempt(fiscal_year: int = 2025, applicant: dict | None = None, **extra) -> dict:
    """``exempt(2025, {"other_income": 670_000})``: an applicant born 1985-10-10 unless given."""
    person = {"birth_date": BIRTH, **(applicant or {})}
    return judge_exemption(
        ExemptionIn.model_validate({"fiscal_year": fiscal_year, "applicant": person, **extra})
    )
