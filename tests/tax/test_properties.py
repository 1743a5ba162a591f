"""Properties of the 個人住民税 engine over generated taxpayers of every supported 年度: more income
never lowers the tax, a larger deduction never raises it, the truncations hold (課税総所得
1,000円, 所得割 100円: 地方税法 §20の4の2), and no credit — the 定額減税 included — takes a part
below zero."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tax.conftest import tax

YEN = st.integers(min_value=0, max_value=30_000_000)
SMALL = st.integers(min_value=0, max_value=2_000_000)


@st.composite
def households(draw, *, donations: bool = True) -> dict:
    year = draw(st.integers(2017, 2026))
    income_year = year - 1

    def born(min_age: int, max_age: int) -> str:
        age = draw(st.integers(min_age, max_age))
        return f"{income_year - age}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"

    relative = st.fixed_dictionaries(
        {
            "total_income": st.sampled_from([0, 300_000, 480_000, 500_000, 900_000, 1_200_000, 2_000_000]),
            "living_together": st.booleans(),
            "disability": st.sampled_from([None, "general", "special", "special_cohabiting"]),
            "relation": st.sampled_from(["child", "parent", "other"]),
        }
    )
    body = {
        "fiscal_year": year,
        "lg_code": draw(st.sampled_from([None, "072028", "151009", "141003", "222135"])),
        "grade": draw(st.sampled_from([None, 1, 2, 3])),
        "taxpayer": {
            "birth_date": born(15, 90),
            "widow": False,
            "single_parent": draw(st.sampled_from([None, "mother", "father"])),
            "disability": draw(st.sampled_from([None, "general", "special"])),
            "working_student": draw(st.booleans()),
        },
        "incomes": {
            "salary": draw(YEN),
            "public_pension": draw(st.integers(0, 6_000_000)),
            "business": draw(SMALL),
            "dividends": draw(st.integers(0, 500_000)),
        },
        "deductions": {
            "social_insurance": draw(SMALL),
            "life_insurance": {
                "new_general": draw(st.integers(0, 100_000)),
                "old_pension": draw(st.integers(0, 100_000)),
            },
            "medical_expenses": draw(st.integers(0, 500_000)),
        },
        "dependents": [],
    }
    if draw(st.booleans()):
        body["spouse"] = {**draw(relative), "birth_date": born(20, 90)}
    for _ in range(draw(st.integers(0, 3))):
        body["dependents"].append({**draw(relative), "birth_date": born(0, 95)})
    if donations:
        body["tax_credits"] = {
            "furusato_donation": draw(st.integers(0, 500_000)),
            "housing_loan": draw(st.integers(0, 300_000)),
        }
    return body


def _tax(body: dict) -> dict:
    body = dict(body)
    return tax(body.pop("fiscal_year"), body["taxpayer"].pop("birth_date"), **body)


def _copy(body: dict) -> dict:
    import copy

    return copy.deepcopy(body)


@settings(max_examples=300, deadline=None)
@given(
    households(donations=False),
    st.integers(1, 3_000_000),
    st.sampled_from(["salary", "public_pension", "business"]),
)
def test_more_income_never_lowers_the_tax(body, more, kind):
    """Without donations: their 基本分 grows with 総所得金額等 × 30 % while the 1,000円 truncation
    can hold the 課税総所得 still, so a yen more income may buy a yen more credit — the law's, not
    ours (tax-facts §2.5)."""
    richer = _copy(body)
    richer["incomes"][kind] += more
    assert _tax(richer)["total"] >= _tax(_copy(body))["total"]


@settings(max_examples=300, deadline=None)
@given(households(), st.integers(1, 2_000_000), st.sampled_from(["social_insurance", "medical_expenses"]))
def test_a_larger_deduction_never_raises_the_tax(body, more, kind):
    bigger = _copy(body)
    bigger["deductions"][kind] += more
    assert _tax(bigger)["total"] <= _tax(_copy(body))["total"]


@settings(max_examples=400, deadline=None)
@given(households())
def test_truncations_and_no_negative_part(body):
    out = _tax(body)
    assert out["taxable_income"] % 1000 == 0
    for part in ("municipal", "prefectural"):
        p = out[part]
        assert p["income_levy"] % 100 == 0
        assert p["income_levy"] >= 0 and p["adjustment_credit"] >= 0 and p["other_credits"] >= 0
        assert p["adjustment_credit"] + p["other_credits"] <= p["income_levy_before_credits"]
        assert p["total"] == p["income_levy"] + p["per_capita_levy"]
    assert (
        out["total"]
        == out["municipal"]["total"] + out["prefectural"]["total"] + out["forest_environment_tax"]
    )
    assert out["income_deductions"]["total"] == sum(
        v for k, v in out["income_deductions"].items() if k != "total"
    )
    assert out["steps"] and out["steps"][-1].startswith("年税額")
