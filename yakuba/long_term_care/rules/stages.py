"""The 介護保険 第1号被保険者's 保険料段階 and annual premium for one 年度: a pure function of the
person's 所得, the 世帯's and the person's 住民税 課税/非課税 and the municipality's 基準額
(docs/reference/contract.md §9.4.1; the rules and their sources: docs/long_term_care.md,
insurance-welfare-facts §4.2).

段階1–3: 世帯全員が非課税; 4–5: 世帯に課税者, 本人は非課税 — both by 課税年金収入 + その他の合計
所得金額 (年金所得 left out, 給与所得 10万円 less, 譲渡所得の特別控除 taken off); 6 and above:
本人課税, by 合計所得金額 (less the 特別控除). Annual premium = 基準額 × the 段階's multiplier,
rounded as the municipality does (1円・10円・100円未満切捨て; some multiply the monthly 基準額
and round up to the yen, then × 12).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from yakuba.long_term_care.rules.parameters import for_year
from yakuba.platform.amounts import yen

DOWN, UP = "down", "up"


@dataclass(frozen=True)
class Insured:
    """One 第1号被保険者 with the 所得 the tax app computed for the income year."""

    household_taxed: bool  # someone of the 世帯 pays 住民税 (均等割 included)
    taxed: bool  # the person pays 住民税
    total_income: int  # 合計所得金額
    pension_revenue: int  # 課税年金収入 (遺族・障害年金 are not taxed and not counted)
    pension_income: int  # 公的年金等に係る雑所得
    salary_income: int
    land_special_deduction: int = 0  # 土地建物等の譲渡所得の特別控除
    public_assistance: bool = False  # 生活保護
    old_age_welfare_pension: bool = False  # 老齢福祉年金


@dataclass(frozen=True)
class Schedule:
    """The municipality's: 基準額 (annual) and, where it departs from the standard, its
    multipliers and income bounds for the 本人課税 段階, and how it rounds."""

    base_amount: int
    multipliers: tuple[Decimal, ...] | None = None
    taxed_bounds: tuple[int, ...] | None = None
    unit: int = 1
    mode: str = DOWN
    per_month: bool = False


@dataclass
class Result:
    fiscal_year: int
    stage: int = 0
    stages: int = 0
    multiplier: Decimal = Decimal(0)
    standard_multiplier: Decimal | None = None
    judgment_income: int = 0
    annual_premium: int = 0
    steps: list[str] = field(default_factory=list)


def stage_table(fiscal_year: int, schedule: Schedule) -> tuple[tuple[int, ...], tuple[Decimal, ...]]:
    """The 本人課税 bounds and every 段階's multiplier: the municipality's or the standard's."""
    t = for_year(fiscal_year).stages
    bounds = schedule.taxed_bounds if schedule.taxed_bounds is not None else t.taxed_bounds
    multipliers = schedule.multipliers if schedule.multipliers is not None else t.multipliers
    return bounds, multipliers


def other_income(person: Insured, salary_deduction: int) -> int:
    """その他の合計所得金額 for 段階1–5: 合計所得 less the 年金所得, 10万円 of 給与所得 and the
    譲渡所得の特別控除, never below 0 (広報かしわら 令和6年6月号; facts §4.2)."""
    rest = person.total_income - person.pension_income - min(person.salary_income, salary_deduction)
    return max(0, rest - person.land_special_deduction)


def place(person: Insured, fiscal_year: int, schedule: Schedule, steps: list[str]) -> tuple[int, int]:
    """(段階, the income that placed it)."""
    t = for_year(fiscal_year).stages
    bounds, _ = stage_table(fiscal_year, schedule)
    if person.taxed:
        income = max(0, person.total_income - person.land_special_deduction)
        stage = 6 + sum(1 for bound in bounds if income >= bound)
        steps.append(
            f"本人が住民税課税: 合計所得金額 {yen(income)}（譲渡所得の特別控除後）→ 第{stage}段階"
            f"（区分 {'・'.join(yen(b) for b in bounds)}）"
        )
        return stage, income
    rest = other_income(person, t.salary_deduction)
    income = person.pension_revenue + rest
    steps.append(
        f"課税年金収入 {yen(person.pension_revenue)} + その他の合計所得金額 {yen(rest)}"
        f"（年金所得を除き、給与所得から最大 {yen(t.salary_deduction)} を控除）= {yen(income)}"
    )
    if person.public_assistance:
        steps.append("生活保護を受けている → 第1段階")
        return 1, income
    if person.household_taxed:
        stage = 4 if income <= t.low_bound else 5
        steps.append(
            f"本人は非課税、世帯に課税者あり: {yen(t.low_bound)} {'以下' if stage == 4 else '超'} → 第{stage}段階"
        )
        return stage, income
    if person.old_age_welfare_pension:
        steps.append("世帯全員が非課税で老齢福祉年金を受けている → 第1段階")
        return 1, income
    stage = 1 if income <= t.low_bound else 2 if income <= t.middle_bound else 3
    steps.append(
        f"世帯全員が非課税: {yen(t.low_bound)} 以下は第1段階、{yen(t.middle_bound)} 以下は第2段階 → 第{stage}段階"
    )
    return stage, income


def _shown(multiplier: Decimal) -> str:
    return f"{multiplier.normalize():f}"


def _round(amount: Decimal, unit: int, mode: str) -> int:
    rounding = ROUND_CEILING if mode == UP else ROUND_FLOOR
    return int((amount / unit).to_integral_value(rounding=rounding)) * unit


def calculate(person: Insured, fiscal_year: int, schedule: Schedule) -> Result:
    t = for_year(fiscal_year).stages
    result = Result(fiscal_year=fiscal_year)
    steps = result.steps
    steps.append(f"{fiscal_year}年度（{fiscal_year - 1}年中の所得）の介護保険料（第1号被保険者）")
    result.stage, result.judgment_income = place(person, fiscal_year, schedule, steps)
    _bounds, multipliers = stage_table(fiscal_year, schedule)
    result.stages = len(multipliers)
    result.multiplier = multipliers[result.stage - 1]
    if schedule.multipliers is None:
        result.standard_multiplier = t.standard[result.stage - 1]
        if result.standard_multiplier != result.multiplier:
            steps.append(
                f"第{result.stage}段階の標準の割合 {_shown(result.standard_multiplier)} は公費による軽減で"
                f" {_shown(result.multiplier)}"
            )
    how = f"{schedule.unit}円未満{'切上げ' if schedule.mode == UP else '切捨て'}"
    m = _shown(result.multiplier)
    if schedule.per_month:
        monthly = schedule.base_amount // 12
        month = _round(Decimal(monthly) * result.multiplier, schedule.unit, schedule.mode)
        result.annual_premium = month * 12
        steps.append(
            f"月額: 基準月額 {yen(monthly)} × {m} → {yen(month)}（{how}）; 年額 {yen(result.annual_premium)}"
        )
    else:
        result.annual_premium = _round(
            Decimal(schedule.base_amount) * result.multiplier, schedule.unit, schedule.mode
        )
        steps.append(
            f"年額: 基準額 {yen(schedule.base_amount)} × {m} → {yen(result.annual_premium)}（{how}）"
        )
    return result
