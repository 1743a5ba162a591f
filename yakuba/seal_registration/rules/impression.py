"""What the seal must be (civil-facts §2.2, the refusals of a typical 条例: 板橋区, 北見市, 三田市).

- It shows the 氏名, 氏 or 名 as recorded in the 住民基本台帳, or parts of them; the 旧氏 and the
  通称 where the registry records them (item 1). The 氏名 written in kana (its reading, the
  registry's フリガナ, in hiragana or katakana) is accepted where the 条例 does, as most do
  (``Ordinance.kana_allowed``; 佐久市 refuses it: http://paperzz.com/doc/6043113/). The forms accepted here are 氏, 名, 氏+名, 旧氏,
  旧氏+名 and the 通称 with its own 氏/名 parts; a trailing 「之印」 or 「印」 is accepted (many
  条例 still allow it, item 2).
- It shows no 職業, 資格 or other matter besides the name (item 2).
- It is not a ゴム印 or another seal that deforms easily (item 3).
- Its impression neither fits inside an 8 mm square nor overflows a 25 mm one (item 4): given as
  the impression's measured width and height. A 条例 worded 「8mm以上25mm以下」 accepts exactly
  8 mm (civil-facts §0 item 4: ``Ordinance.min_mm_allowed``).
- It is not the same seal as, nor very like, one a 同一世帯員 registered (item 6): the same image
  or the same characters within ``Ordinance.alike_mm`` in both dimensions.

The legibility tests of item 5 (rim chipped, 逆さ彫り) and a seal mixing kanji and kana are the
clerk's eye on the impression, not rules here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from yakuba.seal_registration.rules.applicant import Refusal
from yakuba.seal_registration.rules.ordinance import DEFAULT, Ordinance

NOT_NAME = "印影が住民票の氏名、氏、名（旧氏・通称を含む）又はその一部を表していません"
OTHER_MATTER = "印影に職業、資格その他氏名以外の事項が含まれています"
DEFORMABLE = "ゴム印その他の印影が変化しやすい印鑑は登録できません"
TOO_SMALL = "印影が一辺{mm}mmの正方形に収まる大きさです（小さすぎます）"
BELOW_MIN = "印影の大きさが{mm}mm未満です（小さすぎます）"
TOO_LARGE = "印影が一辺{mm}mmの正方形に収まらない大きさです（大きすぎます）"
BAD_SIZE = "印影の大きさ（mm）を正しく入力してください"
SAME_AS_HOUSEHOLD = "同じ世帯の方が登録している印鑑と同一又は類似の印鑑は登録できません"

_SUFFIXES = ("之印", "印")


@dataclass(frozen=True)
class Seal:
    """A seal as the clerk records it: the characters its impression shows (as read), its
    measured width and height, whether it is rubber or otherwise deformable, the image's hash."""

    text: str
    width_mm: Decimal
    height_mm: Decimal
    deformable: bool = False
    digest: str = ""


@dataclass(frozen=True)
class Name:
    """The registrant's names as the registry records them: 氏名 (氏 and 名 separated by a space),
    旧氏, 通称, and the フリガナ of the 氏名 and of the 旧氏."""

    name: str
    former_surname: str = ""
    alias: str = ""
    kana: str = ""
    former_surname_kana: str = ""


def _plain(text: str) -> str:
    """Compared without spaces and with full-width Latin and digits folded (NFKC)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _fold(text: str) -> str:
    """``_plain`` with hiragana as katakana: a seal in either kana reads the same."""
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in _plain(text))


def _parts(name: str) -> set[str]:
    """氏, 名 and 氏+名 of a name written 「氏 名」 (a name without a space is one part)."""
    words = unicodedata.normalize("NFKC", name).split()
    if not words:
        return set()
    return {_fold(name), _fold(words[0]), _fold("".join(words[1:]))} - {""}


def _with_former(name: str, former: str) -> set[str]:
    """旧氏 and 旧氏+名 (item 1) of ``name`` when ``former`` is recorded."""
    if not former.strip():
        return set()
    given = "".join(unicodedata.normalize("NFKC", name).split()[1:])
    return {_fold(former), _fold(former + given)}


def name_forms(name: Name, *, kana: bool = True) -> set[str]:
    """Every form of the name a seal may show (item 1), folded (``_fold``); with ``kana`` the
    readings too."""
    forms = _parts(name.name) | _parts(name.alias) | _with_former(name.name, name.former_surname)
    if kana:
        forms |= _parts(name.kana) | _with_former(name.kana, name.former_surname_kana)
    return forms


def _stem(text: str) -> str:
    plain = _fold(text)
    for suffix in _SUFFIXES:
        if plain.endswith(suffix) and len(plain) > len(suffix):
            return plain.removesuffix(suffix)
    return plain


def shows_name(text: str, name: Name, *, kana: bool = True) -> bool:
    """The seal shows one of the name's forms and nothing else (items 1 and 2); ``kana``: its
    reading in kana counts (a registration's seal keeps counting it after a name change)."""
    forms = name_forms(name, kana=kana)
    return _fold(text) in forms or _stem(text) in forms


def _name_refusal(text: str, name: Name, kana: bool) -> Refusal | None:
    if shows_name(text, name, kana=kana):
        return None
    folded = _fold(text)
    if any(form in folded for form in name_forms(name, kana=kana)):
        return ("text", OTHER_MATTER)
    return ("text", NOT_NAME)


def alike(a: Seal, b: Seal, ordinance: Ordinance = DEFAULT) -> bool:
    """The same seal, or one very like it (item 6)."""
    if a.digest and a.digest == b.digest:
        return True
    return (
        _plain(a.text) == _plain(b.text)
        and abs(a.width_mm - b.width_mm) <= ordinance.alike_mm
        and abs(a.height_mm - b.height_mm) <= ordinance.alike_mm
    )


def _mm(value: Decimal) -> str:
    """A length as the 条例 writes it: 20, 8.5 (a setting read back from the table is 20.0)."""
    return f"{value.normalize():f}"


def check_seal(
    seal: Seal, name: Name, household: Iterable[Seal] = (), ordinance: Ordinance = DEFAULT
) -> list[Refusal]:
    """Every reason the seal may not be registered for the person (empty: it may)."""
    refusals: list[Refusal] = []
    refusal = _name_refusal(seal.text, name, ordinance.kana_allowed)
    if refusal:
        refusals.append(refusal)
    if seal.deformable:
        refusals.append(("deformable", DEFORMABLE))
    if min(seal.width_mm, seal.height_mm) <= 0:
        refusals.append(("size", BAD_SIZE))
    elif ordinance.min_mm_allowed and max(seal.width_mm, seal.height_mm) < ordinance.min_mm:
        refusals.append(("size", BELOW_MIN.format(mm=_mm(ordinance.min_mm))))
    elif not ordinance.min_mm_allowed and max(seal.width_mm, seal.height_mm) <= ordinance.min_mm:
        refusals.append(("size", TOO_SMALL.format(mm=_mm(ordinance.min_mm))))
    elif max(seal.width_mm, seal.height_mm) > ordinance.max_mm:
        refusals.append(("size", TOO_LARGE.format(mm=_mm(ordinance.max_mm))))
    if any(alike(seal, other, ordinance) for other in household):
        refusals.append(("seal", SAME_AS_HOUSEHOLD))
    return refusals
