"""Katakana handling for フリガナ and name search keys.

Two different jobs, kept apart on purpose:

* storage — :func:`to_katakana_fullwidth` and :func:`is_katakana_name` produce and check the
  フリガナ as it is stored and printed: full-width katakana, nothing else changed;
* search — :func:`kana_search_key` and :func:`name_search_key` build lossy keys that are
  stored next to the name and compared with the key of what the clerk typed. A key is
  never displayed and never replaces the stored name.

Stored names are never Unicode-normalized: NFC/NFKC silently replace most CJK
compatibility ideographs (U+F900–U+FAFF, e.g. U+FA19 神 → U+795E 神), which would change a
registered 氏名 character. Only the keys are normalized.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "is_katakana_name",
    "kana_search_key",
    "name_search_key",
    "to_katakana_fullwidth",
]

_VOICED = "\u3099"  # combining dakuten
_SEMI_VOICED = "\u309a"  # combining handakuten
_SPACING_MARKS = {"\u309b": _VOICED, "\u309c": _SEMI_VOICED}  # ゛ ゜
_IDEOGRAPHIC_SPACE = "\u3000"


def _hira_to_kata(ch: str) -> str:
    # ぁ..ゖ (U+3041–U+3096) and ゝゞ map to katakana at a fixed distance of 0x60.
    code = ord(ch)
    if 0x3041 <= code <= 0x3096 or code in (0x309D, 0x309E):
        return chr(code + 0x60)
    return ch


# The same mapping as a translate table (search keys are computed for every imported row).
_HIRA_TO_KATA = {code: code + 0x60 for code in (*range(0x3041, 0x3097), 0x309D, 0x309E)}


def to_katakana_fullwidth(text: str) -> str:
    """Normalize a フリガナ for storage: full-width katakana with one full-width space.

    * half-width katakana become full-width, joining a following ﾞ/ﾟ into one character
      (``ｱｲﾂﾞﾜｶﾏﾂ`` → ``アイヅワカマツ``, ``ｳﾞ`` → ``ヴ``, ``ｰ`` → ``ー``, ``･`` → ``・``);
    * hiragana become katakana (``さいとう`` → ``サイトウ``, ``ゔ`` → ``ヴ``);
    * a separate ゛/゜ after a kana that can carry it is joined (``カ゛`` → ``ガ``);
    * any run of spaces (ASCII, full-width, tabs) becomes one full-width space, leading and
      trailing spaces are removed: the surname/given-name separator is printed full-width.

    Everything else (kanji, latin letters, digits) is left unchanged so that
    :func:`is_katakana_name` can reject it rather than have it silently altered.
    """
    out: list[str] = []
    for ch in text:
        if "\uff61" <= ch <= "\uff9f":  # half-width katakana block
            ch = unicodedata.normalize("NFKC", ch)
        else:
            ch = _SPACING_MARKS.get(ch, _hira_to_kata(ch))
        if ch in (_VOICED, _SEMI_VOICED):
            if out:
                # Compose only this pair: NFC over the whole text would alter compatibility
                # ideographs that happen to be in the input.
                joined = unicodedata.normalize("NFC", out[-1] + ch)
                if len(joined) == 1:
                    out[-1] = joined
                    continue
            ch = "\u309b" if ch == _VOICED else "\u309c"
        out.append(ch)
    return re.sub(r"\s+", _IDEOGRAPHIC_SPACE, "".join(out)).strip()


# One or more parts of full-width katakana (ァ..ヺ) and ー, separated by a single space
# (full-width or ASCII) or ・; a part cannot start with ー.
KATAKANA_NAME_PATTERN = r"[ァ-ヺ][ァ-ヺー]*(?:[ \u3000・][ァ-ヺ][ァ-ヺー]*)*"
_KATAKANA_NAME_RE = re.compile(KATAKANA_NAME_PATTERN)


def is_katakana_name(text: str) -> bool:
    """True when ``text`` is an acceptable stored フリガナ.

    Allowed: full-width katakana (including small kana and ヴ/ヷ–ヺ), the long vowel mark
    ``ー``, and single separators between parts — a full-width or ASCII space between surname
    and given name, ``・`` between the parts of a foreign name (``スミス・ジョン``).
    Rejected: empty text, kanji, hiragana, half-width katakana, latin letters, digits,
    leading/trailing/doubled separators and a part starting with ``ー``. Run
    :func:`to_katakana_fullwidth` on input first.
    """
    return isinstance(text, str) and _KATAKANA_NAME_RE.fullmatch(text) is not None


_SMALL_TO_LARGE = str.maketrans(
    "ァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ",
    "アイウエオツヤユヨワカケクシストヌハヒフヘホムラリルレロ",
)
# Archaic kana are pronounced (and therefore typed) like their modern counterparts.
_ARCHAIC = str.maketrans("ヰヱヲ", "イエオ")
_KEY_DROP_RE = re.compile(r"[\s・ー]+")


def kana_search_key(text: str) -> str:
    """Search key for a フリガナ: ``ｻｲﾄｳ``, ``さいとう``, ``ザイトウ`` all give ``サイトウ``.

    Steps (order matters for idempotence):

    1. NFKC — half-width katakana → full-width (with ﾞ/ﾟ joined), full-width ASCII → ASCII;
    2. hiragana → katakana;
    3. remove spaces, ``・`` and the long vowel mark ``ー``;
    4. remove 濁点/半濁点 (``ガ`` → ``カ``, ``パ`` → ``ハ``, ``ヴ`` → ``ウ``);
    5. small kana → large (``ァ`` → ``ア``, ``ッ`` → ``ツ``, ``ャ`` → ``ヤ``, ``ヮ`` → ``ワ``,
       ``ヵ`` → ``カ``, ``ヶ`` → ``ケ``) and archaic ``ヰヱヲ`` → ``イエオ``;
    6. NFC.

    This follows the usual municipal practice of ignoring 濁点, small kana and long vowels,
    because what a clerk hears or reads on a form varies exactly in those respects.

    Long vowels: ``ー`` is dropped, not replaced by a vowel, so ``サイトー`` gives ``サイト``
    while ``サイトウ`` gives ``サイトウ`` — the keys are *not* equal. A prefix search with
    ``サイトー`` still finds ``サイトウ`` (``サイト`` is its prefix). Making them equal
    would require dropping the ウ/オ that lengthens a vowel, which merges distinct common
    names (ユウキ/ユキ, オオノ/オノ, コウノ/コノ) and makes the key unpredictable; Japanese
    フリガナ are registered with ウ anyway, ``ー`` occurs mostly in foreign names.
    """
    s = unicodedata.normalize("NFKC", text).translate(_HIRA_TO_KATA)
    s = _KEY_DROP_RE.sub("", s)
    s = unicodedata.normalize("NFD", s).replace(_VOICED, "").replace(_SEMI_VOICED, "")
    s = s.translate(_SMALL_TO_LARGE).translate(_ARCHAIC)
    return unicodedata.normalize("NFC", s)


_VARIATION_SELECTORS_RE = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def name_search_key(text: str) -> str:
    """Search key for a 氏名 written in kanji (or latin letters for foreign residents).

    NFKC, then remove all spaces (ASCII and full-width) and variation selectors (IVS, so that
    ``葛󠄀`` with U+E0100 matches ``葛``), then casefold (foreign residents' alphabetic names are
    registered in capitals; ``Smith`` finds ``SMITH``).

    NFKC does change kanji in one respect: CJK compatibility ideographs that have a
    canonical decomposition become the unified ideograph (U+FA19 神 → U+795E 神), which is
    what a search should do. The twelve compatibility-block characters that are unified
    ideographs in their own right — U+FA0E, FA0F, FA11, FA13, FA14, FA1F, FA21, FA23, FA24,
    FA27, FA28, FA29, among them U+FA11 ``﨑`` — have no decomposition and are kept, so
    ``﨑`` and ``崎`` do not match here; folding such 異体字 needs a variant table (e.g. the
    文字情報基盤 縮退マップ) and is not done by this function. Stored names are never changed.
    """
    s = unicodedata.normalize("NFKC", text)
    s = _VARIATION_SELECTORS_RE.sub("", s)
    s = re.sub(r"\s+", "", s)
    # NFKC again after casefold (the Unicode NFKC_Casefold recipe) keeps the key idempotent.
    return unicodedata.normalize("NFKC", s.casefold())
