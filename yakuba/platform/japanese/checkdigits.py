"""Check digits of the identifiers the standards define.

Every entry point (API, CLI, file import, UI form) validates identifiers with these
functions; nothing else in the code base computes a check digit.

Limits of these schemes: each is a weighted sum modulo 11 folded into one decimal digit,
so two remainders share a check digit (0 and 1 for 個人番号, 住民票コード and M11; 0 and 10
for 団体コード). A single-digit error or an adjacent transposition that moves the remainder
between the two is *not* detected — about 2 % of single-digit errors. Every other
single-digit error and adjacent transposition is detected (the weights are non-zero and,
for neighbours, distinct modulo 11). A valid check digit is a plausibility test, not a
proof that the number was typed correctly.
"""

from __future__ import annotations

from operator import mul

__all__ = [
    "CheckDigitError",
    "lg_code_check_digit",
    "is_valid_lg_code",
    "m11_check_digit",
    "is_valid_m11",
    "with_m11",
    "my_number_check_digit",
    "is_valid_my_number",
    "juminhyo_code_check_digit",
    "is_valid_juminhyo_code",
]


class CheckDigitError(ValueError):
    """The input is not a digit string of the expected length."""


def _require_digits(value: str, length: int | None = None, *, max_length: int | None = None) -> None:
    # An empty string is reported as a length error, not as "non-digit characters".
    if not isinstance(value, str) or (value and not (value.isascii() and value.isdigit())):
        raise CheckDigitError("数字以外の文字が含まれています")
    if length is not None and len(value) != length:
        raise CheckDigitError(f"{length}桁ではありません")
    if max_length is not None and not 1 <= len(value) <= max_length:
        raise CheckDigitError(f"1〜{max_length}桁ではありません")


def lg_code_check_digit(base5: str) -> int:
    """Check digit of a 全国地方公共団体コード (JIS X 0402).

    S = 6d1 + 5d2 + 4d3 + 3d4 + 2d5; check = (11 − S mod 11) mod 10, so remainder 0 gives 1
    and remainder 1 gives 0 (総務省「全国地方公共団体コード」仕様, docs/reference/common-facts.md §10.3).
    """
    _require_digits(base5, 5)
    return (11 - _weighted(base5, (2, 3, 4, 5, 6)) % 11) % 10


def is_valid_lg_code(code: str) -> bool:
    """True when ``code`` is six digits whose last digit is the JIS X 0402 check digit."""
    try:
        _require_digits(code, 6)
    except CheckDigitError:
        return False
    return lg_code_check_digit(code[:5]) == int(code[5])


# Weights from the rightmost base digit (zip stops at the shorter of digits and weights).
_M11_WEIGHTS = (2, 3, 4, 5, 6, 7) * 3
_WEIGHTS_6_2 = tuple(n + 1 if n <= 6 else n - 5 for n in range(1, 12))


def _weighted(base: str, weights: tuple[int, ...]) -> int:
    """Σ digit × weight, digits taken from the right, for a base of ASCII digits.

    Computed over the bytes (code point − 48 is the digit) with map in C and no int() per
    digit: this runs several times per imported row.
    """
    return sum(map(mul, base[::-1].encode(), weights)) - 48 * sum(weights[: len(base)])


def m11_check_digit(base: str) -> int:
    """Modulus 11, weights 2–7 (M11W2～7) for 宛名番号 and 世帯番号.

    Weights 2, 3, 4, 5, 6, 7, 2, 3, … from the rightmost base digit; check = 11 − (S mod 11),
    and 0 when the remainder is 0 or 1 (住民記録システム標準仕様書 §1.1.13; docs/reference/contract.md#resident-csv
    layout).
    """
    _require_digits(base, max_length=14)
    return _m11(base)


def _m11(base: str) -> int:
    r = _weighted(base, _M11_WEIGHTS) % 11
    return 0 if r <= 1 else 11 - r


def is_valid_m11(number: str) -> bool:
    """True for a 宛名番号/世帯番号 of 2–15 digits whose last digit is its M11 check digit."""
    if not (isinstance(number, str) and 2 <= len(number) <= 15 and number.isascii() and number.isdigit()):
        return False
    return _m11(number[:-1]) == ord(number[-1]) - 48


def with_m11(base: str) -> str:
    """``base`` followed by its M11 check digit (used when issuing new numbers)."""
    return f"{base}{m11_check_digit(base)}"


def _mod11_weighted_6_2(base: str, length: int) -> int:
    # Pn = n-th digit from the right, Qn = n+1 for n <= 6, n-5 for n >= 7;
    # check = 11 - (sum mod 11), 0 when the remainder is 0 or 1.
    _require_digits(base, length)
    return _mod11_6_2(base)


def _mod11_6_2(base: str) -> int:
    r = _weighted(base, _WEIGHTS_6_2) % 11
    return 0 if r <= 1 else 11 - r


def my_number_check_digit(base11: str) -> int:
    """Check digit of a 個人番号 (総務省令第85号 (平成26年) 第5条)."""
    return _mod11_weighted_6_2(base11, 11)


def is_valid_my_number(number: str) -> bool:
    """True for a 12-digit 個人番号 whose last digit is its check digit."""
    if not (isinstance(number, str) and len(number) == 12 and number.isascii() and number.isdigit()):
        return False
    return _mod11_6_2(number[:11]) == ord(number[11]) - 48


def juminhyo_code_check_digit(base10: str) -> int:
    """Check digit of a 住民票コード: the same mod-11 scheme as 個人番号 over 10 digits.

    住民基本台帳法施行規則第1条 leaves the formula to a 総務大臣告示; docs/reference/common-facts.md §10.2 marks
    this reading [unverified] — it is isolated here so that one change fixes it everywhere.
    """
    return _mod11_weighted_6_2(base10, 10)


def is_valid_juminhyo_code(code: str) -> bool:
    """True for an 11-digit 住民票コード whose last digit is its check digit."""
    if not (isinstance(code, str) and len(code) == 11 and code.isascii() and code.isdigit()):
        return False
    return _mod11_6_2(code[:10]) == ord(code[10]) - 48
