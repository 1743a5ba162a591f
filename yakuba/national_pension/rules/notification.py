"""Which 事由 a 届出 of each 種別 may carry and the dates the law fixes for some of them
(国民年金法 §7〜§9, §12; insurance-welfare-facts §5): pure, for the door's ``check_*``.

- 第1号被保険者 are residents from 20 to under 60 (§7①一), ages reached the day before the
  birthday: a 資格取得 or a 種別変更 to 第1号 is for a person of that age on the date;
- 20歳到達's 取得日 is the day before the 20th birthday (§8一, 年齢計算ニ関スル法律), 60歳到達's
  喪失日 likewise the day before the 60th birthday (§9三: 「60歳に達したとき」, that day);
- a 届出 reports what has happened: its 年月日 is not after the 届出日, and the 届出日 is not
  after today.
"""

from __future__ import annotations

from datetime import date

from yakuba.national_pension.codes import Kind, Reason
from yakuba.national_pension.rules.ages import ENTRY_AGE, first_insured_day
from yakuba.platform.japanese.wareki import turns_age_on

LEAVING_AGE = 60

REASONS: dict[str, frozenset[str]] = {
    Kind.ACQUIRED: frozenset({Reason.AGE_20, Reason.MOVE_IN, Reason.OTHER}),
    Kind.LOST: frozenset({Reason.DEATH, Reason.EMIGRATION, Reason.AGE_60, Reason.OTHER}),
    Kind.KIND_CHANGE: frozenset({Reason.FROM_SECOND, Reason.FROM_THIRD}),
    Kind.ADDRESS_CHANGE: frozenset({Reason.ADDRESS}),
    Kind.NAME_CHANGE: frozenset({Reason.NAME}),
}
# The 届出 after which the person is a 第1号被保険者: he must be 20 to under 60 on the date.
BECOMES_FIRST = frozenset({Reason.AGE_20, Reason.MOVE_IN, Reason.FROM_SECOND, Reason.FROM_THIRD})


def problems(
    kind: str, reason: str, occurred_on: date, notified_on: date, birth: date | None, today: date
) -> list[tuple[str, str]]:
    """Every broken rule as (field, message)."""
    found = []
    if reason not in REASONS[kind]:
        allowed = "、".join(Reason(r).label for r in sorted(REASONS[kind]))
        found.append(("reason", f"{Kind(kind).label}の事由は {allowed} のいずれかです"))
    if occurred_on > notified_on:
        found.append(("occurred_on", "届出日より後の日付は指定できません"))
    if notified_on > today:
        found.append(("notified_on", "未来の日付は指定できません"))
    if birth is None:
        if reason in BECOMES_FIRST or reason == Reason.AGE_60:
            found.append(("atena_no", "生年月日が不詳のため年齢を確認できません"))
        return found
    if reason == Reason.AGE_20 and occurred_on != first_insured_day(birth):
        found.append(
            ("occurred_on", f"20歳到達の資格取得日は20歳の誕生日の前日（{first_insured_day(birth)}）です")
        )
    elif reason in BECOMES_FIRST and not (
        turns_age_on(birth, ENTRY_AGE) <= occurred_on < turns_age_on(birth, LEAVING_AGE)
    ):
        found.append(("occurred_on", "第1号被保険者は20歳以上60歳未満の方です"))
    if reason == Reason.AGE_60 and occurred_on != turns_age_on(birth, LEAVING_AGE):
        found.append(
            (
                "occurred_on",
                f"60歳到達の資格喪失日は60歳の誕生日の前日（{turns_age_on(birth, LEAVING_AGE)}）です",
            )
        )
    return found
