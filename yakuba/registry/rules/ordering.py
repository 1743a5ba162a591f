"""世帯員の並び順 — 住民記録システム標準仕様書 第3章 §5.2 (and the tie rule of §1.1.11).

§5.2 orders the members of a 世帯 on a 世帯連記式 住民票の写し:

第1順位  1-1 世帯主 → 1-2 配偶者 → 1-3 世帯主の子 (except those of 第2順位), by 生年月日 then 宛名番号
第2順位  families of the 世帯主's children (準婚を含む): per family 2-1 the child → 2-2 the child's
         配偶者 → 2-3 the child's children (生年月日, 宛名番号); families ordered by the child's
         生年月日 (then 宛名番号)
第3順位  3-1 父母 → 3-2 兄弟姉妹 → 3-3 祖父母 (筆頭者 first, otherwise 生年月日, 宛名番号)
第4順位  4-1 親族 → 4-2 縁故者 → 4-3 同居人 (生年月日, 宛名番号); 親族 not in 第3順位 (e.g. the
         配偶者's 父母・兄弟姉妹・祖父母) are ordered "as in 第3順位"

What a 続柄 string alone cannot tell, and how this module decides
-----------------------------------------------------------------
* Which 「子」 has a family in the 世帯 (and so moves from 1-3 to 2-1), and which family a 「子の妻」
  or 「子の子」 belongs to.  Callers that know it pass ``family_of=(生年月日, 宛名番号)`` of the
  世帯主's child heading that family (that child passes its own).  Without it, 「子」 stays in
  1-3 and the other 第2順位 members are ordered by 世代 (links, counted mechanically as §1.1.11
  defines), then role (配偶者 before 子), then 生年月日, then 宛名番号.  Members with an unknown
  family sort after the identified families.
* Who is 筆頭者 among 父母/祖父母.  Callers pass ``hittosha=True``; otherwise 生年月日 decides.
* The order of 4-1 親族.  §5.2 says 生年月日, "ordered as in 第3順位" for the 配偶者's relatives, and
  families of 親族 "by the 親族's 世代".  We order 4-1 by 世代, then the kind of the last link
  (父母 → 兄弟姉妹 → 配偶者 → 子), then 生年月日, then 宛名番号: 妻の父・妻の母 → 妻の兄弟姉妹 →
  妻の祖父母 (3 世代) mirrors 第3順位, and 兄の妻 → 兄の子 mirrors 第2順位.
* 宛名番号 order is numeric when the number is all digits (so 99 < 100), else textual.  A missing
  生年月日 (``None``) sorts after known dates.
* The canonical 続柄 is the final tie-break so that the key is a total order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, NamedTuple, TypeVar

from yakuba.registry.rules.relationship import (
    BASE_TERMS,
    CHILD_SPOUSE_TERMS,
    COHABITANT,
    HEAD,
    RELATIVE_BY_CUSTOM,
    SPOUSE_TERMS,
    links,
    validate_relationship,
)

__all__ = [
    "OrderFields",
    "household_order_key",
    "member_fields",
    "preferred",
    "rank",
    "sort_members",
]

T = TypeVar("T")

_PARENTS = frozenset({"父", "母"})
_SIBLINGS = frozenset({"兄", "姉", "弟", "妹"})
_GRANDPARENTS = frozenset({"父の父", "父の母", "母の父", "母の母"})
_CHILD = "子"
# Links that keep a chain inside "the 世帯主's child's family" (夫婦とその子の一団).
_FAMILY_LINKS = SPOUSE_TERMS | CHILD_SPOUSE_TERMS | {_CHILD}


class _Rank(NamedTuple):
    group: int  # 第1〜第4順位
    sub: int  # 1-1, 1-2, … within the group (0-based)
    generation: int  # 世代, only where it orders (第2順位, 4-1 親族)
    role: int  # 配偶者 before 子 (第2順位); last-link kind (4-1 親族)


def _last_link_kind(last: str) -> int:
    # 父母 → 兄弟姉妹 → 配偶者 → 子, i.e. 第3順位 order, then 第2順位 order.
    if last in _PARENTS:
        return 0
    if last in _SIBLINGS:
        return 1
    if last in SPOUSE_TERMS:
        return 2
    return 3


def _is_child_family(chain: tuple[str, ...]) -> bool:
    """Members of a 世帯主の子's family (第2順位): 子, 子（子の夫/妻）, 子の妻, 子の子, 子の子の妻, …"""
    return bool(chain) and chain[0] in {_CHILD, *CHILD_SPOUSE_TERMS} and set(chain[1:]) <= _FAMILY_LINKS


def rank(relationship: str, *, in_child_family: bool = False) -> tuple[int, int, int, int]:
    """The §5.2 position of a 続柄, ignoring 生年月日/宛名番号: ``(group, sub, generation, role)``.

    ``in_child_family`` moves a plain 「子」 to 第2順位 (2-1), for a child whose family is in the 世帯.
    """
    canonical = validate_relationship(relationship)
    if canonical == HEAD:
        return _Rank(1, 0, 0, 0)
    if canonical in SPOUSE_TERMS:
        return _Rank(1, 1, 0, 0)
    if canonical == RELATIVE_BY_CUSTOM:
        return _Rank(4, 1, 0, 0)
    if canonical == COHABITANT:
        return _Rank(4, 2, 0, 0)
    if canonical == _CHILD and not in_child_family:
        return _Rank(1, 2, 0, 0)
    chain = links(canonical)
    if _is_child_family(chain):
        generation = len(chain)
        if generation == 1:
            # 2-1 the 世帯主の子 heading the family, then a 子（子の夫/妻） as its 配偶者 (2-2).
            role = 0 if canonical == _CHILD else 1
        else:
            # 2-2 配偶者 before 2-3 子, generation by generation.
            role = 1 if chain[-1] == _CHILD else 0
        return _Rank(2, 0, generation, role)
    if canonical in _PARENTS:
        return _Rank(3, 0, 0, 0)
    if canonical in _SIBLINGS:
        return _Rank(3, 1, 0, 0)
    if canonical in _GRANDPARENTS:
        return _Rank(3, 2, 0, 0)
    return _Rank(4, 0, len(chain), _last_link_kind(chain[-1]))


def _birth_key(birth: date | None) -> tuple[int, date]:
    return (0, birth) if birth is not None else (1, date.min)


def _atena_key(atena_no: str | None) -> tuple[int, int, str]:
    text = unicodedata.normalize("NFKC", atena_no or "").strip()
    if text.isascii() and text.isdigit():
        return (0, int(text), text)
    return (1, 0, text)


def household_order_key(
    relationship: str,
    birth_sort_date: date | None,
    atena_no: str,
    family_of: tuple[date | None, str] | None = None,
    hittosha: bool = False,
) -> tuple:
    """Sort key placing a 世帯員 where 住民記録システム標準仕様書 §5.2 puts them.

    ``birth_sort_date`` is the 生年月日 as a sortable date (不詳日 already mapped by the caller);
    ``family_of`` is ``(生年月日, 宛名番号)`` of the 世帯主の子 whose family (第2順位) this member
    belongs to; ``hittosha`` marks the 筆頭者 among 父母/祖父母 (3-1, 3-3).  Raises
    :class:`RelationshipError` for a 続柄 that §1.1.11 does not allow, and :class:`ValueError` when
    ``family_of`` is given for a member who cannot be in a child's family.
    """
    canonical = validate_relationship(relationship)
    rnk = rank(canonical, in_child_family=family_of is not None)
    if family_of is not None and rnk.group != 2:
        raise ValueError(f"family_of is only meaningful for 第2順位 members, not {canonical!r}")
    if rnk.group == 2:
        if family_of is None:
            family = (1, _birth_key(None), _atena_key(""))
        else:
            family = (0, _birth_key(family_of[0]), _atena_key(family_of[1]))
    else:
        family = (0, _birth_key(None), _atena_key(""))
    hitto = 0 if hittosha and (rnk.group, rnk.sub) in {(3, 0), (3, 2)} else 1
    return (
        rnk.group,
        rnk.sub,
        family,
        rnk.generation,
        rnk.role,
        hitto,
        _birth_key(birth_sort_date),
        _atena_key(atena_no),
        canonical,
    )


class OrderFields(NamedTuple):
    """What :func:`sort_members` needs from a member (the arguments of :func:`household_order_key`)."""

    relationship: str
    birth_sort_date: date | None
    atena_no: str
    family_of: tuple[date | None, str] | None = None
    hittosha: bool = False


def member_fields(member: Any) -> OrderFields:
    """Default field accessor: a mapping or an object with ``relationship``, ``birth_sort_date``,
    ``atena_no`` and optionally ``family_of`` / ``hittosha``."""
    if isinstance(member, Mapping):
        get = member.get
    else:

        def get(name: str, default: Any = None) -> Any:
            return getattr(member, name, default)

    return OrderFields(
        get("relationship"),
        get("birth_sort_date"),
        get("atena_no"),
        get("family_of", None),
        bool(get("hittosha", False)),
    )


def sort_members(members: Iterable[T], key: Callable[[T], tuple] = member_fields) -> list[T]:
    """Members in 住民記録システム標準仕様書 §5.2 order.

    ``key`` maps a member to ``(relationship, birth_sort_date, atena_no[, family_of[, hittosha]])``.
    The sort is stable; with distinct 宛名番号 the result does not depend on the input order.
    """
    return sorted(members, key=lambda member: household_order_key(*key(member)))


def preferred(*spellings: str) -> str:
    """Of several 続柄 that all describe the same person, the one §1.1.11 says to record.

    §1.1.11 留意点: "if several spellings are possible, use the one ranking highest in the §5.2
    order" (例: someone who is both 父の兄の子 and 妻 → 「妻」).  Every spelling must be valid.
    Ties within one §5.2 position are broken by the ② term order, then the spelling itself.
    Exception: 「子」 together with 「子の夫」/「子の妻」 gives the ② term made for exactly that person,
    「子（子の夫）」/「子（子の妻）」 (plain 「子」 would otherwise win as 1-3).
    """
    if not spellings:
        raise ValueError("preferred() needs at least one 続柄")
    canonical = {validate_relationship(s) for s in spellings}
    # A 子 who is also a child's 配偶者 has a dedicated ② term; it beats both partial spellings.
    for compound, partial in (("子（子の夫）", "子の夫"), ("子（子の妻）", "子の妻")):
        if _CHILD in canonical and (partial in canonical or compound in canonical):
            canonical -= {_CHILD, partial}
            canonical.add(compound)

    def term_order(rel: str) -> tuple[int, ...]:
        return tuple(BASE_TERMS.index(link) for link in links(rel))

    return min(canonical, key=lambda rel: (rank(rel), term_order(rel), rel))
