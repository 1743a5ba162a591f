"""Tests for the check digits of 団体コード, 宛名番号/世帯番号 (M11), 個人番号 and 住民票コード.

The error-detection properties are stated exactly: every scheme folds a remainder modulo
11 into one decimal digit, so two remainders share a check digit and a change that moves
the remainder between those two is not detected. The tests prove that *only* those changes
go undetected, and show one concrete example of each.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from yakuba.platform.japanese.checkdigits import (
    CheckDigitError,
    is_valid_juminhyo_code,
    is_valid_lg_code,
    is_valid_m11,
    is_valid_my_number,
    juminhyo_code_check_digit,
    lg_code_check_digit,
    m11_check_digit,
    my_number_check_digit,
    with_m11,
)

# --------------------------------------------------------------------------------------
# Independent oracles (written from the published formulas, not from the module)


def lg_remainder(base5: str) -> int:
    return sum(int(c) * w for c, w in zip(base5, (6, 5, 4, 3, 2), strict=True)) % 11


def my_number_remainder(base: str) -> int:
    # Weights from the rightmost digit: 2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6.
    weights = [2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6]
    return sum(int(c) * w for c, w in zip(reversed(base), weights)) % 11  # noqa: B905


def m11_remainder(base: str) -> int:
    return sum(int(c) * (2 + i % 6) for i, c in enumerate(reversed(base))) % 11


# name, total length, validator, remainder of the base, remainders sharing a check digit
SCHEMES = {
    "lg_code": (6, is_valid_lg_code, lg_remainder, {0, 10}),
    "my_number": (12, is_valid_my_number, my_number_remainder, {0, 1}),
    "juminhyo_code": (11, is_valid_juminhyo_code, my_number_remainder, {0, 1}),
    "m11_8": (8, is_valid_m11, m11_remainder, {0, 1}),
    "m11_15": (15, is_valid_m11, m11_remainder, {0, 1}),
}
_CHECK = {
    "lg_code": lg_code_check_digit,
    "my_number": my_number_check_digit,
    "juminhyo_code": juminhyo_code_check_digit,
    "m11_8": m11_check_digit,
    "m11_15": m11_check_digit,
}


@st.composite
def valid_numbers(draw, scheme: str) -> str:
    length = SCHEMES[scheme][0]
    base = draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))
    return base + str(_CHECK[scheme](base))


# --------------------------------------------------------------------------------------
# Known vectors


@pytest.mark.parametrize(
    "code",
    [
        "131016",  # 千代田区
        "130001",  # 東京都
        "140007",  # 神奈川県
        "010006",  # 北海道
        "011011",  # 札幌市: remainder 0 → check 1
        "131130",  # 渋谷区: remainder 1 → check 0
        "132080",  # 調布市
        "072028",  # 会津若松市
    ],
)
def test_lg_code_known_vectors(code):
    assert is_valid_lg_code(code)
    assert lg_code_check_digit(code[:5]) == int(code[5])


def test_lg_code_remainder_folding():
    assert lg_remainder("01101") == 0 and lg_code_check_digit("01101") == 1
    assert lg_remainder("13113") == 1 and lg_code_check_digit("13113") == 0


@pytest.mark.parametrize("code", ["131017", "13101", "1310166", "13101a", "１３１０１６", "", "-13101"])
def test_lg_code_invalid(code):
    assert not is_valid_lg_code(code)


@pytest.mark.parametrize("number", ["123456789018", "983205673214", "621498320257"])
def test_my_number_known_valid(number):
    assert is_valid_my_number(number)


@pytest.mark.parametrize(
    "number", ["123456789012", "12345678901", "1234567890188", "12345678901x", "１２３４５６７８９０１８"]
)
def test_my_number_invalid(number):
    assert not is_valid_my_number(number)


def test_m11_known_vector():
    assert m11_check_digit("1234567") == 4
    assert with_m11("1234567") == "12345674"
    assert is_valid_m11("12345674")
    assert not is_valid_m11("12345675")


def test_m11_remainder_zero_and_one_give_zero():
    # "6": 6*2 = 12 → remainder 1; "0": remainder 0; both fold to check digit 0.
    assert m11_remainder("6") == 1 and m11_check_digit("6") == 0
    assert m11_check_digit("0") == 0
    assert m11_check_digit("1") == 9  # 2 → 11 - 2


def test_m11_lengths():
    assert not is_valid_m11("0")  # a check digit needs a base
    assert is_valid_m11("00")
    assert is_valid_m11(with_m11("1" * 14))
    assert not is_valid_m11(with_m11("1" * 14) + "0")
    with pytest.raises(CheckDigitError, match="1〜14桁ではありません"):
        m11_check_digit("1" * 15)
    with pytest.raises(CheckDigitError, match="1〜14桁ではありません"):
        m11_check_digit("")


def test_juminhyo_code_vector():
    # Same weights as 個人番号 over the last 10 base digits.
    assert juminhyo_code_check_digit("3456789018") == my_number_check_digit("0" + "3456789018")
    code = "1234567890"
    assert is_valid_juminhyo_code(code + str(juminhyo_code_check_digit(code)))


@pytest.mark.parametrize(
    ("func", "arg", "message"),
    [
        (lg_code_check_digit, "1310", "5桁ではありません"),
        (lg_code_check_digit, "1310a", "数字以外の文字が含まれています"),
        (my_number_check_digit, "１２３４５６７８９０１", "数字以外の文字が含まれています"),
        (my_number_check_digit, "123", "11桁ではありません"),
        (juminhyo_code_check_digit, "123", "10桁ではありません"),
        (m11_check_digit, "12 3", "数字以外の文字が含まれています"),
        (with_m11, "", "1〜14桁ではありません"),
        (lg_code_check_digit, "", "5桁ではありません"),
    ],
)
def test_check_digit_errors(func, arg, message):
    with pytest.raises(CheckDigitError) as info:
        func(arg)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


def test_non_str_is_rejected():
    with pytest.raises(CheckDigitError):
        my_number_check_digit(12345678901)  # type: ignore[arg-type]
    assert not is_valid_my_number(123456789018)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# Error detection — exact properties


@pytest.mark.parametrize(
    ("valid", "changed", "is_valid"),
    [
        ("595748906820", "795748906820", is_valid_my_number),
        ("483311", "683311", is_valid_lg_code),
        ("74420400", "24420400", is_valid_m11),
    ],
)
def test_known_undetected_single_digit_errors(valid, changed, is_valid):
    # Documented limitation: these changes move the remainder within the folded pair.
    assert is_valid(valid) and is_valid(changed)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@given(data=st.data())
def test_single_digit_change_detected_unless_remainders_fold(scheme, data):
    length, is_valid, remainder, folded = SCHEMES[scheme]
    number = data.draw(valid_numbers(scheme))
    pos = data.draw(st.integers(0, length - 1))
    digit = data.draw(st.sampled_from([c for c in "0123456789" if c != number[pos]]))
    changed = number[:pos] + digit + number[pos + 1 :]
    if pos == length - 1:
        assert not is_valid(changed)  # a changed check digit is always caught
    else:
        undetectable = {remainder(number[:-1]), remainder(changed[:-1])} <= folded
        assert is_valid(changed) == undetectable


@pytest.mark.parametrize("scheme", ["my_number", "juminhyo_code"])
@given(data=st.data())
def test_adjacent_transposition_detected_unless_remainders_fold(scheme, data):
    length, is_valid, remainder, folded = SCHEMES[scheme]
    number = data.draw(valid_numbers(scheme))
    pos = data.draw(st.integers(0, length - 3))  # both digits in the base
    assume(number[pos] != number[pos + 1])
    swapped = number[:pos] + number[pos + 1] + number[pos] + number[pos + 2 :]
    undetectable = {remainder(number[:-1]), remainder(swapped[:-1])} <= folded
    assert is_valid(swapped) == undetectable
    # The remainder always changes: neighbouring weights differ modulo 11.
    assert remainder(number[:-1]) != remainder(swapped[:-1])


@given(st.text(alphabet="0123456789", min_size=1, max_size=14))
def test_with_m11_always_validates(base):
    number = with_m11(base)
    assert is_valid_m11(number)
    assert number[:-1] == base
    assert int(number[-1]) == (0 if m11_remainder(base) <= 1 else 11 - m11_remainder(base))


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@given(data=st.data())
def test_generated_numbers_validate(scheme, data):
    assert SCHEMES[scheme][1](data.draw(valid_numbers(scheme)))


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_my_number_check_digit_matches_oracle(base):
    r = my_number_remainder(base)
    assert my_number_check_digit(base) == (0 if r <= 1 else 11 - r)


@given(st.text(alphabet="0123456789", min_size=5, max_size=5))
def test_lg_code_check_digit_matches_oracle(base):
    assert lg_code_check_digit(base) == (11 - lg_remainder(base)) % 10
