"""介護保険 第1号被保険者 資格 from the registry and from age (insurance-welfare-facts §4.1, §1.2, §1.3).

- 65歳到達: 資格 from the day 65 is reached — the day *before* the 65th birthday (facts §1.2:
  年齢計算ニ関スル法律; §4.1: "65歳到達 (day-before rule) → 資格取得"; 介護保険法 §10 i). Born
  2月29日: 2月28日 (民法 §143 ii).
- 転入 of a person 65+: 取得 on the 転入日 (facts §1.3: 第1号 取得 (65+), unless 住所地特例 — out
  of scope). 生活保護 受給者 65+ are 第1号 (their premium is paid by 生活扶助): no exclusion.
- 転出, 死亡 → 喪失 the day after (facts §1.3: 喪失 (翌日), as 国保's 転出日の翌日).
Pure Python: the shared rule is ``linkage.residence``; this module gives 介護's age and codes.
"""

from __future__ import annotations

from datetime import date

from yakuba.long_term_care.codes import AcquiredReason, LostReason
from yakuba.platform.japanese.wareki import turns_age_on
from yakuba.platform.linkage import residence

AGE = 65


def qualifying_day(birth: date) -> date:
    """The day 65 is reached: the day before the 65th birthday (born 5/1 → 4/30)."""
    return turns_age_on(birth, AGE)


RULE = residence.Rule(AGE, qualifying_day, residence.Reasons.of(AcquiredReason, LostReason))
