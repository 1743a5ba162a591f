"""世帯員の並び順 — 住民記録システム標準仕様書 第3章 §5.2, and the §1.1.11 tie rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yakuba.registry.rules.ordering import (
    OrderFields,
    household_order_key,
    member_fields,
    preferred,
    rank,
    sort_members,
)
from yakuba.registry.rules.relationship import BASE_TERMS, RelationshipError


@dataclass(frozen=True)
class Member:
    name: str
    relationship: str
    birth_sort_date: date | None
    atena_no: str
    family_of: tuple[date | None, str] | None = None
    hittosha: bool = False


def names(members) -> list[str]:
    return [m.name for m in members]


def order(*members: Member) -> list[str]:
    return names(sort_members(members))


# --- the worked example: a three-generation household -----------------------------------

HEAD = Member("世帯主", "世帯主", date(1950, 4, 1), "0000010")
WIFE = Member("妻", "妻", date(1952, 6, 1), "0000020")
SON1 = Member("長男", "子", date(1975, 3, 3), "0000050")
SON2 = Member("二男", "子", date(1978, 8, 8), "0000041")  # same birthday as 長女:
DAUGHTER = Member("長女", "子", date(1978, 8, 8), "0000040")  # 宛名番号 breaks the tie
SON1_WIFE = Member("長男の妻", "子の妻", date(1974, 1, 1), "0000060")  # older than 長男
GRANDCHILD = Member("孫", "子の子", date(2000, 5, 5), "0000070")
FATHER = Member("父", "父", date(1925, 2, 2), "0000080")
MOTHER = Member("母", "母", date(1927, 7, 7), "0000090")
ENKO = Member("縁故者", "縁故者", date(1930, 1, 1), "0000100")
LODGER = Member("同居人", "同居人", date(1920, 1, 1), "0000110")
HOUSEHOLD = [HEAD, WIFE, SON1, SON2, DAUGHTER, SON1_WIFE, GRANDCHILD, FATHER, MOTHER, ENKO, LODGER]


def test_three_generation_household_exact_order():
    scrambled = [LODGER, GRANDCHILD, MOTHER, SON2, ENKO, SON1_WIFE, WIFE, DAUGHTER, FATHER, HEAD, SON1]
    assert names(sort_members(scrambled)) == [
        "世帯主",
        "妻",
        "長男",
        "長女",
        "二男",
        "長男の妻",
        "孫",
        "父",
        "母",
        "縁故者",
        "同居人",
    ]


def test_three_generation_household_with_known_family_moves_the_son_to_group_2():
    # §5.2 第2順位: a 世帯主の子 whose family is in the 世帯 leaves 1-3 and heads that family (2-1).
    family = (SON1.birth_sort_date, SON1.atena_no)
    son1 = Member("長男", "子", SON1.birth_sort_date, SON1.atena_no, family_of=family)
    wife = Member("長男の妻", "子の妻", SON1_WIFE.birth_sort_date, SON1_WIFE.atena_no, family_of=family)
    grandchild = Member("孫", "子の子", GRANDCHILD.birth_sort_date, GRANDCHILD.atena_no, family_of=family)
    members = [grandchild, LODGER, son1, FATHER, wife, HEAD, SON2, ENKO, DAUGHTER, MOTHER, WIFE]
    assert order(*members) == [
        "世帯主",
        "妻",
        "長女",
        "二男",
        "長男",
        "長男の妻",
        "孫",
        "父",
        "母",
        "縁故者",
        "同居人",
    ]


# --- 第1順位 ------------------------------------------------------------------------------


def test_head_then_spouse_then_children_regardless_of_age():
    old_child = Member("子", "子", date(1900, 1, 1), "1")
    young_head = Member("世帯主", "世帯主", date(2000, 1, 1), "9")
    spouse = Member("夫（未届）", "夫(未届)", date(2001, 1, 1), "8")
    assert order(old_child, spouse, young_head) == ["世帯主", "夫（未届）", "子"]


def test_children_by_birth_date_then_atena_number():
    a = Member("a", "子", date(2010, 1, 1), "0000002")
    b = Member("b", "子", date(2010, 1, 1), "0000001")
    c = Member("c", "子", date(2005, 1, 1), "0000003")
    assert order(a, b, c) == ["c", "b", "a"]


def test_atena_number_compares_numerically():
    a = Member("a", "子", date(2010, 1, 1), "100")
    b = Member("b", "子", date(2010, 1, 1), "99")
    assert order(a, b) == ["b", "a"]


def test_unknown_birth_date_sorts_last_in_its_rank():
    a = Member("a", "子", None, "1")
    b = Member("b", "子", date(2010, 1, 1), "2")
    assert order(a, b) == ["b", "a"]


# --- 第2順位 ------------------------------------------------------------------------------


def test_group_2_without_family_by_generation_then_spouse_before_child():
    members = [
        Member("子の子の子", "子の子の子", date(2020, 1, 1), "1"),
        Member("子の子", "子の子", date(1990, 1, 1), "2"),
        Member("子の子の妻", "子の子の妻", date(1991, 1, 1), "3"),
        Member("子の妻", "子の妻", date(1995, 1, 1), "4"),  # younger than 子の子, still first
        Member("子（子の妻）", "子（子の妻）", date(1999, 1, 1), "5"),
    ]
    assert order(*members) == ["子（子の妻）", "子の妻", "子の子", "子の子の妻", "子の子の子"]


def test_group_2_families_ordered_by_the_childs_birth_date():
    # 例: 長男の家族 before 次男の家族.
    elder = (date(1970, 1, 1), "0000100")
    younger = (date(1972, 1, 1), "0000200")
    members = [
        Member("次男", "子", younger[0], younger[1], family_of=younger),
        Member("次男の妻", "子の妻", date(1960, 1, 1), "0000210", family_of=younger),
        Member("長男の子", "子の子", date(2000, 1, 1), "0000120", family_of=elder),
        Member("長男", "子", elder[0], elder[1], family_of=elder),
        Member("長男の妻", "子の妻", date(1971, 1, 1), "0000110", family_of=elder),
        Member("次男の子2", "子の子", date(2001, 1, 1), "0000230", family_of=younger),
        Member("次男の子1", "子の子", date(1999, 1, 1), "0000220", family_of=younger),
        Member("長女", "子", date(1980, 1, 1), "0000300"),
    ]
    assert order(*members) == [
        "長女",
        "長男",
        "長男の妻",
        "長男の子",
        "次男",
        "次男の妻",
        "次男の子1",
        "次男の子2",
    ]


def test_family_of_is_rejected_outside_group_2():
    with pytest.raises(ValueError, match="family_of"):
        household_order_key("父", date(1950, 1, 1), "1", family_of=(date(1970, 1, 1), "2"))


# --- 第3順位 ------------------------------------------------------------------------------


def test_group_3_parents_then_siblings_then_grandparents():
    members = [
        Member("父の父", "父の父", date(1900, 1, 1), "1"),
        Member("妹", "妹", date(1960, 1, 1), "2"),
        Member("母", "母", date(1930, 1, 1), "3"),
        Member("姉", "姉", date(1950, 1, 1), "4"),
        Member("兄", "兄", date(1952, 1, 1), "5"),
        Member("母の母", "母の母", date(1899, 1, 1), "6"),
        Member("父", "父", date(1931, 1, 1), "7"),
    ]
    assert order(*members) == ["母", "父", "姉", "兄", "妹", "母の母", "父の父"]


def test_hittosha_parent_first():
    father = Member("父", "父", date(1931, 1, 1), "7", hittosha=True)
    mother = Member("母", "母", date(1930, 1, 1), "3")
    assert order(mother, father) == ["父", "母"]


def test_hittosha_ignored_outside_parents_and_grandparents():
    a = Member("a", "兄", date(1950, 1, 1), "1")
    b = Member("b", "兄", date(1951, 1, 1), "2", hittosha=True)
    assert order(b, a) == ["a", "b"]


def test_group_3_after_group_2_and_before_relatives():
    assert order(
        Member("妻の父", "妻の父", date(1900, 1, 1), "1"),
        Member("父", "父", date(1930, 1, 1), "2"),
        Member("子の子", "子の子", date(2000, 1, 1), "3"),
    ) == ["子の子", "父", "妻の父"]


# --- 第4順位 ------------------------------------------------------------------------------


def test_example_1_wifes_elder_brother_before_younger():
    assert order(
        Member("妻の弟", "妻の弟", date(1960, 1, 1), "1"),
        Member("妻の兄", "妻の兄", date(1955, 1, 1), "2"),
    ) == ["妻の兄", "妻の弟"]


def test_example_2_twins_by_atena_number():
    twin = date(1955, 5, 5)
    assert order(
        Member("妻の姉", "妻の姉", twin, "12400067"),
        Member("妻の兄", "妻の兄", twin, "12300045"),
    ) == ["妻の兄", "妻の姉"]


def test_spouse_side_relatives_follow_group_3_pattern():
    members = [
        Member("妻の父の母", "妻の父の母", date(1890, 1, 1), "1"),
        Member("妻の兄", "妻の兄", date(1940, 1, 1), "2"),
        Member("妻の母", "妻の母", date(1920, 1, 1), "3"),
        Member("妻の父", "妻の父", date(1921, 1, 1), "4"),
    ]
    assert order(*members) == ["妻の母", "妻の父", "妻の兄", "妻の父の母"]


def test_relatives_then_enkosha_then_dokyonin_regardless_of_age():
    assert order(
        Member("同居人", "同居人", date(1900, 1, 1), "1"),
        Member("縁故者", "縁故者", date(1901, 1, 1), "2"),
        Member("兄の子", "兄の子", date(2000, 1, 1), "3"),
    ) == ["兄の子", "縁故者", "同居人"]


@pytest.mark.parametrize(
    ("rel", "group_sub"),
    [
        ("世帯主", (1, 0)),
        ("妻", (1, 1)),
        ("妻（未届）", (1, 1)),
        ("子", (1, 2)),
        ("子の妻", (2, 0)),
        ("子（子の夫）", (2, 0)),
        ("子の子の子の子", (2, 0)),
        ("父", (3, 0)),
        ("母", (3, 0)),
        ("弟", (3, 1)),
        ("母の父", (3, 2)),
        ("父の妻", (4, 0)),
        ("子の妻の父", (4, 0)),
        ("父の父の父", (4, 0)),
        ("縁故者", (4, 1)),
        ("同居人", (4, 2)),
    ],
)
def test_rank_groups(rel, group_sub):
    assert tuple(rank(rel)[:2]) == group_sub


def test_key_rejects_invalid_relationship():
    with pytest.raises(RelationshipError, match="孫"):
        household_order_key("孫", date(2000, 1, 1), "1")


def test_key_accepts_half_width_parentheses():
    assert household_order_key("妻(未届)", date(2000, 1, 1), "1") == household_order_key(
        "妻（未届）", date(2000, 1, 1), "1"
    )


# --- sort_members helpers -----------------------------------------------------------------


def test_sort_members_accepts_mappings_and_custom_key():
    rows = [
        {"relationship": "子", "birth_sort_date": date(2000, 1, 1), "atena_no": "2"},
        {"relationship": "世帯主", "birth_sort_date": date(1970, 1, 1), "atena_no": "1"},
    ]
    assert [r["relationship"] for r in sort_members(rows)] == ["世帯主", "子"]
    tuples = [("子", date(2000, 1, 1), "2"), ("世帯主", date(1970, 1, 1), "1")]
    assert sort_members(tuples, key=lambda t: t) == [tuples[1], tuples[0]]


def test_member_fields_reads_optional_attributes():
    m = Member("x", "子", date(2000, 1, 1), "1", family_of=(date(2000, 1, 1), "1"), hittosha=False)
    assert member_fields(m) == OrderFields("子", date(2000, 1, 1), "1", (date(2000, 1, 1), "1"), False)


# --- preferred (§1.1.11 留意点) -------------------------------------------------------------


def test_preferred_standard_example():
    # 世帯主の父の兄の子 who is also the 世帯主's 妻 → 「妻」.
    assert preferred("父の兄の子", "妻") == "妻"
    assert preferred("妻", "父の兄の子") == "妻"


@pytest.mark.parametrize(
    ("spellings", "expected"),
    [
        (("縁故者", "子の子の子の子"), "子の子の子の子"),
        (("母の父", "父"), "父"),
        (("妻の兄", "兄"), "兄"),
        (("子の妻の父", "子の子"), "子の子"),
        (("子", "子の妻"), "子（子の妻）"),
        (("子の夫", "子"), "子（子の夫）"),
        (("子（子の妻）", "子"), "子（子の妻）"),
        (("夫(未届)",), "夫（未届）"),
    ],
)
def test_preferred(spellings, expected):
    assert preferred(*spellings) == expected


def test_preferred_needs_valid_spellings():
    with pytest.raises(ValueError):
        preferred()
    with pytest.raises(RelationshipError):
        preferred("妻", "孫")


# --- properties ---------------------------------------------------------------------------

relationships = st.one_of(
    st.sampled_from(["世帯主", "縁故者", "同居人"]),
    st.lists(st.sampled_from(BASE_TERMS), min_size=1, max_size=4).map("の".join),
)
births = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)))
atenas = st.one_of(st.integers(0, 10**8).map(str), st.text("0123456789ABＡ１", min_size=0, max_size=4))


@st.composite
def households(draw):
    size = draw(st.integers(0, 12))
    atena_nos = draw(st.lists(atenas, min_size=size, max_size=size, unique=True))
    return [Member(f"m{i}", draw(relationships), draw(births), atena) for i, atena in enumerate(atena_nos)]


@given(households(), st.randoms(use_true_random=False))
def test_sort_is_permutation_invariant(members, rnd):
    shuffled = list(members)
    rnd.shuffle(shuffled)
    assert sort_members(shuffled) == sort_members(members)


@given(households())
def test_keys_form_a_total_order(members):
    keys = [household_order_key(m.relationship, m.birth_sort_date, m.atena_no) for m in members]
    for a in keys:
        for b in keys:
            assert (a < b) + (a == b) + (a > b) == 1
    ordered = sorted(keys)
    assert all(x <= y for x, y in zip(ordered, ordered[1:], strict=False))


@given(st.lists(relationships, min_size=1, max_size=5), st.randoms(use_true_random=False))
def test_preferred_is_order_independent_and_picks_a_top_rank(spellings, rnd):
    shuffled = list(spellings)
    rnd.shuffle(shuffled)
    best = preferred(*spellings)
    assert preferred(*shuffled) == best
    assert rank(best)[:2] <= min(rank(s)[:2] for s in spellings) or best.startswith("子（")
