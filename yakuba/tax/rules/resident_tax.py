"""The 個人住民税 of one taxpayer for one 年度: a pure function of the facts and the 年度's
parameters (docs/reference/contract.md §9.2; the order of the rules: tax-facts §2).

所得 → 非課税 → 所得控除 → 課税総所得 (1,000円未満切捨て) → 所得割 (市・県) → 税額控除 →
所得割 (100円未満切捨て) → 均等割 and 森林環境税. Every rule applied leaves a Japanese line in
``steps``, so a clerk can explain the figure at the counter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from yakuba.platform.amounts import floor_to, yen, yen_down
from yakuba.tax.rules import credits, deductions, income
from yakuba.tax.rules.credits import PARTS, Part
from yakuba.tax.rules.inputs import Calculation, Disability, Locality, age_on
from yakuba.tax.rules.parameters import for_year


@dataclass
class PartResult:
    income_levy_before_credits: int = 0
    adjustment_credit: int = 0
    other_credits: int = 0
    income_levy: int = 0
    per_capita_levy: int = 0

    @property
    def total(self) -> int:
        return self.income_levy + self.per_capita_levy

    def as_dict(self) -> dict[str, int]:
        return {
            "income_levy_before_credits": self.income_levy_before_credits,
            "adjustment_credit": self.adjustment_credit,
            "other_credits": self.other_credits,
            "income_levy": self.income_levy,
            "per_capita_levy": self.per_capita_levy,
            "total": self.total,
        }


@dataclass
class Result:
    fiscal_year: int
    total_income: int = 0
    income_deductions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(deductions.KEYS, 0))
    taxable_income: int = 0
    municipal: PartResult = field(default_factory=PartResult)
    prefectural: PartResult = field(default_factory=PartResult)
    forest_environment_tax: int = 0
    non_taxable_per_capita: bool = False
    non_taxable_income_levy: bool = False
    steps: list[str] = field(default_factory=list)
    # Figures other apps read (国保, 介護, 児童手当: 所得 and 課税/非課税), beside the contract's.
    salary_income: int = 0
    pension_income: int = 0
    dependants: dict[str, int] = field(default_factory=lambda: dict.fromkeys(deductions.DEPENDANT_KINDS, 0))

    @property
    def total(self) -> int:
        return self.municipal.total + self.prefectural.total + self.forest_environment_tax

    def as_dict(self) -> dict:
        """The contract's output JSON (contract §9.2)."""
        return {
            "fiscal_year": self.fiscal_year,
            "total_income": self.total_income,
            "income_deductions": {**self.income_deductions, "total": sum(self.income_deductions.values())},
            "taxable_income": self.taxable_income,
            "municipal": self.municipal.as_dict(),
            "prefectural": self.prefectural.as_dict(),
            "forest_environment_tax": self.forest_environment_tax,
            "total": self.total,
            "non_taxable": {
                "per_capita": self.non_taxable_per_capita,
                "income_levy": self.non_taxable_income_levy,
            },
            # An addition to the contract: the 所得 other apps need by kind (国保's 軽減 and
            # 介護保険料 treat 給与所得 and 年金所得 apart).
            "income_by_kind": {
                "salary": self.salary_income,
                "public_pension": self.pension_income,
                "other": self.total_income - self.salary_income - self.pension_income,
            },
            # Also an addition: the 扶養親族 by kind, as the 所得・課税証明書 prints them.
            "dependants": dict(self.dependants),
            "steps": list(self.steps),
        }


def _incomes(inp: Calculation, p, result: Result) -> int:
    """合計所得金額 (= 総所得金額等: no separately taxed income, no carried-over losses here)."""
    inc = inp.incomes
    year_end = date(inp.income_year, 12, 31)
    steps = result.steps
    salary = income.salary_income(inc.salary, p.salary)
    if inc.salary:
        table = "所得税法別表第五" if inc.salary < p.salary.table_below else "給与所得控除の算式"
        steps.append(
            f"給与所得: 給与収入 {yen(inc.salary)} → {yen(salary)}（{table}、{p.salary.source.split(';')[0]}）"
        )
    others = inc.business + inc.real_estate + inc.dividends + inc.miscellaneous
    elderly = age_on(inp.taxpayer.birth_date, year_end) >= p.pension.elderly_age
    pension = income.pension_income(
        inc.public_pension, elderly=elderly, other_income=salary + others, table=p.pension
    )
    if inc.public_pension:
        steps.append(
            f"公的年金等に係る雑所得: 収入 {yen(inc.public_pension)} → {yen(pension)}"
            f"（{'65歳以上' if elderly else '65歳未満'}の公的年金等控除）"
        )
    if p.salary_adjustment is not None and salary:
        if _child_adjustment_applies(inp, p):
            cut = income.adjustment_for_children(inc.salary, p.salary_adjustment)
            if cut:
                salary -= min(cut, salary)
                steps.append(f"所得金額調整控除（子ども・特別障害者等）: {yen(cut)}")
        cut = income.adjustment_for_pension(salary, pension, p.salary_adjustment)
        if cut:
            salary -= cut
            steps.append(f"所得金額調整控除（給与所得と年金所得）: {yen(cut)}")
    result.salary_income, result.pension_income = salary, pension
    for label, amount in (
        ("事業所得", inc.business),
        ("不動産所得", inc.real_estate),
        ("配当所得", inc.dividends),
        ("その他の雑所得", inc.miscellaneous),
    ):
        if amount:
            steps.append(f"{label}: {yen(amount)}")
    total = salary + pension + others
    steps.append(f"合計所得金額: {yen(total)}")
    return total


def _child_adjustment_applies(inp: Calculation, p) -> bool:
    """A 23歳未満 扶養親族, or a 特別障害者 (本人, 同一生計配偶者 or 扶養親族) (措置法 §41の3の3 ①)."""
    year_end = date(inp.income_year, 12, 31)
    special = {Disability.SPECIAL, Disability.SPECIAL_COHABITING}
    if inp.taxpayer.disability in special:
        return True
    spouse = inp.spouse
    if (
        spouse is not None
        and spouse.total_income <= p.spouse.spouse_income_limit
        and spouse.disability in special
    ):
        return True
    return any(
        d.total_income <= p.dependents.income_limit
        and (age_on(d.birth_date, year_end) < p.salary_adjustment.child_age_under or d.disability in special)
        for d in inp.dependents
    )


def _fully_exempt(inp: Calculation, p, total_income: int) -> str | None:
    """地方税法 §295 ①: 生活扶助 recipients; 障害者・未成年者・寡婦・ひとり親 with 合計所得 up to
    135万 (令和2年度まで 125万) pay neither 均等割 nor 所得割."""
    t = inp.taxpayer
    if t.public_assistance:
        return "生活保護法による生活扶助を受けているため非課税"
    nt = p.non_taxable
    minor = age_on(t.birth_date, date(inp.fiscal_year, 1, 1)) < nt.minor_under
    reasons = [
        label
        for label, applies in (
            ("障害者", t.disability is not None),
            ("未成年者", minor),
            ("寡婦", t.widow),
            ("ひとり親" if inp.fiscal_year >= 2021 else "寡婦・寡夫", t.single_parent is not None),
        )
        if applies
    ]
    if reasons and total_income <= nt.protected_limit:
        return f"{'・'.join(reasons)}で合計所得 {yen(total_income)} が {yen(nt.protected_limit)} 以下のため非課税"
    return None


STANDARD = Locality()


def calculate(inp: Calculation, locality: Locality = STANDARD) -> Result:
    p = for_year(inp.fiscal_year)
    result = Result(fiscal_year=inp.fiscal_year)
    steps = result.steps
    steps.append(f"{_wareki_year(inp.fiscal_year)}度（{inp.income_year}年中の所得）の個人住民税")
    total_income = _incomes(inp, p, result)
    result.total_income = total_income

    exempt = _fully_exempt(inp, p, total_income)
    if exempt:
        result.non_taxable_per_capita = result.non_taxable_income_levy = True
        steps.append(exempt)
        steps.append(f"年税額: {yen(0)}")
        return result

    ded = deductions.compute(inp, total_income=total_income, p=p)
    result.income_deductions = dict(ded.amounts)
    result.dependants = dict(ded.dependant_kinds)
    steps.extend(ded.steps)
    steps.append(f"所得控除の合計: {yen(ded.total)}")
    taxable = floor_to(max(0, total_income - ded.total), 1000)
    result.taxable_income = taxable
    steps.append(
        f"課税総所得金額: {yen(total_income)} − {yen(ded.total)} → {yen(taxable)}（1,000円未満切捨て）"
    )

    # Who counts for the 非課税限度額: 本人 + 同一生計配偶者 + 扶養親族 (年少 included)
    persons = 1 + int(ded.same_household_spouse) + ded.dependants
    nt = p.non_taxable
    per_person, dependant_add = nt.per_capita[str(locality.grade)]
    per_capita_limit = per_person * persons + nt.per_capita_base + (dependant_add if persons > 1 else 0)
    result.non_taxable_per_capita = total_income <= per_capita_limit
    levy_person, levy_add = nt.income_levy
    income_levy_limit = levy_person * persons + nt.income_levy_base + (levy_add if persons > 1 else 0)
    result.non_taxable_income_levy = total_income <= income_levy_limit

    rates = _income_levy_rates(p, locality)
    parts = {part: Part(levy=yen_down(Decimal(taxable) * rates[part])) for part in PARTS}
    for part in PARTS:
        getattr(result, part).income_levy_before_credits = parts[part].levy
    steps.append(
        f"算出所得割額: {yen(taxable)} × 市 {rates['municipal'] * 100:g}% = {yen(parts['municipal'].levy)}、"
        f"県 {rates['prefectural'] * 100:g}% = {yen(parts['prefectural'].levy)}"
    )
    designated = locality.designated_city and p.income_levy.designated_city != p.income_levy.standard
    steps.extend(
        credits.adjustment(
            parts,
            taxable=taxable,
            total_income=total_income,
            difference=ded.personal_difference,
            table=p.adjustment,
            designated=designated,
        )
    )
    tc = inp.tax_credits
    steps.extend(
        credits.dividend(
            parts,
            dividends=inp.incomes.dividends,
            given=tc.dividend_credit,
            taxable=taxable,
            table=p.dividend,
            designated=designated,
        )
    )
    steps.extend(
        credits.housing_loan(
            parts,
            amount=tc.housing_loan,
            specified=tc.housing_loan_specified,
            base=taxable if tc.income_tax_taxable_income is None else tc.income_tax_taxable_income,
            table=p.housing_loan,
            designated=designated,
        )
    )
    steps.extend(
        credits.donation(
            parts,
            furusato=tc.furusato_donation,
            other=tc.other_donations,
            total_income=total_income,
            taxable=taxable,
            difference=ded.personal_difference,
            rates=_split_rates(p, designated),
            table=p.donation,
        )
    )
    flat = p.flat_reduction
    if flat is not None:
        if flat.spouse == "qualified":
            count, label = 1 + int(ded.qualified_spouse) + ded.dependants, "本人・控除対象配偶者・扶養親族"
        else:
            count = int(ded.same_household_spouse and not ded.qualified_spouse)
            label = "令和6年度に控除対象配偶者でなかった同一生計配偶者"
        steps.extend(
            credits.flat_reduction(parts, persons=count, total_income=total_income, table=flat, label=label)
        )

    for part in PARTS:
        r = getattr(result, part)
        r.adjustment_credit = parts[part].adjustment
        r.other_credits = parts[part].other
        r.income_levy = floor_to(parts[part].levy, 100)
    steps.append(
        f"所得割額: 市 {yen(result.municipal.income_levy)}・県 {yen(result.prefectural.income_levy)}（100円未満切捨て）"
    )
    if result.non_taxable_income_levy:
        result.municipal.income_levy = result.prefectural.income_levy = 0
        steps.append(
            f"所得割は非課税: 総所得金額等 {yen(total_income)} ≤ 非課税限度額 {yen(income_levy_limit)}（{persons}人）"
        )

    if result.non_taxable_per_capita:
        steps.append(
            f"均等割は非課税: 合計所得 {yen(total_income)} ≤ 非課税限度額 {yen(per_capita_limit)}"
            f"（{locality.grade}級地・{persons}人）"
        )
    else:
        result.municipal.per_capita_levy, result.prefectural.per_capita_levy = _per_capita(p, locality)
        result.forest_environment_tax = p.per_capita.forest_environment_tax
        steps.append(
            f"均等割: 市 {yen(result.municipal.per_capita_levy)}・県 {yen(result.prefectural.per_capita_levy)}"
            + (f"、森林環境税 {yen(result.forest_environment_tax)}" if result.forest_environment_tax else "")
        )
    steps.extend(locality.notes)
    steps.append(f"年税額: {yen(result.total)}")
    return result


def _split_rates(p, designated: bool) -> dict[str, Decimal]:
    table = p.income_levy.designated_city if designated else p.income_levy.standard
    return {part: table[part] for part in PARTS}


def _income_levy_rates(p, locality: Locality) -> dict[str, Decimal]:
    if locality.income_levy is not None:
        return {
            "municipal": Decimal(locality.income_levy.municipal),
            "prefectural": Decimal(locality.income_levy.prefectural),
        }
    base = _split_rates(p, locality.designated_city)
    return {
        "municipal": base["municipal"] + locality.income_levy_add.municipal,
        "prefectural": base["prefectural"] + locality.income_levy_add.prefectural,
    }


def _per_capita(p, locality: Locality) -> tuple[int, int]:
    if locality.per_capita is not None:
        return int(locality.per_capita.municipal), int(locality.per_capita.prefectural)
    return (
        p.per_capita.municipal + int(locality.per_capita_add.municipal),
        p.per_capita.prefectural + int(locality.per_capita_add.prefectural),
    )


def _wareki_year(year: int) -> str:
    """「令和8年」: the 年度 as the notices print it."""
    return f"令和{year - 2018}年" if year >= 2019 else f"平成{year - 1988}年"
