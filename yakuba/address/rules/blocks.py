"""番地 ranges: whether a 番地・号 can exist in its 町字.

A municipality's 住所辞書 records, per 町字, the range of 街区符号 (住居表示) or 地番 that exist
(docs/address.md, "番地の範囲"). The first number of the 番地・号 is the one checked — 「3番46号」
→ 3, 「123番地1」 → 123, 「三番四十六号」 → 3. A 番地・号 that starts without a number (a 小字 or
a building name first) is not checked: only a number that is there can be out of range.
"""

from __future__ import annotations

import re
import unicodedata

_LEADING = re.compile(r"^\s*([0-9]+|[〇一二三四五六七八九十百千]+)")
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}


def _kanji_number(text: str) -> int:
    """「四十六」→46, 「百二」→102, 「二〇五」→205 (positional digits are read as such)."""
    if not any(c in _KANJI_UNITS for c in text):
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    total, digit = 0, 0
    for c in text:
        if c in _KANJI_UNITS:
            total += (digit or 1) * _KANJI_UNITS[c]
            digit = 0
        else:
            digit = _KANJI_DIGITS[c]
    return total + digit


def block_number(block: str) -> int | None:
    """The 街区符号 or 地番 a 番地・号 starts with; None if it does not start with a number."""
    found = _LEADING.match(unicodedata.normalize("NFKC", block))
    if found is None:
        return None
    text = found.group(1)
    return int(text) if text.isdigit() else _kanji_number(text)


def check_block(block: str, lowest: int | None, highest: int | None) -> str | None:
    """The clerk's message when the 番地 is outside the 町字's range; None when it may exist."""
    return block_range_problem(block_number(block), lowest, highest)


def block_range_problem(number: int | None, lowest: int | None, highest: int | None) -> str | None:
    """``check_block`` for a number already read (``block_number``): a bulk load reads it once
    per row as it stages the rows, then checks them all in one statement."""
    if number is None or (lowest is None and highest is None):
        return None
    if (lowest is not None and number < lowest) or (highest is not None and number > highest):
        span = f"{lowest if lowest is not None else ''}〜{highest if highest is not None else ''}"
        return f"番地 {number} はこの町字の範囲（{span}）にありません"
    return None
