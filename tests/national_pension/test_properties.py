"""Properties of the 免除・納付猶予・学生納付特例 judgement over generated applications of every
supported 年度: more income — anyone's — never grants more relief, more 扶養親族 never grants
less, and a person who passes a test passes every lighter one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.national_pension.conftest import exempt
from yakuba.national_pension.rules.exemption import EXEMPTIONS, ORDER, STUDENT

ROLES = ["applicant", "spouse", "householder"]
KINDS = ["salary_revenue", "other_income", "deductions"]


def _rank(out: dict) -> int:
    """0 = 全額免除 … 4 = 4分の1免除, 5 = nothing (学生納付特例 0, alone in its scheme)."""
    grant = out["grant"]
    return 0 if grant == STUDENT else ORDER.index(grant) if grant else len(ORDER)


@st.composite
def people(draw) -> dict:
    def person(birth: str) -> dict:
        dependents = draw(st.integers(0, 4))
        elderly = draw(st.integers(0, dependents))
        return {
            "birth_date": birth,
            "salary_revenue": draw(st.sampled_from([0, 900_000, 1_500_000, 2_600_000, 4_000_000])),
            "other_income": draw(st.integers(0, 3_000_000)),
            "deductions": draw(st.integers(0, 400_000)),
            "dependents": dependents,
            "elderly_dependents": elderly,
            "specific_dependents": draw(st.integers(0, dependents - elderly)),
        }

    application = {
        "year": draw(st.integers(2017, 2025)),
        "applicant": {
            **person(draw(st.sampled_from(["1975-09-02", "1990-05-01"]))),
            "student": draw(st.booleans()),
        },
    }
    for role in ROLES[1:]:
        if draw(st.booleans()):
            application[role] = person("1960-01-01")
    return application


def _run(a: dict, role: str | None = None, **more) -> dict:
    people = {r: dict(a[r]) for r in ROLES if r in a}
    if role in people:
        for key, value in more.items():
            people[role][key] += value
    return exempt(a["year"], people.pop("applicant"), **people)


@settings(max_examples=150, deadline=None)
@given(people(), st.sampled_from(ROLES), st.sampled_from(KINDS[:2]), st.integers(1, 2_000_000))
def test_more_income_of_anyone_never_grants_more_relief(a, role, kind, more):
    assert _rank(_run(a, role, **{kind: more})) >= _rank(_run(a))


@settings(max_examples=150, deadline=None)
@given(people(), st.sampled_from(ROLES), st.integers(1, 3), st.integers(1, 300_000))
def test_more_dependents_or_deductions_never_grant_less_relief(a, role, dependents, deductions):
    assert _rank(_run(a, role, dependents=dependents)) <= _rank(_run(a))
    assert _rank(_run(a, role, deductions=deductions)) <= _rank(_run(a))


@settings(max_examples=150, deadline=None)
@given(people())
def test_who_passes_a_test_passes_every_lighter_one(a):
    for tested in _run(a)["persons"]:
        passes = [name for name in EXEMPTIONS if name in tested["passes"]]
        assert passes == list(EXEMPTIONS[len(EXEMPTIONS) - len(passes) :])
