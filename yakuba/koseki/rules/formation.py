"""Which 戸籍 a person enters: one 戸籍 per couple and their children of the same 氏 (戸籍法6条),
never three generations (17条), a new 戸籍 on 婚姻 unless the spouse whose 氏 they take is
already 筆頭者 (16条) — civil-facts §3.1.

The rules take only what they decide on (a person's place in their current 戸籍) and answer
with a ``Placement``; the door writes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from yakuba.koseki.codes import Role


@dataclass(frozen=True)
class Placement:
    """``new_koseki``: a new 戸籍 is made for ``head`` (the parent or spouse named by the caller);
    otherwise the person enters the 戸籍 the caller named."""

    new_koseki: bool
    reason: str


def marriage(taking_spouse_role: Role | None) -> Placement:
    """婚姻 (16条1項・2項): ``taking_spouse_role`` is the role, in their current 戸籍, of the spouse
    whose 氏 the couple takes (None for one not in a 戸籍 of this town, e.g. from a 届書 only).
    Already 筆頭者 → the other spouse enters that 戸籍; anyone else → a new 戸籍 for the couple with
    that spouse as 筆頭者. (A Japanese national marrying a foreigner: 16条3項 — same test.)"""
    if taking_spouse_role == Role.HEAD:
        return Placement(
            False, "婚姻の際に氏を改めなかった者が筆頭者である戸籍に入る（戸籍法16条1項ただし書）"
        )
    return Placement(True, "夫婦について新戸籍を編製する（戸籍法16条1項）")


def child(parent_role: Role) -> Placement:
    """A child entering the 戸籍 of the parent whose 氏 they take — by 出生 (18条: 嫡出子 the parents',
    嫡出でない子 the mother's) or 入籍 (98条). When that parent is neither 筆頭者 nor 配偶者 (a child
    of their own parents' 戸籍), the child would make three generations: a new 戸籍 is made for the
    parent and the child enters it (17条)."""
    if parent_role in (Role.HEAD, Role.SPOUSE):
        return Placement(False, "父母（又は親）の戸籍に入る（戸籍法18条・98条）")
    return Placement(True, "三代戸籍となるため、親について新戸籍を編製する（戸籍法17条）")


def divorce(restore_former: bool, former_open: bool) -> Placement:
    """離婚: the spouse who took the other's 氏 returns to their former 氏 (民法767条1項) and to the
    戸籍 they came from (19条1項本文), or to a new 戸籍 when they ask for one or that 戸籍 has been
    closed (19条1項ただし書). ``restore_former`` False: they ask for a new 戸籍 (or keep the
    married 氏 by the 婚氏続称 of 民法767条2項, which always makes a new 戸籍, 19条3項)."""
    if restore_former and former_open:
        return Placement(False, "婚姻前の戸籍に復籍する（戸籍法19条1項本文）")
    return Placement(True, "新戸籍を編製する（戸籍法19条1項ただし書・3項）")
