"""Properties of the 児童手当 month over generated families of every supported 年度: adding a
child never lowers the total, no child is paid more than 30,000円, and the ranks and amounts
do not depend on the order the children are given in."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.child_allowance.conftest import allowance

MONTHS = st.tuples(st.integers(2012, 2026), st.integers(1, 12)).filter(
    lambda ym: (2012, 4) <= ym <= (2027, 3)
)


@st.composite
def families(draw) -> tuple[str, list[dict]]:
    year, month = draw(MONTHS)
    latest = date(year, month, 1)
    births = st.integers(0, 26 * 366).map(lambda days: latest - timedelta(days=days))
    child = st.fixed_dictionaries(
        {"birth_date": births.map(date.isoformat), "parent_bears_costs": st.booleans()}
    )
    return f"{year:04d}-{month:02d}", draw(st.lists(child, min_size=1, max_size=6))


@settings(max_examples=150, deadline=None)
@given(families(), st.data())
def test_adding_a_child_never_lowers_the_total(family, data):
    month, children = family
    extra = data.draw(st.sampled_from(children))  # a sibling born on a date already in the family…
    other = data.draw(families())[1][0]  # …or any other
    before = allowance(month, *children)["monthly_total"]
    for added in (extra, {**other, "birth_date": min(other["birth_date"], f"{month}-01")}):
        assert allowance(month, *children, added)["monthly_total"] >= before


@settings(max_examples=150, deadline=None)
@given(families())
def test_no_child_is_paid_more_than_30000(family):
    out = allowance(*[family[0]], *family[1])
    assert all(0 <= c["monthly"] <= 30_000 for c in out["children"])
    assert all(c["eligible"] == (c["monthly"] > 0) for c in out["children"])


@settings(max_examples=150, deadline=None)
@given(families(), st.randoms(use_true_random=False))
def test_the_order_of_input_changes_nothing(family, random):
    month, children = family
    shuffled = children[:]
    random.shuffle(shuffled)

    def judged(given: list[dict]) -> list[tuple]:
        out = allowance(month, *given)["children"]
        return sorted((c["birth_date"], c["rank"] or 0, c["monthly"], c["eligible"]) for c in out)

    assert judged(shuffled) == judged(children)
