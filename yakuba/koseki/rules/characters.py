"""Characters of a 戸籍 name, kept exactly as stored (civil-facts §3.5).

A 戸籍 name is written in 戸籍統一文字 / MJ characters: what Yakuba keeps is the exact sequence of
code points the clerk (or the file) gave, an ideographic variation sequence (a base character
followed by a variation selector, e.g. 葛 U+845B + U+E0100) included. Nothing here normalises:
NFC/NFKC would turn most CJK compatibility ideographs into their unified forms (U+FA19 神 →
U+795E) and a lost selector changes the glyph — a 住民記録 ↔ 附票 ↔ 戸籍 round trip must keep the
glyph identity. These functions only split and check.
"""

from __future__ import annotations

import unicodedata

Refusal = tuple[str, str]

BAD_SELECTOR = "異体字セレクタ（{code}）の前に漢字がありません"
BAD_CHARACTER = "氏名に使えない文字が含まれています（{code}）"


def _is_selector(character: str) -> bool:
    code = ord(character)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _is_ideograph(character: str) -> bool:
    return len(character) == 1 and unicodedata.name(character, "").startswith(
        ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")
    )


def code_points(text: str) -> str:
    """``"U+845B U+E0100"``: how a clerk checks what is stored, selector by selector."""
    return " ".join(f"U+{ord(c):04X}" for c in text)


def glyphs(text: str) -> list[str]:
    """The name split into what prints as one character: a base with its variation selector."""
    found: list[str] = []
    for character in text:
        if _is_selector(character) and found:
            found[-1] += character
        else:
            found.append(character)
    return found


def check_name(text: str, field: str) -> list[Refusal]:
    """Refusals for a name as typed: control or format characters, and a selector that does not
    follow an ideograph. Everything else is kept as given."""
    refusals: list[Refusal] = []
    previous = ""
    for character in text:
        if _is_selector(character):
            if not _is_ideograph(previous):
                refusals.append((field, BAD_SELECTOR.format(code=code_points(character))))
        elif unicodedata.category(character) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            refusals.append((field, BAD_CHARACTER.format(code=code_points(character))))
        previous = character
    return refusals
