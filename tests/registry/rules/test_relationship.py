"""続柄 rules — 住民記録システム標準仕様書 第3章 §1.1.11."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yakuba.registry.rules.relationship import (
    BASE_TERMS,
    RelationshipError,
    check_single_head,
    generations,
    is_head,
    is_spouse,
    links,
    normalize,
    validate_relationship,
)

STANDALONE = ["世帯主", "縁故者", "同居人"]
# ② exactly as the standard spells it (full-width parentheses).
STANDARD_BASE = ["夫", "妻", "夫（未届）", "妻（未届）", "子", "子（子の夫）", "子（子の妻）"]
STANDARD_BASE += ["父", "母", "兄", "姉", "弟", "妹"]


def error_of(text, **kwargs) -> str:
    with pytest.raises(RelationshipError) as info:
        validate_relationship(text, **kwargs)
    return str(info.value)


# --- ① ② ④ ⑤: every allowed single term -------------------------------------------------


def test_base_terms_are_exactly_those_of_the_standard():
    assert list(BASE_TERMS) == STANDARD_BASE


@pytest.mark.parametrize("term", STANDALONE + STANDARD_BASE)
def test_every_allowed_term_validates_to_itself(term):
    assert validate_relationship(term) == term


def test_relationship_error_is_a_value_error():
    assert issubclass(RelationshipError, ValueError)


# --- ③: 「の」 chains up to 4 世代 -----------------------------------------------------------


@pytest.mark.parametrize(
    "chain",
    [
        "子の子",
        "子の子の子",
        "子の子の子の子",
        "子の妻",
        "子の夫",
        "妻の父",
        "父の母",
        "兄の子",
        "父の兄の子",
        "妻の父の母",
        "妻（未届）の子",
        "子の妻（未届）",
        "子（子の妻）の子",
        "妹の夫の母の兄",
    ],
)
def test_chains_up_to_four_generations_are_allowed(chain):
    assert validate_relationship(chain) == chain


def test_child_wife_chain_and_compound_term_are_distinct():
    # 「子の妻」 (daughter-in-law, 2 世代) ≠ 「子（子の妻）」 (a 子 who is also a child's wife, 1 世代).
    assert validate_relationship("子の妻") == "子の妻"
    assert validate_relationship("子(子の妻)") == "子（子の妻）"
    assert generations("子の妻") == 2
    assert generations("子（子の妻）") == 1


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("世帯主", 0),
        ("縁故者", 0),
        ("同居人", 0),
        ("子", 1),
        ("子（子の夫）", 1),
        ("子の子", 2),
        ("妻（未届）の子", 2),
        ("子（子の妻）の子", 2),
        ("子の子の子", 3),
        ("子の子の子の子", 4),
    ],
)
def test_generations_counts_links_outside_parentheses(rel, expected):
    assert generations(rel) == expected


def test_links_splits_only_on_top_level_no():
    assert links("子（子の妻）の父") == ("子（子の妻）", "父")
    assert links("世帯主") == ()


@pytest.mark.parametrize(
    "chain",
    ["子の子の子の子の子", "父の父の父の父の父", "妻の父の母の兄の子", "子の子の子の子の子の子の子"],
)
def test_five_or_more_generations_must_be_enkosha(chain):
    assert error_of(chain) == f"続柄「{chain}」は5世代以上のため「縁故者」と記載してください"


def test_five_generation_message_exact():
    assert (
        error_of("子の子の子の子の子")
        == "続柄「子の子の子の子の子」は5世代以上のため「縁故者」と記載してください"
    )


# --- forbidden values (【実装しない機能】) ---------------------------------------------------

FORBIDDEN = {
    "祖父": "続柄「祖父」は使えません。「父の父」または「母の父」と記載してください",
    "祖母": "続柄「祖母」は使えません。「父の母」または「母の母」と記載してください",
    "おじ": "続柄「おじ」は使えません。「父の兄」「父の弟」「母の兄」または「母の弟」と記載してください",
    "おば": "続柄「おば」は使えません。「父の姉」「父の妹」「母の姉」または「母の妹」と記載してください",
    "叔父": "続柄「叔父」は使えません。「父の弟」または「母の弟」と記載してください",
    "伯父": "続柄「伯父」は使えません。「父の兄」または「母の兄」と記載してください",
    "叔母": "続柄「叔母」は使えません。「父の妹」または「母の妹」と記載してください",
    "伯母": "続柄「伯母」は使えません。「父の姉」または「母の姉」と記載してください",
    "甥": "続柄「甥」は使えません。「兄の子」「姉の子」「弟の子」または「妹の子」と記載してください",
    "姪": "続柄「姪」は使えません。「兄の子」「姉の子」「弟の子」または「妹の子」と記載してください",
    "孫": "続柄「孫」は使えません。「子の子」と記載してください",
    "曾孫": "続柄「曾孫」は使えません。「子の子の子」と記載してください",
    "家事使用人": "続柄「家事使用人」は使えません。「同居人」と記載してください",
    "準世帯主": "続柄「準世帯主」は使えません。世帯主との続柄を記載してください",
    "養子": "続柄「養子」は使えません。「子」と記載してください",
    "養女": "続柄「養女」は使えません。「子」と記載してください",
    "長男": "続柄「長男」は使えません。「子」と記載してください",
    "長女": "続柄「長女」は使えません。「子」と記載してください",
    "次男": "続柄「次男」は使えません。「子」と記載してください",
    "次女": "続柄「次女」は使えません。「子」と記載してください",
    "二男": "続柄「二男」は使えません。「子」と記載してください",
    "3女": "続柄「3女」は使えません。「子」と記載してください",
    "兄弟": "続柄「兄弟」は使えません。「兄」または「弟」と記載してください",
    "姉妹": "続柄「姉妹」は使えません。「姉」または「妹」と記載してください",
    "兄弟姉妹": "続柄「兄弟姉妹」は使えません。「兄」「姉」「弟」または「妹」と記載してください",
    "配偶者": "続柄「配偶者」は使えません。「夫」または「妻」と記載してください",
    "内縁の妻": "続柄「内縁の妻」は使えません。「妻（未届）」と記載してください",
    "嫁": "続柄「嫁」は使えません。「子の妻」と記載してください",
    "婿養子": "続柄「婿養子」は使えません。「子（子の夫）」と記載してください",
}


@pytest.mark.parametrize(("term", "message"), sorted(FORBIDDEN.items()))
def test_forbidden_terms_have_specific_messages(term, message):
    assert error_of(term) == message


def test_forbidden_word_inside_a_chain():
    assert error_of("妻の祖父") == (
        "続柄「妻の祖父」に使えない語「祖父」が含まれています。「父の父」または「母の父」と記載してください"
    )


def test_full_width_digit_birth_order_is_normalized_then_rejected():
    assert error_of("２男") == "続柄「2男」は使えません。「子」と記載してください"


# --- malformed input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["弟の", "の子", "子のの子", "子の", "の", "子（子の妻", "妻）", "子（（子の妻））"]
)
def test_malformed_chains(text):
    assert error_of(text) == f"続柄「{text}」の形式が正しくありません"


def test_trailing_no_message_exact():
    assert error_of("弟の") == "続柄「弟の」の形式が正しくありません"


@pytest.mark.parametrize("text", ["", "   ", "\u3000", None])
def test_empty(text):
    assert error_of(text) == "続柄が空です"


def test_unknown_single_word():
    assert error_of("友人") == "続柄「友人」は使えません"


def test_unknown_word_in_chain():
    assert error_of("子の友人") == "続柄「子の友人」に使えない語「友人」が含まれています"


def test_head_prefix_is_rejected_with_the_relative_form():
    assert error_of("世帯主の子") == "続柄「世帯主の子」は使えません。「子」と記載してください"
    assert error_of("世帯主の子の妻") == "続柄「世帯主の子の妻」は使えません。「子の妻」と記載してください"
    assert error_of("世帯主の孫") == "続柄「世帯主の孫」の形式が正しくありません"


@pytest.mark.parametrize("text", ["縁故者の子", "同居人の妻", "子の世帯主"])
def test_standalone_terms_cannot_be_chained(text):
    assert error_of(text) == (
        f"続柄「{text}」は使えません。「世帯主」「縁故者」「同居人」は「の」でつなげられません"
    )


@pytest.mark.parametrize(
    "text", ["夫(未届)", "夫（未届）", "夫（未届)", "夫 (未届) ", "子(子の夫)", "子（子の夫）"]
)
def test_parenthesis_width_is_normalized_to_full_width(text):
    expected = "夫（未届）" if text.startswith("夫") else "子（子の夫）"
    assert validate_relationship(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [(" 子 の 子 ", "子の子"), ("子\u3000の\u3000妻", "子の妻"), ("妻\t(未届)の子\n", "妻（未届）の子")],
)
def test_whitespace_is_removed(text, expected):
    assert validate_relationship(text) == expected


def test_normalize_only_normalizes():
    assert normalize(" 孫 ") == "孫"
    assert normalize(None) == ""


# --- foreign residents -------------------------------------------------------------------

FOREIGN_MESSAGE = "外国人住民の続柄は、親族関係を証する文書がない場合「縁故者」と記載してください"


@pytest.mark.parametrize("rel", ["妻", "子", "夫（未届）", "子の子", "父"])
def test_foreign_without_document_must_be_enkosha(rel):
    assert error_of(rel, foreign=True, documented=False) == FOREIGN_MESSAGE


@pytest.mark.parametrize("rel", ["世帯主", "縁故者", "同居人"])
def test_foreign_without_document_may_be_non_kin_terms(rel):
    assert validate_relationship(rel, foreign=True, documented=False) == rel


def test_foreign_with_document_or_japanese_may_be_kin():
    assert validate_relationship("妻", foreign=True, documented=True) == "妻"
    assert validate_relationship("妻", foreign=True) == "妻"
    assert validate_relationship("妻", foreign=False, documented=False) == "妻"


def test_foreign_rule_checks_grammar_first():
    assert (
        error_of("孫", foreign=True, documented=False)
        == "続柄「孫」は使えません。「子の子」と記載してください"
    )


# --- predicates --------------------------------------------------------------------------


@pytest.mark.parametrize("rel", ["夫", "妻", "夫(未届)", "妻（未届）"])
def test_is_spouse_true(rel):
    assert is_spouse(rel)


@pytest.mark.parametrize("rel", ["世帯主", "子", "子の妻", "子（子の妻）", "妻の父", "縁故者", "同居人"])
def test_is_spouse_false(rel):
    assert not is_spouse(rel)


def test_is_head():
    assert is_head(" 世帯主 ")
    assert not is_head("妻")
    with pytest.raises(RelationshipError):
        is_head("準世帯主")


# --- one 世帯主, at most one 配偶者 ----------------------------------------------------------


def test_single_head_ok():
    check_single_head(["世帯主", "妻", "子", "子", "父", "同居人"])


def test_no_head():
    with pytest.raises(RelationshipError) as info:
        check_single_head(["妻", "子"])
    assert str(info.value) == "世帯主がいません"
    with pytest.raises(RelationshipError, match="^世帯主がいません$"):
        check_single_head([])


def test_no_head_allowed_when_requested():
    # §1.1.10: 世帯主未設定 must be storable.
    check_single_head(["妻", "子"], allow_no_head=True)


def test_two_heads():
    with pytest.raises(RelationshipError) as info:
        check_single_head(["世帯主", "妻", "世帯主"])
    assert str(info.value) == "世帯主が2人います（世帯主は1世帯に1人です）"


def test_three_heads_counts():
    with pytest.raises(RelationshipError) as info:
        check_single_head(["世帯主"] * 3)
    assert str(info.value) == "世帯主が3人います（世帯主は1世帯に1人です）"


@pytest.mark.parametrize("spouses", [["妻", "妻"], ["妻", "妻(未届)"], ["夫（未届）", "妻"]])
def test_two_spouses(spouses):
    with pytest.raises(RelationshipError) as info:
        check_single_head(["世帯主", *spouses, "子"])
    assert str(info.value) == "世帯主の配偶者が2人います"


def test_spouses_of_others_do_not_count():
    check_single_head(["世帯主", "妻", "子の妻", "父の妻（未届）", "子（子の妻）"])


def test_single_head_validates_each_value():
    with pytest.raises(RelationshipError, match="孫"):
        check_single_head(["世帯主", "孫"])


# --- properties --------------------------------------------------------------------------

base_term = st.sampled_from(STANDARD_BASE)
valid_chain = st.lists(base_term, min_size=1, max_size=4)


def widen(term: str, half: bool, spaces: bool) -> str:
    if half:
        term = term.replace("（", "(").replace("）", ")")
    if spaces:
        term = " ".join(term)
    return term


@given(valid_chain, st.booleans(), st.booleans())
def test_every_chain_of_one_to_four_base_terms_is_valid(chain, half, spaces):
    canonical = "の".join(chain)
    typed = widen(canonical, half, spaces)
    assert validate_relationship(typed) == canonical
    assert validate_relationship(canonical) == canonical  # idempotent
    assert generations(typed) == len(chain)
    assert links(typed) == tuple(chain)


@given(st.lists(base_term, min_size=5, max_size=8))
def test_every_chain_of_five_or_more_is_enkosha(chain):
    text = "の".join(chain)
    assert error_of(text) == f"続柄「{text}」は5世代以上のため「縁故者」と記載してください"


@given(st.text(max_size=12))
def test_validation_either_returns_a_fixed_point_or_raises_relationship_error(text):
    try:
        canonical = validate_relationship(text)
    except RelationshipError:
        return
    assert validate_relationship(canonical) == canonical
