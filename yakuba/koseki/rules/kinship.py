"""Who may adopt, be adopted, dissolve an adoption, acknowledge a child or leave a 戸籍 by 分籍 —
the 民法 and 戸籍法 conditions a 届書 is refused on (civil-facts §3.2: 養子縁組, 協議離縁, 認知 and
分籍 are 創設的届出, effective on 受理).

- 養子縁組: the 養親 is 20 or older (民法792条); nobody adopts an elder or a 尊属 (793条); a married
  person adopts a minor together with their spouse unless it is the spouse's child (795条), and
  otherwise needs the spouse's consent (796条); for a child under 15 the 法定代理人 consents
  (797条); a minor's adoption needs the 家庭裁判所's permission unless the child is a 直系卑属 of
  the 養親 or their spouse (798条).
- 離縁: the 養子 returns to their former 氏 (816条1項) unless only one of a couple of 養親 is left
  (1項ただし書); keeping the adoptive 氏 (縁氏続称) needs seven years of adoption (816条2項).
- 認知: a child who already has a father cannot be acknowledged (779条: 嫡出でない子 only); an
  adult child must consent (782条).
- 分籍: an adult (成年) who is neither 筆頭者 nor 配偶者 (戸籍法21条1項).
- 成年: 18 from 2022-04-01, 20 before (民法4条, 平成30年法律第59号).

The functions take only what they decide on and answer with refusals ``(field, message)``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from yakuba.platform.japanese.wareki import turns_age_on

Refusal = tuple[str, str]

ADOPTER_AGE = 20  # 民法792条 (unchanged by the 2022 成年 reform)
PROXY_BELOW = 15  # 民法797条
SEVEN_YEARS = 7  # 民法816条2項
ADULT_FROM = date(2022, 4, 1)  # 民法4条 as amended: 18

TOO_YOUNG_ADOPTER = "養親となる方は20歳に達していなければなりません（民法792条）: {name}"
ELDER = "尊属又は年長者を養子とすることはできません（民法793条）: {name}"
WITH_SPOUSE = "配偶者のある方が未成年者を養子とするには、配偶者とともにしなければなりません（民法795条）"
NEED_CONSENT = "配偶者のある方の縁組には、配偶者の同意が必要です（民法796条）"
NEED_PROXY = "15歳未満の方の縁組・離縁は、法定代理人が代わって届け出ます（民法797条・811条2項）。代諾者を記入してください"
NEED_COURT = "未成年者を養子とするには家庭裁判所の許可が必要です（民法798条。自己又は配偶者の直系卑属を除く）"
NOT_SEVEN_YEARS = "縁氏続称は縁組の日から7年を経過した後の離縁に限ります（民法816条2項）"
HAS_FATHER = "すでに父の記載がある子は認知できません（民法779条）"
NEED_CHILD_CONSENT = "成年の子の認知には、その子の承諾が必要です（民法782条）"
FATHER_YOUNGER = "父となる方が子より後に生まれています"
HEAD_OR_SPOUSE = "筆頭者及びその配偶者は分籍できません（戸籍法21条1項ただし書）"
NOT_ADULT = "分籍は成年に達した方に限ります（戸籍法21条1項）"


def adult_age(on: date) -> int:
    """The age of majority on ``on`` (民法4条: 18 from 2022-04-01, 20 before)."""
    return 18 if on >= ADULT_FROM else 20


def is_minor(birth: date, on: date) -> bool:
    return on < turns_age_on(birth, adult_age(on))


@dataclass(frozen=True)
class Adopter:
    name: str
    birth_date: date
    person_id: str
    spouse_id: str  # the spouse in their 戸籍 now ("" when unmarried)
    ancestors: frozenset[str]  # person_ids of their parents and grandparents known here


@dataclass(frozen=True)
class Adoptee:
    name: str
    birth_date: date
    person_id: str
    parents: frozenset[str]  # person_ids of their father and mother known here
    ancestors: frozenset[str]  # the parents and grandparents
    married: bool


def adoption(
    adopters: list[Adopter],
    adoptee: Adoptee,
    on: date,
    *,
    court_permission: bool,
    spouse_consent: bool,
    proxy: str,
) -> list[Refusal]:
    """The refusals of a 養子縁組届 (民法792〜798条)."""
    refusals: list[Refusal] = []
    together = {a.person_id for a in adopters}
    minor = is_minor(adoptee.birth_date, on)
    for adopter in adopters:
        if on < turns_age_on(adopter.birth_date, ADOPTER_AGE):
            refusals.append(("adopter_ids", TOO_YOUNG_ADOPTER.format(name=adopter.name)))
        # A 尊属 is nearly always older; one known here by the parent links is refused too (a
        # younger 傍系尊属 such as an uncle is for the clerk).
        if adoptee.birth_date < adopter.birth_date or adoptee.person_id in adopter.ancestors:
            refusals.append(("adoptee_id", ELDER.format(name=adopter.name)))
    alone = [a for a in adopters if a.spouse_id and a.spouse_id not in together]
    if minor and any(a.spouse_id not in adoptee.parents for a in alone):
        refusals.append(("adopter_ids", WITH_SPOUSE))
    elif (alone or adoptee.married) and not spouse_consent:
        refusals.append(("spouse_consent", NEED_CONSENT))
    refusals += needs_proxy(adoptee.birth_date, on, proxy)
    kin = together | {a.spouse_id for a in adopters} - {""}
    if minor and not court_permission and not (kin & adoptee.ancestors):
        refusals.append(("court_permission", NEED_COURT))
    return refusals


def needs_proxy(birth: date, on: date, proxy: str) -> list[Refusal]:
    """Under 15 the 法定代理人 files for the 養子 (縁組 民法797条, 離縁 811条2項)."""
    return [("proxy", NEED_PROXY)] if on < turns_age_on(birth, PROXY_BELOW) and not proxy else []


def may_keep_surname(adopted_on: date, on: date) -> list[Refusal]:
    """縁氏続称 (民法816条2項): 「縁組の日から七年を経過した後」 — the period starts the next day
    (民法140条) and ends with the seventh anniversary (143条; a 2月29日 with none: the 28th), so
    the 離縁 must be later than that day: adopted 2019-04-01 → from 2026-04-02."""
    year = adopted_on.year + SEVEN_YEARS
    last = calendar.monthrange(year, adopted_on.month)[1]
    anniversary = date(year, adopted_on.month, min(adopted_on.day, last))
    return [] if on > anniversary else [("keep_surname", NOT_SEVEN_YEARS)]


def acknowledgement(
    has_father: bool, child_birth: date, father_birth: date | None, on: date, *, child_consent: bool
) -> list[Refusal]:
    """The refusals of a 認知届 (民法779・782条)."""
    refusals: list[Refusal] = []
    if has_father:
        refusals.append(("child_id", HAS_FATHER))
    if not is_minor(child_birth, on) and not child_consent:
        refusals.append(("child_consent", NEED_CHILD_CONSENT))
    if father_birth is not None and father_birth >= child_birth:
        refusals.append(("father", FATHER_YOUNGER))
    return refusals


def division(head_or_spouse: bool, birth: date, on: date) -> list[Refusal]:
    """The refusals of a 分籍届 (戸籍法21条)."""
    refusals: list[Refusal] = []
    if head_or_spouse:
        refusals.append(("person_id", HEAD_OR_SPOUSE))
    if is_minor(birth, on):
        refusals.append(("person_id", NOT_ADULT))
    return refusals
