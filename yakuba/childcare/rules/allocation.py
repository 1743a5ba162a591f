"""利用調整: each applicant's 指数 with its steps, the ranking with the municipality's tie-break
rules, and the places given in that order (子ども・子育て支援法 附則 §6④, 児童福祉法 §24③;
insurance-welfare-facts §9.2). The 基準 is the municipality's data (``parameters.ranking_table``).

- **基準指数** per parent: 就労 by the first row whose minimums (月の時間, 週の日数, 1日の時間,
  週の時間) the parent meets, the other 事由 by the row of its 程度 (``detail``); an absent parent
  (ひとり親) counts ``absent_parent_points`` where the 基準 gives it.
- **調整指数**: the items of the 基準 the household meets, per group either added (``sum``) or
  the highest one (``max``: 武蔵村山市 「調整指数のうちいずれか高い指数」).
- **順位**: by the 基準's ``tie_break`` keys — ``total`` (指数の合計, higher first), ``base_total``
  (基準指数の合計), ``income`` (所得割 合算額, lower first), ``children`` (子の数, more first) —
  and at last the application number, so that the order is total and the clerk can say why.
- **内定/保留**: in that order each applicant gets the first choice that still has a place in its
  クラス年齢 (希望順位 gives no advantage: 武蔵村山市 「希望園数や希望順位による選考の有利・不利は
  ありません」); an applicant with no place left among its choices is 保留.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from yakuba.childcare.rules.certification import REASONS
from yakuba.platform.amounts import yen

KEYS = {
    "total": ("指数の合計", -1),
    "base_total": ("基準指数の合計", -1),
    "income": ("市町村民税所得割の合算額（低い方）", 1),
    "children": ("子の数（多い方）", -1),
}
_MINIMUMS = {
    "min_monthly_hours": ("monthly_hours", "月{}時間"),
    "min_days_per_week": ("days_per_week", "週{}日"),
    "min_hours_per_day": ("hours_per_day", "1日{}時間"),
    "min_hours_per_week": ("hours_per_week", "週{}時間"),
}


class ScoreRefused(ValueError):
    """The 基準 has no row for what was given: ``errors`` as ``[(field, 理由)]``."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))
        self.errors = errors


@dataclass(frozen=True)
class Parent:
    reason: str | None  # 事由 (REASONS); None: none (0 points)
    detail: str = "default"  # the row of the 事由 (就労: outside / home …)
    monthly_hours: int | None = None
    days_per_week: int | None = None
    hours_per_day: int | None = None
    hours_per_week: int | None = None


@dataclass(frozen=True)
class Applicant:
    number: str  # the application number (the last tie-break)
    parents: tuple[Parent, ...]  # one: ひとり親
    adjustments: tuple[str, ...] = ()
    income_levy: int = 0
    children: int = 1
    class_age: int = 0
    choices: tuple[str, ...] = ()  # 施設 codes, 第1希望 first


@dataclass(frozen=True)
class Score:
    total: int
    base_total: int
    base: tuple[tuple[str, int], ...]  # (what, points) per parent
    adjustment: tuple[tuple[str, int], ...]  # (group: item, points)
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Placement:
    number: str
    rank: int  # 順位 (1 = first)
    score: Score
    facility: str | None  # 内定 施設 (None: 保留)
    choice: int | None  # which 希望 (1-based)
    steps: tuple[str, ...] = field(default=())

    @property
    def offered(self) -> bool:
        return self.facility is not None


def _work_points(parent: Parent, rows: dict) -> tuple[str, int]:
    for tier in rows["tiers"]:
        unmet = [
            key for key in _MINIMUMS if key in tier and (getattr(parent, _MINIMUMS[key][0]) or 0) < tier[key]
        ]
        if not unmet:
            return f"{rows['label']} {tier['label']}", tier["points"]
    return f"{rows['label']}（基準の時間・日数に満たない）", 0


def score(applicant: Applicant, table) -> Score:
    """The applicant's 指数 by the 基準 ``table``, each point with the row that gave it."""
    errors: list[tuple[str, str]] = []
    base: list[tuple[str, int]] = []
    for i, parent in enumerate(applicant.parents):
        who, at = f"保護者{i + 1}", f"parents[{i}]"
        if parent.reason is None:
            base.append((f"{who}: 事由なし", 0))
            continue
        rows = table.base.get(parent.reason, {}).get(parent.detail)
        if rows is None:
            errors.append(
                (
                    f"{at}.detail",
                    f"{table.name}に{REASONS.get(parent.reason, parent.reason)}（{parent.detail}）の基準指数がありません",
                )
            )
            continue
        what, points = _work_points(parent, rows) if "tiers" in rows else (rows["label"], rows["points"])
        base.append((f"{who}: {REASONS[parent.reason]} {what}", points))
    if len(applicant.parents) == 1:
        try:
            absent = table.absent_parent_points
        except AttributeError:
            errors.append(("parents", f"{table.name}にひとり親世帯の不在の保護者の指数がありません"))
        else:
            base.append(("保護者2: 不在（ひとり親世帯）", absent))
    adjustment: list[tuple[str, int]] = []
    known = set()
    for group in table.adjustments:
        met = [item for item in group["items"] if item["key"] in applicant.adjustments]
        known |= {item["key"] for item in group["items"]}
        if not met:
            continue
        if group["combine"] == "max":
            best = max(met, key=lambda item: item["points"])
            adjustment.append((f"{group['label']}: {best['label']}（高い方）", best["points"]))
        else:
            adjustment += [(f"{group['label']}: {item['label']}", item["points"]) for item in met]
    for key in applicant.adjustments:
        if key not in known:
            errors.append(("adjustments", f"{table.name}に調整指数「{key}」はありません"))
    if errors:
        raise ScoreRefused(errors)
    base_total = sum(p for _, p in base)
    total = base_total + sum(p for _, p in adjustment)
    steps = [f"基準指数 {what}: {points}" for what, points in base]
    steps += [f"調整指数 {what}: {points:+d}" for what, points in adjustment]
    steps.append(
        f"指数の合計: {base_total}（基準指数）{sum(p for _, p in adjustment):+d}（調整指数）= {total}"
    )
    return Score(total, base_total, tuple(base), tuple(adjustment), tuple(steps))


def order_key(applicant: Applicant, scored: Score, tie_break: Iterable[str]) -> tuple:
    values = {
        "total": scored.total,
        "base_total": scored.base_total,
        "income": applicant.income_levy,
        "children": applicant.children,
    }
    return (*(KEYS[k][1] * values[k] for k in tie_break), applicant.number)


def allocate(applicants: list[Applicant], places: dict[tuple[str, int], int], table) -> list[Placement]:
    """Every applicant ranked and placed: ``places`` is the free places per (施設, クラス年齢)."""
    scored = {a.number: score(a, table) for a in applicants}
    tie_break = tuple(table.tie_break)
    ordered = sorted(applicants, key=lambda a: order_key(a, scored[a.number], tie_break))
    left = dict(places)
    rule = " → ".join(KEYS[k][0] for k in tie_break) + " → 申込番号"
    results = []
    for rank, a in enumerate(ordered, start=1):
        s = scored[a.number]
        steps = [
            f"順位 {rank}（{rule}の順）: 指数 {s.total}、基準指数 {s.base_total}、所得割 {yen(a.income_levy)}、子 {a.children}人"
        ]
        facility = choice = None
        for n, wanted in enumerate(a.choices, start=1):
            key = (wanted, a.class_age)
            if left.get(key, 0) > 0:
                left[key] -= 1
                facility, choice = wanted, n
                steps.append(f"第{n}希望 {wanted}（{a.class_age}歳児）: 内定")
                break
            steps.append(f"第{n}希望 {wanted}（{a.class_age}歳児）: 空きなし")
        if facility is None:
            steps.append("保留（希望する施設に空きがない）")
        results.append(Placement(a.number, rank, s, facility, choice, tuple(steps)))
    return results
