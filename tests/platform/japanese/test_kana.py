"""Tests for フリガナ storage normalization, validation and search keys."""

from __future__ import annotations

import unicodedata

import jaconv
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yakuba.platform.japanese.kana import (
    is_katakana_name,
    kana_search_key,
    name_search_key,
    to_katakana_fullwidth,
)

# Full-width katakana that have both a hiragana and a half-width counterpart.
_CONVERTIBLE = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォッャュョー"
)
KATAKANA_WORDS = st.text(alphabet=_CONVERTIBLE, min_size=1, max_size=12)
KANA_NAMES = st.lists(
    st.text(alphabet=_CONVERTIBLE.replace("ー", ""), min_size=1, max_size=8), min_size=1, max_size=3
)

# --------------------------------------------------------------------------------------
# to_katakana_fullwidth


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ｱｲﾂﾞﾜｶﾏﾂ", "アイヅワカマツ"),
        ("ﾊﾟｰﾃｨｰ", "パーティー"),
        ("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン"),
        ("ｽﾐｽ･ｼﾞｮﾝ", "スミス・ジョン"),
        ("さいとう", "サイトウ"),
        ("ゔぃーな", "ヴィーナ"),
        ("ゝゞ", "ヽヾ"),
        ("カ゛ハ゜", "ガパ"),
        ("ｶ\u3099", "ガ"),
        ("ア゛", "ア゛"),  # cannot carry a dakuten: kept as a visible mark
        ("ﾞｱ", "゛ア"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ\u3000タロウ"),
        ("  やまだ\u3000\u3000 たろう ", "ヤマダ\u3000タロウ"),
        ("ヤマダ\tタロウ", "ヤマダ\u3000タロウ"),
        ("山田ﾀﾛｳ", "山田タロウ"),  # kanji left for the validator to reject
        ("ABC", "ABC"),
        ("", ""),
    ],
)
def test_to_katakana_fullwidth(text, expected):
    assert to_katakana_fullwidth(text) == expected


def test_to_katakana_fullwidth_never_touches_compatibility_ideographs():
    # NFC would turn U+FA19 into U+795E; the converter must not.
    assert to_katakana_fullwidth("\ufa19ｶﾞ") == "\ufa19ガ"
    assert to_katakana_fullwidth("\ufa11") == "\ufa11"


@given(KATAKANA_WORDS)
def test_to_katakana_fullwidth_inverts_halfwidth_and_hiragana(word):
    assert to_katakana_fullwidth(jaconv.z2h(word, kana=True)) == word
    assert to_katakana_fullwidth(jaconv.kata2hira(word)) == word
    assert to_katakana_fullwidth(word) == word


@given(st.text())
def test_to_katakana_fullwidth_is_idempotent(text):
    once = to_katakana_fullwidth(text)
    assert to_katakana_fullwidth(once) == once


# --------------------------------------------------------------------------------------
# is_katakana_name


@pytest.mark.parametrize(
    "text",
    [
        "サイトウ",
        "ヤマダ\u3000タロウ",
        "ヤマダ タロウ",
        "スミス・ジョン",
        "パーティー",
        "ヴァン・ダイク",
        "ンゴロ",
        "ヶ",
        "ヰヱ",
    ],
)
def test_is_katakana_name_accepts(text):
    assert is_katakana_name(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "山田",
        "やまだ",
        "ﾔﾏﾀﾞ",
        "Yamada",
        "ヤマダ1",
        "ヤマダ　",
        "　ヤマダ",
        "ヤマダ\u3000\u3000タロウ",
        "ヤマダ・\u3000タロウ",
        "ーヤマダ",
        "ヤマダ\u3000ータロウ",
        "ヤマダ-タロウ",
        "ヤマダ\tタロウ",
        "ヤマダ゛",
        "サヽキ",
    ],
)
def test_is_katakana_name_rejects(text):
    assert not is_katakana_name(text)


def test_is_katakana_name_rejects_non_str():
    assert not is_katakana_name(None)  # type: ignore[arg-type]


@given(KANA_NAMES, st.sampled_from([" ", "\u3000", "・"]))
def test_converted_names_validate(parts, sep):
    text = sep.join(jaconv.kata2hira(p) for p in parts)
    assert is_katakana_name(to_katakana_fullwidth(text))


@given(st.text(alphabet="あいうアイウｱｲｳ山田ABC ー・\u3000"))
def test_valid_names_contain_only_allowed_characters(text):
    if is_katakana_name(text):
        assert all(ch in " \u3000・ー" or "\u30a1" <= ch <= "\u30fa" for ch in text), text


# --------------------------------------------------------------------------------------
# kana_search_key


@pytest.mark.parametrize(
    "text", ["ｻｲﾄｳ", "さいとう", "サイトウ", "ザイトウ", "サイドウ", "ｻ ｲ ﾄ ｳ", "サ・イトウ"]
)
def test_saitou_variants_share_a_key(text):
    assert kana_search_key(text) == "サイトウ"


def test_long_vowel_mark_is_dropped_so_prefix_search_matches():
    # Documented choice: ー is dropped, not expanded, so サイトー is a prefix of サイトウ.
    assert kana_search_key("サイトー") == "サイト"
    assert kana_search_key("サイトウ").startswith(kana_search_key("サイトー"))
    # ...and distinct names that differ only by a lengthening ウ stay distinct.
    assert kana_search_key("ユウキ") != kana_search_key("ユキ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ガ", "カ"),
        ("パ", "ハ"),
        ("バ", "ハ"),
        ("ヴ", "ウ"),
        ("ヷ", "ワ"),
        ("ァィゥェォ", "アイウエオ"),
        ("ッャュョ", "ツヤユヨ"),
        ("ヮヵヶ", "ワカケ"),
        ("ㇰㇷ゚", "クフ"),
        ("ヰヱヲ", "イエオ"),
        ("ジョン・スミス", "シヨンスミス"),
        ("パーティー", "ハテイ"),
        ("ｶﾞｯｺｳ", "カツコウ"),
        ("カ゛", "カ"),
        ("が ", "カ"),
        ("\u3000", ""),
    ],
)
def test_kana_search_key_folds(text, expected):
    assert kana_search_key(text) == expected


@given(st.text())
def test_kana_search_key_is_idempotent(text):
    key = kana_search_key(text)
    assert kana_search_key(key) == key


@given(KATAKANA_WORDS)
def test_kana_search_key_invariant_under_script_variants(word):
    key = kana_search_key(word)
    assert kana_search_key(jaconv.kata2hira(word)) == key
    assert kana_search_key(jaconv.z2h(word, kana=True)) == key
    assert kana_search_key(jaconv.z2h(jaconv.kata2hira(word), kana=True)) == key


@given(KATAKANA_WORDS)
def test_kana_search_key_has_no_marks_small_kana_or_long_vowels(word):
    key = kana_search_key(word)
    assert not set(key) & set("ー・ァィゥェォッャュョヮヵヶ \u3000\u3099\u309a")
    assert all(unicodedata.decomposition(ch) == "" for ch in key)


@given(KATAKANA_WORDS, KATAKANA_WORDS)
def test_kana_search_key_preserves_prefixes(a, b):
    # A prefix of the reading typed by the clerk still finds the full name.
    assert kana_search_key(a + b).startswith(kana_search_key(a))


# --------------------------------------------------------------------------------------
# name_search_key


def test_name_search_key_removes_spaces():
    assert name_search_key("山田　太郎") == "山田太郎"
    assert name_search_key(" 山田 太郎 ") == "山田太郎"


def test_name_search_key_keeps_fa11_but_folds_canonical_compatibility_ideographs():
    # U+FA11 﨑 is a unified ideograph in the compatibility block: no decomposition.
    assert unicodedata.normalize("NFKC", "\ufa11") == "\ufa11"
    assert name_search_key("山﨑") == "山\ufa11"
    assert name_search_key("山﨑") != name_search_key("山崎")
    # U+FA19 has a canonical decomposition: the key matches the unified ideograph.
    assert name_search_key("\ufa19田") == name_search_key("\u795e田") == "\u795e田"


def test_name_search_key_drops_variation_selectors_and_casefolds():
    assert name_search_key("葛\U000e0100飾") == "葛飾"
    assert name_search_key("ＳＭＩＴＨ　Ｊｏｈｎ") == "smithjohn"
    assert name_search_key("Smith John") == name_search_key("SMITH JOHN")
    assert name_search_key("⼭⽥") == "山田"  # Kangxi radicals typed by mistake


def test_name_search_key_does_not_change_the_input_object():
    stored = "山\ufa11"
    name_search_key(stored)
    assert stored == "山\ufa11"


@given(st.text())
def test_name_search_key_is_idempotent(text):
    key = name_search_key(text)
    assert name_search_key(key) == key


@given(st.text(alphabet=st.characters(categories=["Lo"], max_codepoint=0x9FFF)))
def test_name_search_key_keeps_unified_ideographs(text):
    if all("\u4e00" <= ch <= "\u9fff" for ch in text):
        assert name_search_key(text) == text
