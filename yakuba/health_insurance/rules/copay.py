"""一部負担金の割合 printed on the 資格確認書: what share of the medical bill the person pays.

国民健康保険法 §42 ①: 3割 (一・二号 as amended: 100分の30) from the day after the first 3月31日
following the day the person reaches 6 until the month in which they reach 70; 2割 (100分の20)
before that — 義務教育就学前, the 未就学児 of the 軽減 (insurance-welfare-facts §2.5, §1.2: the
18歳年度末 rule's 6歳 twin) — and from the month after the month they reach 70 (高齢受給者,
facts §1.3); 3割 again for a 高齢受給者 with 現役並み所得 (§42 ① 四, 政令: 課税所得145万円以上),
which the caller decides from the 所得 and hands in. "Reaching" an age is the day before the
birthday (年齢計算ニ関スル法律; facts §1.2): someone born on 5月1日 reaches 70 on 4月30日 and pays 2割
from 5月, someone born on 5月2日 from 6月. At 75 the person leaves 国保 for 後期 (never asked here).
"""

from __future__ import annotations

from datetime import date, timedelta

from yakuba.platform.japanese.wareki import turns_age_on

PRESCHOOL_AGE = 6
ELDERLY_AGE = 70


def preschool_until(birth: date) -> date:
    """The last day of 義務教育就学前: the first 3月31日 on or after the day of reaching 6."""
    reached = turns_age_on(birth, PRESCHOOL_AGE)
    return date(reached.year if reached <= date(reached.year, 3, 31) else reached.year + 1, 3, 31)


def elderly_from(birth: date) -> date:
    """The first day of 高齢受給者: the 1st of the month after the month of reaching 70."""
    reached = turns_age_on(birth, ELDERLY_AGE)
    return date(reached.year + reached.month // 12, reached.month % 12 + 1, 1)


def copay_share(birth: date | None, on: date, *, active_income: bool = False) -> int:
    """The share in 割 (2 or 3) on the day ``on``; a 生年月日 held as 不詳 reads as working age
    (3割: the share nobody is refused care for)."""
    if birth is None:
        return 3
    if on <= preschool_until(birth):
        return 2
    if on >= elderly_from(birth):
        return 3 if active_income else 2
    return 3


def share_until(birth: date | None, on: date) -> date | None:
    """The last day the share of ``on`` holds by age (None: to 75, when 国保 ends): a card printed
    on ``on`` is valid no longer, so that a child starting school or a person reaching 70 gets
    a new card with the new share rather than a card that states the old one."""
    if birth is None:
        return None
    if on <= preschool_until(birth):
        return preschool_until(birth)
    if on < elderly_from(birth):
        return elderly_from(birth) - timedelta(days=1)
    return None
