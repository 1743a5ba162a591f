"""A 後期高齢者医療保険料 from the contract's JSON in a few words."""

from __future__ import annotations

from yakuba.late_elderly_medical.services import KoukiIn, calculate_kouki

HOKKAIDO = {"per_capita": 52953, "income_rate": "11.79"}  # 令和6・7年度 (当別町)


def kouki(*household: dict, fiscal_year: int = 2025, rates: dict | None = None, **extra) -> dict:
    """``kouki({"public_pension_revenue": 2_000_000})``: 世帯主 first, born 1945 unless given."""
    people = [
        {"role": "世帯主" if i == 0 else "配偶者", "birth_date": "1945-05-01", **person}
        for i, person in enumerate(household)
    ]
    return calculate_kouki(
        KoukiIn.model_validate(
            {"fiscal_year": fiscal_year, "rates": rates or HOKKAIDO, "household": people, **extra}
        )
    )
