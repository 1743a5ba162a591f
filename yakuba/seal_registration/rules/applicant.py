"""Who may register a seal (civil-facts §2.1).

- 「15歳未満の者」 may not register (typical 条例; 佐呂間町, 加賀市). The age is reached at the end of
  the day before the birthday (年齢計算ニ関スル法律): one born on 2010-06-15 may register from
  2025-06-14 (§2.1, last item).
- 成年被後見人: many 条例 after the 2019 revision of the 要領 allow them when they come in person
  **with their 法定代理人** (小松島市 from 2020-03-27); some still bar them (伊佐市, 八郎潟町) —
  ``Ordinance.adult_ward_with_guardian``. Once the 法務局's 登記事項通知 (後見開始) has come, the
  person is a 成年被後見人 whatever the application says (``notified_ward``).
  https://www.city.komatsushima.lg.jp/docs/2636.html
"""

from __future__ import annotations

from datetime import date

from yakuba.platform.japanese.wareki import turns_age_on
from yakuba.seal_registration.rules.ordinance import DEFAULT, Ordinance

Refusal = tuple[str, str]  # (field, the clerk's message)

UNDER_AGE = "{age}歳未満の方は印鑑登録ができません（{day}から登録できます）"
AGE_UNKNOWN = "生年月日が不詳のため、登録できる年齢かどうかを確かめられません"
WARD_BARRED = "成年被後見人の方は、この市町村の条例により印鑑登録ができません"
WARD_WITHOUT_GUARDIAN = "成年被後見人の方の登録には、法定代理人の同行が必要です"
NOTIFIED_WARD = "登記事項通知（後見開始）を受けている方です。成年被後見人として申請してください"


def check_applicant(
    birth: date | None,
    on: date,
    *,
    adult_ward: bool = False,
    guardian_present: bool = False,
    notified_ward: bool = False,
    ordinance: Ordinance = DEFAULT,
) -> list[Refusal]:
    """Every reason the person may not register on ``on`` (empty: they may); ``notified_ward``:
    the latest 登記事項通知 of the person is a 後見開始."""
    refusals: list[Refusal] = []
    if birth is None:
        refusals.append(("birth_date", AGE_UNKNOWN))
    else:
        may_from = turns_age_on(birth, ordinance.min_age)
        if on < may_from:
            day = f"{may_from.year}年{may_from.month}月{may_from.day}日"
            refusals.append(("birth_date", UNDER_AGE.format(age=ordinance.min_age, day=day)))
    if notified_ward and not adult_ward:
        refusals.append(("adult_ward", NOTIFIED_WARD))
    elif adult_ward and not ordinance.adult_ward_with_guardian:
        refusals.append(("adult_ward", WARD_BARRED))
    elif adult_ward and not guardian_present:
        refusals.append(("guardian_present", WARD_WITHOUT_GUARDIAN))
    return refusals
