"""利用者負担 (保育料): one child's amount for one month (子ども・子育て支援法 §27③, §30の2;
施行令 §4, §14; insurance-welfare-facts §9.2).

1. The **階層** from the 父母's 市町村民税 所得割 合算額, computed before the 税額控除 (住宅ローン
   控除 …): 生活保護, 非課税, 均等割のみ, then the 所得割 bounds of the municipality's table of the
   年度 (the 国基準 where it has none). Which 年度's tax is the caller's: ``ages.tax_year_for``.
2. The amount of the 階層 by the クラス年齢 (3歳未満 / 3歳以上: the age on 4月1日, all year) and
   the 保育必要量 (標準時間 / 短時間); the 1号 from its own table.
3. **無償化** from 2019-10: the 3–5歳 class of 2号 and every 1号 (満3歳以上) pay nothing; the
   0–2歳 class of a 市町村民税非課税世帯 (or 生活保護) pays nothing.
4. **多子軽減**: the household's children counted oldest first — those within the counted
   クラス年齢 (保育: before 小学校; 教育: up to 小学校3年生), every child where the 所得割 合算額 is
   below the bound — the 2nd pays half (nothing in a 非課税世帯), the 3rd and later nothing.
   A child made free by the 無償化 still counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from yakuba.childcare.rules import parameters
from yakuba.childcare.rules.ages import class_age, fiscal_year_of, tax_year_for
from yakuba.childcare.rules.certification import NEEDS
from yakuba.platform.amounts import yen, yen_down


class FeeRefused(ValueError):
    """No amount can be given: ``errors`` as ``[(field, 理由)]`` in Japanese."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))
        self.errors = errors


@dataclass(frozen=True)
class Household:
    """What the fee rests on: 生活保護, 市町村民税非課税 (every parent's 均等割 非課税) and the 父母's
    所得割 合算額 before the 税額控除, of the 年度 ``tax_year_for`` the month."""

    welfare: bool
    exempt: bool
    income_levy: int


@dataclass(frozen=True)
class Fee:
    year: int
    month: int
    tax_year: int
    class_age: int
    table: str  # the source of the table used
    municipal: bool  # the municipality's own table (else the 国基準)
    tier: str
    tier_label: str
    base: int  # the amount of the 階層
    rank: int  # 第何子 in the 多子 count
    free: str  # why nothing is charged ("" if charged)
    amount: int
    steps: list[str] = field(default_factory=list)


def _tier(tiers, household: Household):
    """The 階層 the household falls in (None: the table has no tier for it)."""
    kinds = {"welfare": household.welfare, "exempt": household.exempt and not household.welfare}
    for tier in tiers:
        kind = tier["kind"]
        if kind in kinds:
            if kinds[kind]:
                return tier
            continue
        if household.welfare or household.exempt:
            continue
        if kind == "per_capita":
            if household.income_levy == 0:
                return tier
            continue
        if "below" not in tier or household.income_levy < tier["below"]:
            return tier
    return None


def _rank(birth: date, siblings: list[date], fiscal_year: int, limit: int | None) -> int:
    """第何子: 1 + the counted siblings born before the child; a sibling born the same day counts
    as older (the caller leaves out the younger twin: services.fees orders twins by 宛名番号)."""
    counted = [s for s in siblings if limit is None or class_age(s, fiscal_year) <= limit]
    return 1 + sum(1 for s in counted if s <= birth)


def monthly_fee(
    *,
    lg_code: str | None,
    year: int,
    month: int,
    birth: date,
    kind: str,
    need: str | None,
    household: Household,
    siblings: list[date],
) -> Fee:
    """The 利用者負担 of a child (``kind`` "1"/"2"/"3", ``need`` the 保育必要量) for the month."""
    fiscal_year = fiscal_year_of(year, month)
    national = parameters.national(fiscal_year)
    klass = class_age(birth, fiscal_year)
    table_kind = "education" if kind == "1" else "nursery"
    table, own = parameters.fee_table(lg_code, fiscal_year, table_kind)
    steps = [
        f"{year}年{month}月分（{fiscal_year}年度、クラス年齢 {klass}歳）: "
        f"{tax_year_for(year, month)}年度の市町村民税による（4〜8月は前年度、9〜3月は当年度）",
        f"利用者負担額表: {'自治体の表' if own else '国の基準（上限額）'}（{table.source}）",
    ]
    tier = _tier(table.tiers, household)
    if tier is None:
        raise FeeRefused(
            [
                (
                    "household.income_levy",
                    f"所得割 {yen(household.income_levy)} の階層が{fiscal_year}年度の利用者負担額表にありません",
                )
            ]
        )
    if kind == "1":
        base = tier["education"]
    else:
        column = tier["under3" if klass < 3 else "over3"]
        base = column[0 if need == "standard" else 1]
    what = "1号" if kind == "1" else f"{'3歳未満' if klass < 3 else '3歳以上'}・{NEEDS.get(need, '')}"
    steps.append(
        f"階層 {tier['code']}（{tier['label']}、所得割合算額 {yen(household.income_levy)}）: {what} {yen(base)}"
    )
    sib = national.siblings
    low = not household.exempt and not household.welfare and household.income_levy < sib.no_age_limit_below
    limit = None if low else sib.counted_class_age[table_kind]
    rank = _rank(birth, siblings, fiscal_year, limit)
    steps.append(
        f"多子の数え方: 第{rank}子（"
        + (
            "所得割合算額が" + yen(sib.no_age_limit_below) + "未満のため年齢を問わず数える"
            if limit is None
            else f"クラス年齢{limit}歳までの子を数える"
        )
        + "）"
    )
    free = ""
    free_rule = national.free
    if free_rule is not None and f"{year:04d}-{month:02d}" >= free_rule.from_month:
        if kind == "1":
            free = "幼児教育・保育の無償化（1号認定、満3歳以上）"
        elif klass >= 3:
            free = "幼児教育・保育の無償化（3〜5歳児クラス）"
        elif household.exempt or household.welfare:
            free = "幼児教育・保育の無償化（0〜2歳児クラスの住民税非課税世帯）"
    if free:
        amount = 0
        steps.append(f"{free}: 0円")
    else:
        amount = base
        if rank >= 2:
            fraction: Decimal = (
                sib.third if rank >= 3 else (sib.exempt_second if household.exempt else sib.second)
            )
            amount = yen_down(base * fraction)
            steps.append(f"多子軽減（第{rank}子）: {yen(base)} × {fraction} = {yen(amount)}")
    steps.append(f"利用者負担額（月額）: {yen(amount)}")
    return Fee(
        year,
        month,
        tax_year_for(year, month),
        klass,
        table.source,
        own,
        tier["code"],
        tier["label"],
        base,
        rank,
        free,
        amount,
        steps,
    )
