"""要介護認定's 有効期間 (insurance-welfare-facts §4.4; 介護保険法施行規則 §38 新規, §41 更新, §55
区分変更 — 有効期間 and the lengths the 介護認定審査会 may set):

- 新規 and 区分変更: from the **申請日**; 原則6か月, 3〜12か月;
- 更新: from the day after the previous period ends; 原則12か月, 3〜36か月, and up to 48か月 where
  the 要介護状態区分 is the same as the previous one (the 2021 改正 of 施行規則 §41; facts §4.4
  "36/48 months under later rules [unverified]");
- the period ends at a **month-end**; when it starts on another day than the 1st, the rest of that
  first month is not counted (施行規則 §38①: 「申請日から当該申請日の属する月の末日までの期間と6月
  間を合算して得た期間」).
- 非該当 has no 有効期間; 事業対象者 (基本チェックリスト) has none of these lengths.
Pure Python.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from yakuba.long_term_care.codes import CareLevel, CertificationKind

LIMITS = {  # (shortest, longest) in months
    CertificationKind.NEW: (3, 12),
    CertificationKind.CHANGE: (3, 12),
    CertificationKind.RENEWAL: (3, 36),
}
UNCHANGED_RENEWAL = 48


def months_of(start: date, end: date) -> int:
    """The counted months of a period ending at a month-end: the first month counts only when
    the period starts on its 1st."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return months if start.day == 1 else months - 1


def month_end(day: date) -> bool:
    return day.day == monthrange(day.year, day.month)[1]


def check_period(
    kind: str,
    level: str,
    applied_on: date,
    decided_on: date,
    valid_from: date | None,
    valid_until: date | None,
    *,
    previous: tuple[str, date] | None = None,
) -> list[tuple[str, str]]:
    """Every broken rule as (field, message). ``previous``: the person's 認定 before (区分, 終了日)."""
    errors = []
    if decided_on < applied_on:
        errors.append(("decided_on", "認定日は申請日より前にできません"))
    if level == CareLevel.NOT_APPLICABLE:
        if valid_from or valid_until:
            errors.append(("valid_from", "非該当には有効期間がありません"))
        return errors
    if valid_from is None or valid_until is None:
        field = "valid_from" if valid_from is None else "valid_until"
        return [*errors, (field, "有効期間の開始日と終了日を入力してください")]
    if valid_until < valid_from:
        return [*errors, ("valid_until", "有効期間の終了日は開始日より後にしてください")]
    if level == CareLevel.PROGRAM:
        return errors
    if not month_end(valid_until):
        errors.append(("valid_until", "有効期間は月末で終わります"))
    if kind in (CertificationKind.NEW, CertificationKind.CHANGE) and valid_from != applied_on:
        errors.append(("valid_from", "新規・区分変更の有効期間は申請日から始まります"))
    if kind == CertificationKind.RENEWAL and previous and valid_from != previous[1] + timedelta(days=1):
        errors.append(
            ("valid_from", f"更新の有効期間は前回の終了日（{previous[1].isoformat()}）の翌日から始まります")
        )
    shortest, longest = LIMITS[kind]
    if kind == CertificationKind.RENEWAL and previous and previous[0] == level:
        longest = UNCHANGED_RENEWAL
    months = months_of(valid_from, valid_until)
    if not shortest <= months <= longest:
        label = CertificationKind(kind).label
        errors.append(
            ("valid_until", f"{label}の有効期間は{shortest}〜{longest}か月です（入力は{months}か月）")
        )
    return errors
