"""The address master's pure rules (docs/address.md): names kept exact, postal codes as typed,
the 番地 a 番地・号 starts with, and its range."""

from __future__ import annotations

import pytest

from yakuba.address.rules import block_number, check_block, clean_name, postal_code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("9650872", "9650872"),
        ("965-0872", "9650872"),
        ("〒965-0872", "9650872"),
        ("９６５－０８７２", "9650872"),
    ],
)
def test_postal_code_as_people_type_it(typed, code):
    assert postal_code(typed) == code


@pytest.mark.parametrize("typed", ["965087", "96508722", "965-087X", ""])
def test_not_a_postal_code(typed):
    assert postal_code(typed) is None


def test_names_are_kept_exact_but_for_surrounding_spaces():
    # 𠮷 and ヶ are not the same names as 吉 and ケ on a 住民票: no normalisation.
    assert clean_name("\u3000𠮷野ヶ丘 ") == "𠮷野ヶ丘"


@pytest.mark.parametrize(
    ("block", "number"),
    [
        ("3番46号", 3),
        ("123番地1", 123),
        ("１２番地", 12),
        ("三番四十六号", 3),
        ("四十六番", 46),
        ("百二番地", 102),
        ("二〇五番地", 205),
        ("字下川原123番地", None),
        ("", None),
    ],
)
def test_the_number_a_block_starts_with(block, number):
    assert block_number(block) == number


def test_a_block_outside_its_range_is_named():
    assert check_block("3番46号", 1, 12) is None
    assert check_block("13番1号", 1, 12) == "番地 13 はこの町字の範囲（1〜12）にありません"
    assert check_block("900番地", None, 850) == "番地 900 はこの町字の範囲（〜850）にありません"
    assert check_block("13番1号", None, None) is None  # no range recorded: nothing to check
    assert check_block("字下川原123番地", 1, 12) is None  # no number first: nothing to check
