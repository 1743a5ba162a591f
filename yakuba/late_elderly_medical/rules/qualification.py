"""後期高齢者医療 資格 from the registry and from age (insurance-welfare-facts §3.1, §1.2, §1.3).

- 75歳到達: 資格 from the 75th birthday itself (facts §1.2: born 5/1 → 後期 from 5/1; 奈良市),
  which is the day after 75 is reached (年齢計算ニ関スル法律); born 2月29日 → 3月1日 in a common year.
- 転入 of a person 75+: 取得 on the 転入日, automatically — 後期 has no other-insurance question
  (facts §3.1: "everyone 75 and over"; §1.3: 転入 → 取得 (75+ or 障害認定)). 生活保護 受給者 are
  excluded (高確法 §51): a status the clerk sets, never derived from the registry.
- 障害認定 (65–74, by the 広域連合 on application, from the 認定日): the clerk's ``enrol``.
- 転出, 死亡 → 喪失 the day after (facts §1.3: 喪失 (翌日)).
- 住所地特例 (施設入所: the former 広域連合 keeps the person) is out of scope.
Pure Python: the shared rule is ``linkage.residence``; this module gives 後期's age and codes.
"""

from __future__ import annotations

from datetime import date, timedelta

from yakuba.late_elderly_medical.codes import AcquiredReason, LostReason
from yakuba.platform.japanese.wareki import turns_age_on
from yakuba.platform.linkage import residence

AGE = 75
DISABILITY_FROM = 65


def qualifying_day(birth: date) -> date:
    """The 75th birthday: the day after 75 is reached (2月29日 births: 3月1日 in a common year)."""
    return turns_age_on(birth, AGE) + timedelta(days=1)


def disability_from(birth: date) -> date:
    """The first day a 障害認定 may apply: the 65th birthday (65歳以上75歳未満, 高確法 §50 ii)."""
    return turns_age_on(birth, DISABILITY_FROM) + timedelta(days=1)


RULE = residence.Rule(AGE, qualifying_day, residence.Reasons.of(AcquiredReason, LostReason))
