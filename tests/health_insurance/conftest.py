"""Helpers for the 国民健康保険税 tests: a calculation from the contract's JSON in a few words."""

from __future__ import annotations

from yakuba.health_insurance.services import KokuhoIn, calculate_kokuho

RATES = {
    "medical": {"income_rate": "7.0", "per_capita": 30000, "per_household": 20000},
    "support": {"income_rate": "2.5", "per_capita": 10000, "per_household": 6000},
    "care": {"income_rate": "2.0", "per_capita": 12000, "per_household": 5000},
}
CHILD_REARING = {"income_rate": "0.3", "per_capita": 1800, "per_household": 0, "adult_per_capita": 100}
THRESHOLDS_R8 = {"half_per_member": 305000, "twenty_pct_per_member": 560000}


def kokuho(household: list[dict], fiscal_year: int = 2025, *, explain: bool = True, **extra) -> dict:
    """The contract's output for one 世帯: ``kokuho([{"role": "世帯主", "age": 45}])``."""
    body = {"fiscal_year": fiscal_year, "rates": extra.pop("rates", RATES), "household": household, **extra}
    if fiscal_year >= 2026:
        body["rates"] = {"child_rearing": CHILD_REARING, **body["rates"]}
        body.setdefault("reduction_thresholds", THRESHOLDS_R8)
    return calculate_kokuho(KokuhoIn.model_validate(body), explain=explain)
