"""The order of the names in a 戸籍 (戸籍法14条, civil-facts §3.1).

At 編製 the 筆頭者 (the spouse whose 氏 the couple took) comes first, then the 配偶者, then the
children in birth order (「出生の前後による」, 14条1項・2項). Anyone who enters after the 戸籍 was
made is written at the end (14条3項), in the order they entered — a child born later goes after
an older child who entered by 入籍 earlier. Nobody moves once written: a 除籍 leaves the name
in its place (the 筆頭者 stays 筆頭者 after death, civil-facts §3.1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from yakuba.koseki.codes import Role

_RANK = {Role.HEAD: 0, Role.SPOUSE: 1, Role.CHILD: 2}


@dataclass(frozen=True)
class Entrant:
    """A person written into a 戸籍 when it is made (``key`` is the caller's handle)."""

    key: str
    role: Role
    birth_date: date


def formation_order(entrants: Iterable[Entrant], *, moved: bool = False) -> list[str]:
    """The keys of the people of a new 戸籍 in their statutory order (14条1項・2項). ``moved``: a
    戸籍 moved here by 転籍 carries only those still in it — its 筆頭者 may have died or left (the
    戸籍 keeps their name as 筆頭者, civil-facts §3.1)."""
    people = list(entrants)
    heads = [p for p in people if p.role == Role.HEAD]
    spouses = [p for p in people if p.role == Role.SPOUSE]
    if len(heads) > 1 or (len(heads) == 0 and not moved) or len(spouses) > 1:
        raise ValueError("戸籍には筆頭者が1人、配偶者は1人までです")
    return [p.key for p in sorted(people, key=lambda p: (_RANK[p.role], p.birth_date))]


def next_position(positions: Iterable[int]) -> int:
    """The place of a later entrant: after everyone already written (14条3項)."""
    return max(positions, default=0) + 1


_DIGITS = "一二三四五六七八九"


def _kanji_number(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens - 1] + "十")) + (
        _DIGITS[ones - 1] if ones else ""
    )


def child_relationship(male: bool, nth: int) -> str:
    """The 続柄 of a child: 長男, 二男, 三男 … / 長女, 二女 … by their rank among the children of
    the same sex of the same parents (for a 嫡出でない子, of the mother; 平成16年 法務省民事局長
    通達: they too are 長男/長女, no longer 「男」「女」)."""
    if nth < 1:
        raise ValueError("nth starts at 1")
    return ("長" if nth == 1 else _kanji_number(nth)) + ("男" if male else "女")
