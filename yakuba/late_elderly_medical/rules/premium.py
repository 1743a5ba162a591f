"""The 後期高齢者医療保険料 of every insured person of one 世帯 for one 年度: a pure function of
the persons' 所得, the 広域連合's rates and the 年度's parameters (docs/reference/contract.md §9.4;
the rules and their sources: docs/late_elderly_medical.md, insurance-welfare-facts §3).

Per person: 均等割 (after the 世帯's 7割・5割・2割 軽減 or the 元被扶養者 5割, the larger) +
所得割 (賦課のもととなる所得金額 × 所得割率, 1円未満切捨て; none for a 元被扶養者), capped at the
賦課限度額, then truncated to the 広域連合's unit (100円 in most; 10円 in 神奈川県 and 福岡県).
Every rule applied leaves a Japanese line in ``steps``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from yakuba.late_elderly_medical.rules.parameters import for_year
from yakuba.platform.amounts import floor_to, percent, yen, yen_down

NONE = "none"
REDUCTIONS = ("7割", "5割", "2割")
FIRST_TWO_YEARS = "first_two_years"


@dataclass(frozen=True)
class Person:
    """One person of the 世帯, with the 所得 the tax app computed for the income year."""

    role: str
    member: bool
    elderly: bool  # 65歳以上 on 12月31日 of the income year (公的年金等控除, the 15万円 特別控除)
    total_income: int  # 総所得金額等
    pension_income: int  # 公的年金等に係る雑所得
    basic_deduction: int  # the 住民税's 基礎控除 (43万円 up to 合計所得 2,400万円)
    earner: bool  # 給与所得者等
    former_dependant: str | None = None  # None, "first_two_years" or "later"
    transitional_limit: bool = False  # 令和6年度: insured before 2024-04 or by 障害認定


@dataclass(frozen=True)
class Part:
    """One part's rates: 均等割 (yen), 所得割率 (a fraction) and its 賦課限度額."""

    per_capita: int
    income_rate: Decimal
    limit: int
    low_income_rate: Decimal | None = None  # 令和6年度 only (激変緩和)


@dataclass(frozen=True)
class Rates:
    medical: Part
    child_support: Part | None = None  # 子ども・子育て支援金分 (令和8年度から)
    reduced_per_capita: dict[str, int] | None = None  # as the 広域連合's 条例 prints them
    rounding: int = 100


@dataclass(frozen=True)
class Thresholds:
    base: int
    per_earner: int
    half_per_member: int
    twenty_per_member: int


@dataclass
class PartResult:
    per_capita_levy: int = 0
    income_levy: int = 0
    total: int = 0  # after the limit

    def as_dict(self) -> dict[str, int]:
        return {"per_capita_levy": self.per_capita_levy, "income_levy": self.income_levy, "total": self.total}


@dataclass
class MemberResult:
    role: str
    total_income: int
    pension_income: int
    income_base: int
    reduction: str
    medical: PartResult
    child_support: PartResult | None
    limited: bool
    annual_premium: int

    def as_dict(self) -> dict:
        return {
            "role": self.role,
            "total_income": self.total_income,
            "pension_income": self.pension_income,
            "income_base": self.income_base,
            "income_levy": self.medical.income_levy,
            "per_capita_levy": self.medical.per_capita_levy,
            "reduction": self.reduction,
            "limited": self.limited,
            "child_support": self.child_support.as_dict() if self.child_support else None,
            "annual_premium": self.annual_premium,
        }


@dataclass
class Result:
    fiscal_year: int
    judgment_income: int = 0
    thresholds: dict[str, int] = field(default_factory=dict)
    earners: int = 0
    insured: int = 0
    reduction: str = NONE
    members: list[MemberResult] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The contract's output JSON (contract §9.4)."""
        return {
            "fiscal_year": self.fiscal_year,
            "judgment_income": self.judgment_income,
            "reduction": self.reduction,
            "reduction_thresholds": dict(self.thresholds),
            "earners": self.earners,
            "insured": self.insured,
            "members": [m.as_dict() for m in self.members],
            "steps": list(self.steps),
        }


def default_thresholds(fiscal_year: int) -> Thresholds | None:
    """The statutory 軽減判定 amounts of the 年度 (kouki.toml), None where none are registered."""
    t = for_year(fiscal_year).reduction
    if t is None:
        return None
    return Thresholds(t.base, t.per_earner, t.half_per_member, t.twenty_per_member)


def judgment_income(people: list[Person], fiscal_year: int) -> tuple[int, list[str]]:
    """Σ 総所得金額等 of the 世帯主 and the 被保険者; a 65歳以上's 公的年金等所得 counts 15万円 less
    (施行令 §18 ⑧; facts §3.3: 「168万 − 110万 − 15万 = 43万 → 7割」)."""
    special = for_year(fiscal_year).judgement.pension_special
    total, lines = 0, []
    for person in people:
        if not (person.member or person.role == "世帯主"):
            continue
        amount = person.total_income
        if person.elderly and person.pension_income:
            cut = min(person.pension_income, special)
            amount -= cut
            lines.append(
                f"軽減判定所得（{person.role}）: {yen(person.total_income)} − 公的年金等特別控除 {yen(cut)} = {yen(amount)}"
            )
        else:
            lines.append(f"軽減判定所得（{person.role}）: {yen(amount)}")
        total += amount
    return total, lines


def reduction_for(income: int, earners: int, insured: int, t: Thresholds) -> tuple[str, dict[str, int]]:
    """7割 ≤ base + 10万 × (給与所得者等 − 1); 5割 / 2割 add the per-member amount × 被保険者数."""
    seven = t.base + t.per_earner * max(earners - 1, 0)
    bounds = {
        "7割": seven,
        "5割": seven + t.half_per_member * insured,
        "2割": seven + t.twenty_per_member * insured,
    }
    for kind in REDUCTIONS:
        if income <= bounds[kind]:
            return kind, bounds
    return NONE, bounds


def _larger(a: str, b: str) -> str:
    order = (NONE, "2割", "5割", "7割")
    return a if order.index(a) >= order.index(b) else b


def _reduced(amount: int, kind: str, rates: Rates, p, *, published: bool) -> int:
    """The 均等割 left after a 軽減: the 条例's published amount, else × share (1円未満切捨て)."""
    if kind == NONE:
        return amount
    if published and rates.reduced_per_capita and kind in rates.reduced_per_capita:
        return rates.reduced_per_capita[kind]
    return yen_down(Decimal(amount) * getattr(p.reduction_shares, kind))


def _part(
    name: str,
    part: Part,
    limit: int,
    person: Person,
    base: int,
    kind: str,
    rates: Rates,
    p,
    steps,
    *,
    published: bool,
) -> PartResult:
    out = PartResult()
    out.per_capita_levy = _reduced(part.per_capita, kind, rates, p, published=published)
    if kind != NONE:
        steps.append(f"{name}均等割: {yen(part.per_capita)} → {kind}軽減後 {yen(out.per_capita_levy)}")
    else:
        steps.append(f"{name}均等割: {yen(out.per_capita_levy)}")
    if person.former_dependant:
        steps.append(f"{name}所得割: 元被扶養者のため課されない")
    else:
        rate = part.income_rate
        low = p.income_levy.low_base if hasattr(p.income_levy, "low_base") else None
        if low is not None and part.low_income_rate is not None and base <= low:
            rate = part.low_income_rate
            steps.append(
                f"{name}所得割率: 賦課のもととなる所得金額が {yen(low)} 以下のため軽減用の {percent(rate)} %"
            )
        out.income_levy = yen_down(Decimal(base) * rate)
        steps.append(
            f"{name}所得割: {yen(base)} × {percent(rate)} % = {yen(out.income_levy)}（1円未満切捨て）"
        )
    out.total = out.per_capita_levy + out.income_levy
    if out.total > limit:
        steps.append(
            f"{name}均等割と所得割の計 {yen(out.total)} は賦課限度額 {yen(limit)} を超えるため {yen(limit)}"
        )
        out.total = limit
    return out


def calculate(
    people: list[Person],
    rates: Rates,
    fiscal_year: int,
    thresholds: Thresholds,
    *,
    notes: tuple[str, ...] = (),
) -> Result:
    p = for_year(fiscal_year)
    result = Result(fiscal_year=fiscal_year)
    steps = result.steps
    steps.append(f"{fiscal_year}年度（{fiscal_year - 1}年中の所得）の後期高齢者医療保険料")
    steps.extend(notes)
    insured = [x for x in people if x.member]
    result.insured = len(insured)
    result.earners = sum(1 for x in people if x.earner and (x.member or x.role == "世帯主"))
    result.judgment_income, lines = judgment_income(people, fiscal_year)
    steps.extend(lines)
    result.reduction, result.thresholds = reduction_for(
        result.judgment_income, result.earners, result.insured, thresholds
    )
    bounds = "、".join(f"{k} {yen(v)}" for k, v in result.thresholds.items())
    steps.append(
        f"軽減判定: 判定所得 {yen(result.judgment_income)}（被保険者 {result.insured} 人、給与所得者等 {result.earners} 人; {bounds}）"
        f" → {'軽減なし' if result.reduction == NONE else result.reduction + '軽減'}"
    )
    for person in insured:
        steps.append(f"【{person.role}】")
        base = max(0, person.total_income - person.basic_deduction)
        steps.append(
            f"賦課のもととなる所得金額: {yen(person.total_income)} − 基礎控除 {yen(person.basic_deduction)} = {yen(base)}"
        )
        kind = result.reduction
        if person.former_dependant == FIRST_TWO_YEARS:
            kind = _larger(kind, "5割")
            steps.append(f"元被扶養者（資格取得から2年以内）: 均等割 5割軽減との大きい方 → {kind}")
        # The 条例's published amounts are those of the income 軽減; a 元被扶養者's 5割 is the same amount.
        limit = _limit(person, rates, p, steps)
        medical = _part("", rates.medical, limit, person, base, kind, rates, p, steps, published=True)
        support = None
        if rates.child_support is not None:
            support = _part(
                "子ども・子育て支援金分 ",
                rates.child_support,
                rates.child_support.limit,
                person,
                base,
                kind,
                rates,
                p,
                steps,
                published=False,
            )
        before = medical.total + (support.total if support else 0)
        annual = floor_to(before, rates.rounding)
        steps.append(f"年間保険料: {yen(before)} → {yen(annual)}（{rates.rounding}円未満切捨て）")
        result.members.append(
            MemberResult(
                role=person.role,
                total_income=person.total_income,
                pension_income=person.pension_income,
                income_base=base,
                reduction=kind,
                medical=medical,
                child_support=support,
                limited=medical.total < medical.per_capita_levy + medical.income_levy,
                annual_premium=annual,
            )
        )
    return result


def _limit(person: Person, rates: Rates, p, steps) -> int:
    """The 令和6年度 激変緩和 limit (73万円) for those insured before 2024-04 or by 障害認定
    (施行令 附則; facts §3.2); otherwise the part's own limit."""
    transitional = getattr(p.limit, "transitional", None)
    if transitional is not None and person.transitional_limit:
        steps.append(
            f"令和6年度の激変緩和（令和6年3月以前からの被保険者・障害認定）: 賦課限度額 {yen(transitional)}"
        )
        return min(transitional, rates.medical.limit)
    return rates.medical.limit
