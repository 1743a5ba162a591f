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
    stays: bool = False  # nobody moves (the person keeps their 戸籍 and 氏)
    for_couple: bool = False  # the new 戸籍 is the person's and their spouse's (20条)


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


def adoption(
    adoptee_role: Role, adoptee_married: bool, in_adopters_koseki: bool, adopter_role: Role
) -> Placement:
    """養子縁組: the 養子 takes the 養親's 氏 (民法810条) and enters the 養親's 戸籍 (戸籍法18条3項) —
    unless they took their spouse's 氏 at marriage and keep it while married (810条ただし書: they
    stay), or are in that 戸籍 already (a spouse's child who entered it). A married 養子 who is
    筆頭者 takes the new 氏 with their spouse: a new 戸籍 for the couple (20条). A 養親 who is a
    child of their own parents' 戸籍 gets a new 戸籍 first (17条: no three generations)."""
    if (adoptee_married and adoptee_role == Role.SPOUSE) or in_adopters_koseki:
        return Placement(False, "養子は戸籍を変動しない（民法810条ただし書、又は同籍）", stays=True)
    if adoptee_married:
        return Placement(True, "養子夫婦について新戸籍を編製する（戸籍法20条）", for_couple=True)
    if adopter_role not in (Role.HEAD, Role.SPOUSE):
        return Placement(True, "三代戸籍となるため、養親について新戸籍を編製する（戸籍法17条）")
    return Placement(False, "養親の戸籍に入る（戸籍法18条3項）")


def dissolution(
    restores_surname: bool, married_head: bool, restore_former: bool, former_open: bool
) -> Placement:
    """養子離縁: the 養子 returns to their former 氏 (民法816条1項) and 戸籍 (戸籍法19条1項本文) — a
    new 戸籍 when they ask, that 戸籍 is closed (ただし書) or they keep the adoptive 氏 (19条3項);
    a married 筆頭者 makes a new 戸籍 with their spouse (20条). No 氏 to restore (they never took
    it, or one of two 養親 remains: 816条1項ただし書) → nobody moves."""
    if not restores_surname:
        return Placement(False, "氏が変わらないため戸籍は変動しない（民法816条1項ただし書）", stays=True)
    if married_head:
        return Placement(True, "夫婦について新戸籍を編製する（戸籍法20条）", for_couple=True)
    if restore_former and former_open:
        return Placement(False, "縁組前の戸籍に復籍する（戸籍法19条1項本文）")
    return Placement(True, "新戸籍を編製する（戸籍法19条1項ただし書・3項）")
