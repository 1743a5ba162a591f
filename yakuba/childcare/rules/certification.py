"""支給認定 (教育・保育給付認定): the 号, the 保育必要量 and the 有効期間 of a child's 認定 from its
age on the 基準日 and each parent's 保育の必要性 事由 (子ども・子育て支援法 §19, §20; 施行規則 §1;
insurance-welfare-facts §9.2).

- **1号** 満3歳以上, education (no 保育の必要性 needed); **2号** 満3歳以上 and **3号** 満3歳未満,
  both needing care: every parent must have a 事由 (a parent without one can care for the child).
- **保育必要量**: each 事由 gives 標準時間 or 短時間 (``reasons`` in the data); 就労 (and 介護, 就学)
  by the monthly hours: 標準時間 from ``standard_monthly_hours``, 短時間 from
  ``minimum_monthly_hours``, below that no 事由. The household gets the lesser of its parents'.
- **有効期間**: 3号 until the day before the day the child legally reaches 満3歳 (the 2号 follows);
  1号・2号 until the 3月31日 before 小学校; shortened by a 事由 that ends: 求職活動 90 days,
  妊娠・出産 the end of the month of the day 8 weeks after the birth, or the end the parent gave
  (育児休業, 就学 …).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from yakuba.childcare.rules.ages import class_age, fiscal_year_of, school_entry
from yakuba.platform.japanese.wareki import age_on, format_wareki, turns_age_on

REASONS = {
    "work": "就労",
    "pregnancy": "妊娠・出産",
    "illness": "疾病・障害",
    "care": "親族の介護・看護",
    "disaster": "災害復旧",
    "job_search": "求職活動",
    "study": "就学・職業訓練",
    "abuse": "虐待・DVのおそれ",
    "parental_leave": "育児休業中の継続利用",
}
NEEDS = {"standard": "保育標準時間", "short": "保育短時間"}
KINDS = {
    "1": "1号認定（教育標準時間認定）",
    "2": "2号認定（満3歳以上・保育認定）",
    "3": "3号認定（満3歳未満・保育認定）",
}


class CertificationRefused(ValueError):
    """No 認定 can be given: ``errors`` as ``[(field, 理由)]`` in Japanese, every one at once."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))
        self.errors = errors


@dataclass(frozen=True)
class Need:
    """One parent's 保育の必要性: the 事由 (``None``: none — this parent can care), the monthly
    hours where the 事由 counts them, the 出産(予定)日 of a 妊娠・出産, the day a 事由 ends."""

    reason: str | None
    monthly_hours: int | None = None
    birth_due: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Certification:
    kind: str  # "1" | "2" | "3"
    need: str | None  # "standard" | "short"; None for 1号
    valid_from: date
    valid_until: date
    class_age: int
    parent_needs: tuple[str | None, ...]  # each parent's 必要量 (None: none or 1号)
    steps: list[str] = field(default_factory=list)


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _parent_need(
    i: int, need: Need, table, base: date, errors: list, steps: list
) -> tuple[str | None, date | None]:
    """(this parent's 必要量, the day its 事由 ends if it does) — or an error on its field."""
    at = f"parents[{i}]"
    who = f"保護者{i + 1}"
    if need.reason is None:
        errors.append(
            (
                f"{at}.reason",
                f"{who}に保育の必要性の事由がありません（保育認定には父母それぞれの事由が必要です）",
            )
        )
        return None, None
    mode = table.reasons[need.reason]
    label = REASONS[need.reason]
    if mode == "hours":
        hours = need.monthly_hours
        if hours is None:
            errors.append((f"{at}.monthly_hours", f"{label}の月の時間数を入力してください"))
            return None, None
        if hours >= table.standard_monthly_hours:
            result = "standard"
        elif hours >= table.minimum_monthly_hours:
            result = "short"
        else:
            errors.append(
                (
                    f"{at}.monthly_hours",
                    f"{label}が月{hours}時間で、月{table.minimum_monthly_hours}時間に満たないため保育の必要性に当たりません",
                )
            )
            return None, None
        steps.append(
            f"{who}: {label} 月{hours}時間 → {NEEDS[result]}（標準時間は月{table.standard_monthly_hours}時間以上、"
            f"短時間は月{table.minimum_monthly_hours}時間以上）"
        )
    else:
        result = mode
        steps.append(f"{who}: {label} → {NEEDS[result]}")
    ends = need.until
    if need.reason == "job_search":
        ends = base + timedelta(days=table.job_search_days - 1)
        steps.append(f"{who}: 求職活動の認定は{table.job_search_days}日間（{format_wareki(ends)}まで）")
    elif need.reason == "pregnancy":
        if need.birth_due is None or abs((need.birth_due - base).days) > 366:
            errors.append(
                (
                    f"{at}.birth_due",
                    "妊娠・出産の事由には基準日の前後1年以内の出産（予定）日を入力してください",
                )
            )
            return None, None
        ends = _end_of_month(need.birth_due + timedelta(weeks=table.birth_weeks))
        steps.append(
            f"{who}: 出産（予定）日から{table.birth_weeks}週間を経過した日の属する月の末日（{format_wareki(ends)}）まで"
        )
    elif ends is not None:
        steps.append(f"{who}: 事由の終わる日（{format_wareki(ends)}）まで")
    if ends is not None and ends < base:
        errors.append((f"{at}.until", f"{who}の事由は基準日より前に終わっています"))
    return result, ends


def certify(birth: date, base: date, parents: list[Need], *, care: bool, table) -> Certification:
    """The 認定 of a child born on ``birth`` from the 基準日 ``base``: ``care`` asks for a 保育認定
    (2号・3号), else the 教育標準時間認定 (1号); ``parents`` are the 保護者 (one for ひとり親)."""
    errors: list[tuple[str, str]] = []
    steps: list[str] = []
    if base < birth:
        raise CertificationRefused([("base_date", "基準日が生年月日より前です")])
    entry = school_entry(birth)
    if base >= entry:
        raise CertificationRefused(
            [("child.birth_date", f"{format_wareki(entry)}に小学校に就学する子どもは認定できません")]
        )
    age = age_on(birth, base)
    klass = class_age(birth, fiscal_year_of(base.year, base.month))
    steps.append(
        f"基準日 {format_wareki(base)} の年齢 {age}歳（クラス年齢 {klass}歳）、小学校就学 {format_wareki(entry)}"
    )
    school_eve = entry - timedelta(days=1)
    if not care:
        if age < 3:
            raise CertificationRefused([("care", "満3歳未満の子どもの認定は保育認定（3号）だけです")])
        steps.append(
            f"{KINDS['1']}: 満3歳以上で教育を希望、小学校就学前日（{format_wareki(school_eve)}）まで"
        )
        return Certification("1", None, base, school_eve, klass, tuple(None for _ in parents), steps)
    if not parents:
        raise CertificationRefused([("parents", "保護者を1人以上入力してください")])
    needs, ends = [], []
    for i, need in enumerate(parents):
        one, end = _parent_need(i, need, table, base, errors, steps)
        needs.append(one)
        if end is not None:
            ends.append(end)
    if errors:
        raise CertificationRefused(errors)
    need = "short" if "short" in needs else "standard"
    steps.append(f"保育必要量: {NEEDS[need]}（父母のうち短い方）")
    if age < 3:
        kind, until = "3", turns_age_on(birth, 3) - timedelta(days=1)
        steps.append(f"{KINDS['3']}: 満3歳に達する日の前日（{format_wareki(until)}）まで")
    else:
        kind, until = "2", school_eve
        steps.append(f"{KINDS['2']}: 小学校就学前日（{format_wareki(until)}）まで")
    if ends and min(ends) < until:
        until = min(ends)
        steps.append(f"有効期間は事由の終わる日（{format_wareki(until)}）まで")
    return Certification(kind, need, base, until, klass, tuple(needs), steps)
