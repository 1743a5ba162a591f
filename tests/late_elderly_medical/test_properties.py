"""Properties of the 後期高齢者医療保険料 over generated 世帯 of every supported 年度: more income
never lowers anyone's premium, the limit and the truncation always hold, and no 軽減 raises a
premium."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.late_elderly_medical.conftest import kouki

THRESHOLDS = {
    "base": 430000,
    "per_extra_earner": 100000,
    "half_per_member": 305000,
    "twenty_pct_per_member": 560000,
}
NO_REDUCTION = {"base": 0, "per_extra_earner": 0, "half_per_member": 0, "twenty_pct_per_member": 0}


@st.composite
def households(draw) -> dict:
    year = draw(st.integers(2023, 2026))
    person = st.fixed_dictionaries(
        {
            "birth_date": st.sampled_from(["1940-06-01", "1948-12-31", "1949-04-02", "1955-03-01"]),
            "public_pension_revenue": st.integers(0, 12_000_000),
            "salary_revenue": st.sampled_from([0, 500_000, 1_000_000, 3_000_000]),
            "other_income": st.sampled_from([0, 200_000, 2_000_000, 30_000_000]),
            "former_dependant": st.sampled_from([None, None, "first_two_years", "later"]),
            "disability_certified": st.booleans(),
        }
    )
    people = draw(st.lists(person, min_size=1, max_size=3))
    rates = {
        "per_capita": draw(st.integers(30_000, 70_000)),
        "income_rate": str(draw(st.decimals("5", "13", places=2))),
        "rounding": draw(st.sampled_from([1, 10, 100])),
    }
    if year == 2024:
        rates["low_income_rate"] = str(draw(st.decimals("4", "9", places=2)))
    if year == 2026:
        rates["child_support"] = {"per_capita": 3000, "income_rate": "0.3"}
    head = {"member": draw(st.booleans()), "birth_date": "1960-01-01"} if draw(st.booleans()) else None
    return {"year": year, "rates": rates, "people": people, "head": head}


def _run(h: dict, people=None, thresholds=None) -> dict:
    people = people if people is not None else h["people"]
    household = ([h["head"]] if h["head"] and not h["head"]["member"] else []) + people
    extra = {"reduction_thresholds": thresholds or THRESHOLDS} if h["year"] == 2026 or thresholds else {}
    return kouki(*household, fiscal_year=h["year"], rates=h["rates"], **extra)


def _premiums(out: dict) -> list[int]:
    return [m["annual_premium"] for m in out["members"]]


@settings(max_examples=120, deadline=None)
@given(households(), st.data())
def test_more_income_never_lowers_a_premium(h, data):
    i = data.draw(st.integers(0, len(h["people"]) - 1))
    more = data.draw(st.integers(1, 3_000_000))
    richer = [dict(p) for p in h["people"]]
    richer[i]["public_pension_revenue"] += more
    before, after = _premiums(_run(h)), _premiums(_run(h, richer))
    assert all(a >= b for a, b in zip(after, before, strict=True)), (before, after)


@settings(max_examples=120, deadline=None)
@given(households())
def test_the_limit_and_the_truncation_hold(h):
    out = _run(h)
    unit = h["rates"]["rounding"]
    limit = {2023: 660_000, 2024: 800_000, 2025: 800_000, 2026: 850_000 + 21_000}[h["year"]]
    for member in out["members"]:
        assert member["annual_premium"] % unit == 0
        assert 0 <= member["annual_premium"] <= limit
        assert member["per_capita_levy"] <= h["rates"]["per_capita"]


@settings(max_examples=120, deadline=None)
@given(households())
def test_a_reduction_never_raises_a_premium(h):
    reduced = _premiums(_run(h))
    plain = _premiums(
        _run(h, [{**p, "former_dependant": None} for p in h["people"]], thresholds=NO_REDUCTION)
    )
    assert all(r <= p for r, p in zip(reduced, plain, strict=True)), (reduced, plain)
