"""Properties of the 国民健康保険税 engine over generated 世帯 of every supported 年度: more income
never lowers the tax, a 軽減 never raises it, each part stays within its 賦課限度額 and is a
multiple of 100円, and a person outside 国保 changes nothing but the 軽減 judgement."""

from __future__ import annotations

import copy
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.health_insurance.conftest import kokuho

PARTS = ("medical", "support", "care", "child_rearing")
INCOME = st.integers(min_value=0, max_value=30_000_000)


@st.composite
def households(draw) -> tuple[int, list[dict], dict]:
    year = draw(st.integers(2022, 2026))

    def person(role: str, min_age: int, max_age: int) -> dict:
        income = draw(st.sampled_from([0, 300_000, 430_000, 800_000, 1_500_000]) | INCOME)
        return {
            "role": role,
            "age": draw(st.integers(min_age, max_age)),
            "total_income": income,
            "salary_revenue": draw(st.sampled_from([0, 550_000, 1_000_000, income + 650_000])),
            "public_pension_revenue": draw(st.sampled_from([0, 700_000, 1_600_000])),
        }

    members = [person("世帯主", 20, 74)]
    members += [person("世帯員", 0, 74) for _ in range(draw(st.integers(0, 4)))]
    extra = {}
    if draw(st.booleans()):
        extra["household_status"] = draw(st.sampled_from(["specified", "specified_continuing"]))
        members = members[:1] + [{"role": "父", "member": False, "specified": True, "age": 80}]
    return year, members, extra


def _total(out: dict) -> int:
    return out["annual_total"]


@settings(max_examples=150, deadline=None)
@given(households(), st.integers(0, 4), st.integers(1, 5_000_000))
def test_more_income_never_lowers_the_tax(case, who, more):
    year, members, extra = case
    richer = copy.deepcopy(members)
    target = richer[who % len(richer)]
    target["total_income"] = target.get("total_income", 0) + more
    assert _total(kokuho(richer, year, **extra)) >= _total(kokuho(members, year, **extra))


@settings(max_examples=150, deadline=None)
@given(households())
def test_limits_and_truncation_always_hold(case):
    year, members, extra = case
    out = kokuho(members, year, **extra)
    for part in PARTS:
        figures = out[part]
        if figures is None:
            continue
        assert 0 <= figures["total"] <= figures["limit"]
        assert figures["total"] % 100 == 0
        sum_of_levies = figures["income_levy"] + figures["per_capita_levy"] + figures["per_household_levy"]
        assert sum_of_levies - 100 < figures["total"] <= sum_of_levies or figures["total"] == figures["limit"]
    assert out["annual_total"] == sum(out[p]["total"] for p in PARTS if out[p] is not None)


@settings(max_examples=150, deadline=None)
@given(households())
def test_a_reduction_never_raises_the_tax(case):
    year, members, extra = case
    reduced = kokuho(members, year, **extra)
    undeclared = copy.deepcopy(members)
    undeclared[0]["income_declared"] = False  # no declaration: no 7割・5割・2割軽減
    full = kokuho(undeclared, year, **extra)
    assert full["reduction"] == "none"
    assert _total(reduced) <= _total(full)
    for part in PARTS:
        if reduced[part] is not None:
            assert reduced[part]["income_levy"] == full[part]["income_levy"]


@settings(max_examples=150, deadline=None)
@given(households(), INCOME, st.integers(0, 90))
def test_an_uninsured_member_changes_the_levies_only_through_the_reduction(case, income, age):
    year, members, extra = case
    if extra:
        return  # a 特定世帯 keeps its one member
    before = kokuho(members, year)
    outsider = {
        "role": "世帯員",
        "member": False,
        "age": age,
        "total_income": income,
        "salary_revenue": income,
    }
    after = kokuho([*members, outsider], year)
    assert after["reduction_judgment_income"] == before["reduction_judgment_income"]
    assert after["reduction"] == before["reduction"] and after["annual_total"] == before["annual_total"]
    # Made the 世帯主 instead (擬制世帯主), the person counts for the 軽減 only: the 所得割 stays.
    head = copy.deepcopy(members)
    head[0]["role"] = "世帯員"
    pseudo = kokuho([{**outsider, "role": "世帯主"}, *head], year)
    for part in PARTS:
        if before[part] is not None:
            assert pseudo[part]["income_levy"] == before[part]["income_levy"]
    assert (
        pseudo["reduction_judgment_income"]
        >= before["reduction_judgment_income"] - members[0]["total_income"]
    )


@settings(max_examples=150, deadline=None)
@given(households(), st.data())
def test_the_figures_are_the_same_without_the_parts_lines(case, data):
    """The 本算定 calculates with ``explain=False`` (it stores no steps): members joining and
    leaving during the year split the months the parts group, and the figures must not move."""
    year, members, extra = case
    for m in members:
        if m.get("member", True) and data.draw(st.booleans()):
            start = date(year, 4, 1) + timedelta(days=data.draw(st.integers(0, 300)))
            m["acquired_on"] = start.isoformat()
            if data.draw(st.booleans()):
                m["lost_on"] = (start + timedelta(days=data.draw(st.integers(1, 200)))).isoformat()
    explained = kokuho(copy.deepcopy(members), year, **copy.deepcopy(extra))
    quiet = kokuho(copy.deepcopy(members), year, explain=False, **copy.deepcopy(extra))
    assert len(quiet.pop("steps")) < len(explained.pop("steps"))
    assert quiet == explained
