"""所得控除 at their 住民税 amounts (地方税法 §314の2), and each one's 人的控除額の差 for the 調整控除.

The amounts differ from 所得税's (基礎 43万 not 48万, 配偶者 33万 not 38万 …): docs/reference/
tax-facts.md §2.2. Every amount and income limit is read from the 年度's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from yakuba.platform.amounts import bracket, yen, yen_down, yen_up
from yakuba.tax.rules.inputs import Calculation, Disability, Relation, Relative, SingleParent, age_on

KEYS = (
    "basic",
    "spouse",
    "spouse_special",
    "dependents",
    "specific_relative",
    "social_insurance",
    "life_insurance",
    "earthquake_insurance",
    "medical_expenses",
    "small_enterprise_mutual_aid",
    "casualty",
    "disability",
    "widow",
    "single_parent",
    "working_student",
)

# 扶養親族 by kind (地方税法 §314の2 ①十一, ③): 一般, 特定 (19–22歳), 老人 (70歳以上), 同居老親等, 年少 (16歳未満).
DEPENDANT_KINDS = ("general", "specific", "elderly", "cohabiting_parent", "young")


@dataclass
class IncomeDeductions:
    amounts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KEYS, 0))
    personal_difference: int = 0  # 人的控除額の差の合計 (調整控除)
    qualified_spouse: bool = False  # 控除対象配偶者
    same_household_spouse: bool = False  # 同一生計配偶者 (spouse income within the limit)
    dependants: int = 0  # 扶養親族 (年少 included) within the income limit
    # 扶養親族 by kind, as a 所得・課税証明書 prints them (DEPENDANT_KINDS)
    dependant_kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DEPENDANT_KINDS, 0))
    steps: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.amounts.values())

    def add(self, key: str, amount: int, step: str, difference: int = 0) -> None:
        if amount <= 0:
            return
        self.amounts[key] += amount
        self.personal_difference += difference
        self.steps.append(step)


def _tier(total_income: int, tiers) -> int | None:
    """Index of the taxpayer's income tier (None above the last)."""
    for i, upto in enumerate(tiers):
        if total_income <= upto:
            return i
    return None


def _life(paid: int, brackets) -> int:
    if paid <= 0:
        return 0
    _upto, rate, add = bracket(paid, brackets)
    return yen_up(Decimal(paid) * rate + add)


def life_insurance(inp, table) -> int:
    """生命保険料控除 (住民税): new and old formulas; a category with both is capped at 28,000
    unless the old alone gives more; 70,000 in all (地方税法 §314の2 ①五)."""
    li = inp.deductions.life_insurance

    def category(old: int, new: int) -> int:
        old_amount, new_amount = _life(old, table.life_old), _life(new, table.life_new)
        if old and new:
            return max(old_amount, min(old_amount + new_amount, table.life_mixed_cap))
        return old_amount + new_amount

    total = (
        category(li.old_general, li.new_general)
        + category(li.old_pension, li.new_pension)
        + _life(li.new_care_medical, table.life_new)
    )
    return min(total, table.life_total_cap)


def _disability_amount(
    kind: Disability | None, *, living_together: bool, own: bool, table
) -> tuple[int, int]:
    """(deduction, difference) for one person's disability. 同居特別障害者 is a spouse's or a
    dependant's who lives with the taxpayer; the taxpayer's own special disability is 特別障害者."""
    if kind is None:
        return 0, 0
    if kind is Disability.SPECIAL_COHABITING and (own or not living_together):
        kind = Disability.SPECIAL
    return table.disability[kind.value], table.disability_difference[kind.value]


def compute(inp: Calculation, *, total_income: int, p) -> IncomeDeductions:
    """Every 所得控除 for ``inp`` whose 合計所得金額 (= 総所得金額等 here) is ``total_income``."""
    out = IncomeDeductions()
    year_end = date(inp.income_year, 12, 31)
    personal = p.personal

    # 基礎控除 (tapered by the taxpayer's income from 令和3年度)
    basic = bracket(total_income, p.basic.brackets)[1]
    out.add("basic", basic, f"基礎控除 {yen(basic)}（合計所得 {yen(total_income)}）", p.basic.difference)

    # 配偶者控除・配偶者特別控除
    spouse = inp.spouse
    sp = p.spouse
    if spouse is not None:
        out.same_household_spouse = spouse.total_income <= sp.spouse_income_limit
        tier = _tier(total_income, sp.taxpayer_tiers)
        elderly = age_on(spouse.birth_date, year_end) >= sp.elderly_age
        deduction_tier = 0 if sp.deduction_taxpayer_limit == 0 else tier
        if out.same_household_spouse and deduction_tier is not None:
            out.qualified_spouse = True
            amount = sp.deduction[deduction_tier][1 if elderly else 0]
            out.add(
                "spouse",
                amount,
                f"配偶者控除{'（老人控除対象配偶者）' if elderly else ''} {yen(amount)}",
                sp.difference[deduction_tier][1 if elderly else 0],
            )
        elif not out.same_household_spouse and tier is not None:
            row = next((r for r in sp.special if spouse.total_income <= r[0]), None)
            if row is not None:
                amount = row[1][tier]
                diff_row = next((r for r in sp.special_difference if spouse.total_income <= r[0]), None)
                out.add(
                    "spouse_special",
                    amount,
                    f"配偶者特別控除 {yen(amount)}（配偶者の合計所得 {yen(spouse.total_income)}）",
                    diff_row[1][tier] if diff_row else 0,
                )
        if out.same_household_spouse:
            amount, diff = _disability_amount(
                spouse.disability, living_together=spouse.living_together, own=False, table=personal
            )
            out.add("disability", amount, f"障害者控除（配偶者） {yen(amount)}", diff)

    # 扶養控除 (年少 = 0, but counted as a dependant for the 障害者控除, 非課税 and 定額減税)
    dp = p.dependents
    for i, dependant in enumerate(inp.dependents, start=1):
        if dependant.total_income > dp.income_limit:
            special = _specific_relative(dependant, age_on(dependant.birth_date, year_end), dp)
            if special:
                out.add(
                    "specific_relative",
                    special,
                    f"特定親族特別控除（扶養親族{i}・合計所得 {yen(dependant.total_income)}） {yen(special)}"
                    "（調整控除の人的控除差は未確認のため 0円）",
                )
                continue
            out.steps.append(
                f"扶養親族{i}: 合計所得 {yen(dependant.total_income)} が {yen(dp.income_limit)} を超えるため対象外"
            )
            continue
        out.dependants += 1
        amount, diff, label, kind = _dependant(dependant, age_on(dependant.birth_date, year_end), dp)
        out.dependant_kinds[kind] += 1
        if amount:
            out.add("dependents", amount, f"扶養控除（扶養親族{i}・{label}） {yen(amount)}", diff)
        else:
            out.steps.append(f"扶養親族{i}: {label}（控除額 0円）")
        amount, diff = _disability_amount(
            dependant.disability, living_together=dependant.living_together, own=False, table=personal
        )
        out.add("disability", amount, f"障害者控除（扶養親族{i}） {yen(amount)}", diff)

    # The taxpayer's own: 障害者, 寡婦 / ひとり親, 勤労学生
    taxpayer = inp.taxpayer
    amount, diff = _disability_amount(taxpayer.disability, living_together=False, own=True, table=personal)
    out.add("disability", amount, f"障害者控除（本人） {yen(amount)}", diff)
    if taxpayer.single_parent is not None and total_income <= personal.single_parent_income_limit:
        kind = taxpayer.single_parent
        amount = personal.single_parent[kind.value]
        label = (
            "ひとり親控除"
            if p.fiscal_year >= 2021
            else ("寡婦控除（特別の寡婦）" if kind is SingleParent.MOTHER else "寡夫控除")
        )
        out.add(
            "single_parent", amount, f"{label} {yen(amount)}", personal.single_parent_difference[kind.value]
        )
    elif taxpayer.widow and (
        total_income <= personal.widow_income_limit
        or (personal.widow_limit_only_without_dependants and out.dependants > 0)
    ):
        out.add("widow", personal.widow, f"寡婦控除 {yen(personal.widow)}", personal.widow_difference)
    if taxpayer.working_student and total_income <= personal.working_student_income_limit:
        out.add(
            "working_student",
            personal.working_student,
            f"勤労学生控除 {yen(personal.working_student)}",
            personal.working_student_difference,
        )

    # Premiums and losses
    d = inp.deductions
    out.add("social_insurance", d.social_insurance, f"社会保険料控除 {yen(d.social_insurance)}")
    out.add(
        "small_enterprise_mutual_aid",
        d.small_enterprise_mutual_aid,
        f"小規模企業共済等掛金控除 {yen(d.small_enterprise_mutual_aid)}",
    )
    amount = life_insurance(inp, p.insurance)
    out.add(
        "life_insurance",
        amount,
        f"生命保険料控除 {yen(amount)}（住民税の計算式、上限 {yen(p.insurance.life_total_cap)}）",
    )
    if d.earthquake_insurance:
        _upto, rate, add = p.insurance.earthquake[0]
        amount = min(yen_up(Decimal(d.earthquake_insurance) * rate + add), p.insurance.earthquake_cap)
        out.add("earthquake_insurance", amount, f"地震保険料控除 {yen(amount)}")
    losses = p.losses
    if d.medical_expenses:
        floor = min(losses.medical_floor, yen_down(Decimal(total_income) * losses.medical_floor_rate))
        amount = min(max(0, d.medical_expenses - floor), losses.medical_cap)
        out.add(
            "medical_expenses",
            amount,
            f"医療費控除 {yen(amount)}（支払額 {yen(d.medical_expenses)} − {yen(floor)}）",
        )
    if d.casualty:
        floor = yen_down(Decimal(total_income) * losses.casualty_rate)
        amount = max(0, d.casualty - floor)
        out.add("casualty", amount, f"雑損控除 {yen(amount)}（損失額 {yen(d.casualty)} − {yen(floor)}）")
    return out


def _dependant(dependant: Relative, age: int, dp) -> tuple[int, int, str, str]:
    """(deduction, difference, label, kind) of one dependant by age on 12月31日 (地方税法
    §314の2 ③); ``kind`` one of DEPENDANT_KINDS."""
    if age < dp.young_under:
        return 0, 0, f"年少扶養親族（{age}歳）", "young"
    if dp.specific[0] <= age <= dp.specific[1]:
        return dp.specific_amount, dp.difference["specific"], f"特定扶養親族（{age}歳）", "specific"
    if age >= dp.elderly_from:
        if dependant.relation is Relation.PARENT and dependant.living_together:
            amount, difference = dp.cohabiting_parent, dp.difference["cohabiting_parent"]
            return amount, difference, f"同居老親等（{age}歳）", "cohabiting_parent"
        return dp.elderly, dp.difference["elderly"], f"老人扶養親族（{age}歳）", "elderly"
    return dp.general, dp.difference["general"], f"一般の扶養親族（{age}歳）", "general"


def _specific_relative(relative: Relative, age: int, dp) -> int:
    """特定親族特別控除 (令和8年度から): a 19–22歳 relative whose income is above the 扶養 limit
    but within the table (令和7年度税制改正)."""
    table = getattr(dp, "specific_relative", None)
    if table is None or not dp.specific[0] <= age <= dp.specific[1]:
        return 0
    row = next((r for r in table if relative.total_income <= r[0]), None)
    return row[1] if row else 0
