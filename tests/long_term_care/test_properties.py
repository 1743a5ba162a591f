"""Properties of the 介護保険料 段階 over generated persons of every supported 年度: more income
never lowers the 段階, the premium or the 利用者負担割合; a 課税 status never lowers them either;
the rounding always holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.long_term_care.conftest import HOUSEHOLD_TAXED, NON_TAXED, TAXED, kaigo

STATUSES = [NON_TAXED, HOUSEHOLD_TAXED, TAXED]
ROUNDINGS = [{}, {"unit": 10}, {"unit": 100}, {"unit": 1, "mode": "up", "per": "month"}]


@st.composite
def persons(draw) -> dict:
    return {
        "year": draw(st.integers(2024, 2026)),
        "base": draw(st.integers(3_000, 12_000)) * 12,
        "rounding": draw(st.sampled_from(ROUNDINGS)),
        "status": draw(st.integers(0, 2)),
        "income": {
            "public_pension_revenue": draw(st.integers(0, 8_000_000)),
            "salary_revenue": draw(st.sampled_from([0, 600_000, 1_500_000, 4_000_000])),
            "other_income": draw(st.integers(0, 9_000_000)),
        },
    }


def _run(p: dict, status: int | None = None, **more) -> dict:
    income = {k: v + more.get(k, 0) for k, v in p["income"].items()}
    status = STATUSES[p["status"] if status is None else status]
    return kaigo({**status, **income}, p["year"], base_amount=p["base"], rounding=p["rounding"])


SHARES = ["1割", "2割", "3割"]


@settings(max_examples=150, deadline=None)
@given(
    persons(),
    st.sampled_from(["public_pension_revenue", "salary_revenue", "other_income"]),
    st.integers(1, 3_000_000),
)
def test_more_income_never_lowers_the_stage_the_premium_or_the_copay(p, kind, more):
    before, after = _run(p), _run(p, **{kind: more})
    assert after["stage"] >= before["stage"] and after["annual_premium"] >= before["annual_premium"]
    assert SHARES.index(after["copay"]["share"]) >= SHARES.index(before["copay"]["share"])


@settings(max_examples=150, deadline=None)
@given(persons())
def test_a_taxed_status_never_lowers_the_stage(p):
    out = [_run(p, status) for status in range(3)]
    assert [o["stage"] for o in out] == sorted(o["stage"] for o in out)
    assert [o["annual_premium"] for o in out] == sorted(o["annual_premium"] for o in out)


@settings(max_examples=150, deadline=None)
@given(persons())
def test_the_rounding_holds(p):
    out = _run(p)
    unit = p["rounding"].get("unit", 1)
    if p["rounding"].get("per") == "month":
        assert out["annual_premium"] % 12 == 0
    else:
        assert out["annual_premium"] % unit == 0
        assert out["annual_premium"] <= p["base"] * 2.4
    assert 1 <= out["stage"] <= 13
