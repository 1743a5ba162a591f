"""The 国民健康保険税/料 of one 世帯 for one 年度: a pure function of the 世帯, its rates and the
年度's parameters (docs/reference/contract.md §9.3; the rules: insurance-welfare-facts §2).

所得 (非自発的失業者: 給与所得 × 30/100) → 基礎控除後の総所得金額等 → 軽減判定 (7割・5割・2割, judged
once, on 4月1日 or the first month of 資格) → for each part (医療分, 後期高齢者支援金等分, 介護納付金分,
子ども・子育て支援納付金分) and each month of the 年度: 所得割 + 均等割 (軽減, 未就学児 ½, the
子ども's 10割) + 平等割 (軽減, 特定世帯), without the 産前産後 person's 所得割 and 均等割 → the months
summed ÷ 12, each figure truncated to the yen → the part's 賦課限度額 → 100円未満切捨て → the sum of
the parts. A full 年度 with the same members gives the annual figures unchanged; a month in which
someone is not insured, not 40–64 or giving birth changes only that twelfth. Every rule applied
leaves a Japanese line in ``steps``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from yakuba.health_insurance.rules import months
from yakuba.health_insurance.rules.inputs import Household, LevyType, Part, PartRates, Person
from yakuba.health_insurance.rules.parameters import for_year
from yakuba.platform.amounts import bracket, floor_to, yen, yen_down

NONE = "none"
LEVELS = ("7割", "5割", "2割")


@dataclass
class PartResult:
    income_levy: int = 0
    per_capita_levy: int = 0
    per_household_levy: int = 0
    limit: int = 0
    total: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "income_levy": self.income_levy,
            "per_capita_levy": self.per_capita_levy,
            "per_household_levy": self.per_household_levy,
            "limit": self.limit,
            "total": self.total,
        }


@dataclass(frozen=True)
class Facts:
    """What the rules derive for one person before any part is computed."""

    person: Person
    income: int  # 総所得金額等 after the 非自発的失業者 rule
    base: int  # 基礎控除後の総所得金額等 (所得割の基礎)
    judgment_income: int  # for the 軽減判定 (65歳以上: − 公的年金等特別控除 15万円)
    earner: bool  # 給与所得者等
    insured: range  # months in 国保
    care: range  # months aged 40–64
    childbirth: range  # months of the 産前産後 reduction
    preschool: bool
    child: bool  # before the 3月31日 after the 18th birthday (子ども・子育て支援納付金分)


@dataclass
class Result:
    fiscal_year: int
    levy_type: LevyType
    income_base: int = 0
    care_income_base: int = 0
    reduction_judgment_income: int = 0
    reduction: str = NONE
    earners: int = 0
    counted: int = 0
    thresholds: dict[str, int] = field(default_factory=dict)
    parts: dict[Part, PartResult | None] = field(default_factory=dict)
    members: list[dict] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)

    @property
    def annual_total(self) -> int:
        return sum(r.total for r in self.parts.values() if r is not None)

    def as_dict(self) -> dict:
        """The contract's output JSON (contract §9.3), with the additions it allows."""
        out = {
            "fiscal_year": self.fiscal_year,
            "levy_type": str(self.levy_type),
            "income_base": self.income_base,
            "care_income_base": self.care_income_base,
            "reduction_judgment_income": self.reduction_judgment_income,
            "reduction": self.reduction,
            "reduction_judgment": {
                "earners": self.earners,
                "persons": self.counted,
                "thresholds": dict(self.thresholds),
            },
        }
        for part in Part:
            result = self.parts.get(part)
            out[str(part)] = result.as_dict() if result is not None else None
        out["annual_total"] = self.annual_total
        out["members"] = list(self.members)
        out["steps"] = list(self.steps)
        return out


def _wareki_year(year: int) -> str:
    return f"令和{year - 2018}年度" if year >= 2019 else f"平成{year - 1988}年度"


def _facts(person: Person, h: Household, p, steps: list[str]) -> Facts:
    fy, red = h.fiscal_year, p.reduction
    income = person.total_income
    if person.involuntary_unemployment:
        salary = person.salary_income or 0
        reduced = yen_down(Decimal(salary) * p.involuntary_unemployment.salary_ratio)
        income = income - salary + reduced
        steps.append(
            f"{person.role}: 非自発的失業者の軽減 — 給与所得 {yen(salary)} を {yen(reduced)}"
            f"（{p.involuntary_unemployment.salary_ratio * 100:g}/100）として総所得金額等 {yen(income)}"
        )
    deduction = bracket(income, p.basic_deduction.brackets)[1]
    base = max(0, income - deduction)
    elderly = months.elderly_at_year_end(person, fy, red.elderly_age)
    special = 0
    if elderly and (person.public_pension_revenue or person.pension_income):
        pension = person.pension_income
        if pension is None:
            pension = max(0, person.public_pension_revenue - red.elderly_pension_minimum)
        special = min(red.pension_special, pension, income)
    pension_bound = red.earner_pension_over_elderly if elderly else red.earner_pension_over
    earner = person.salary_revenue > red.earner_salary_over or person.public_pension_revenue > pension_bound
    insured = months.insured(person, fy, p.late_elderly.age)
    care = months.aged_between(person, fy, p.care.from_age, p.care.until_age)
    facts = Facts(
        person=person,
        income=income,
        base=base,
        judgment_income=income - special,
        earner=earner,
        insured=insured,
        care=range(max(care.start, insured.start), min(care.stop, insured.stop))
        if insured and care
        else range(0),
        childbirth=months.childbirth(person, fy, p.childbirth),
        preschool=person.preschool
        if person.preschool is not None
        else months.until_school_year_end(person, fy, p.preschool.age),
        child=p.child_rearing is not None
        and months.until_school_year_end(person, fy, p.child_rearing.child_age),
    )
    if insured:
        line = (
            f"{person.role}: 総所得金額等 {yen(income)} − 基礎控除 {yen(deduction)} = 基礎控除後 {yen(base)}"
        )
        if len(insured) < months.MONTHS:
            line += f"、資格 {months.span(insured)}"
        if facts.care and len(facts.care) < len(insured):
            line += f"、介護分 {months.span(facts.care)}"
        steps.append(line)
    if special:
        steps.append(f"{person.role}: 65歳以上の公的年金等特別控除 {yen(special)}（軽減判定のみ）")
    return facts


def _judge(h: Household, p, everyone: list[Facts], result: Result) -> Decimal:
    """7割・5割・2割軽減 of the 均等割 and 平等割 (地方税法 §703の5): judged once, on 4月1日 or in the
    first month of 資格 of a 世帯 that joins later, over the 世帯主 (擬制世帯主 too), the insured
    and the 特定同一世帯所属者 (insurance-welfare-facts §2.5). Returns what is left (1 = none)."""
    steps, red, t = result.steps, p.reduction, h.thresholds
    first = min(f.insured.start for f in everyone if f.insured)
    counted = [f for f in everyone if first in f.insured or f.person.specified]
    judged = counted + [f for f in everyone if f.person.head and f not in counted]
    base = red.base if t.base is None else t.base
    per_earner = red.per_extra_earner if t.per_extra_earner is None else t.per_extra_earner
    half = getattr(red, "half_per_member", None) if t.half_per_member is None else t.half_per_member
    twenty = (
        getattr(red, "twenty_pct_per_member", None)
        if t.twenty_pct_per_member is None
        else t.twenty_pct_per_member
    )
    earners = sum(f.earner for f in judged)
    n = len(counted)
    extra = per_earner * max(0, earners - 1)
    income = sum(f.judgment_income for f in judged)
    result.reduction_judgment_income, result.earners, result.counted = income, earners, n
    result.thresholds = {
        "7割": base + extra,
        "5割": base + half * n + extra,
        "2割": base + twenty * n + extra,
    }
    when = "4月1日" if first == 0 else f"資格取得の月（{months.month_name(first)}）"
    steps.append(
        f"軽減判定（{when}）: 判定所得 {yen(income)}（世帯主・被保険者・特定同一世帯所属者 {len(judged)}人）、"
        f"被保険者等 {n}人、給与所得者等 {earners}人"
    )
    if not all(f.person.income_declared for f in judged):
        steps.append("所得の申告がない人がいるため、7割・5割・2割軽減は行いません")
        return Decimal(1)
    for level in LEVELS:
        limit = result.thresholds[level]
        if income <= limit:
            result.reduction = level
            steps.append(f"{level}軽減: 判定所得 {yen(income)} ≤ 基準額 {yen(limit)}（均等割・平等割に適用）")
            return red.factors[level]
    steps.append(f"軽減なし: 判定所得 {yen(income)} > 2割軽減の基準額 {yen(result.thresholds['2割'])}")
    return Decimal(1)


def _per_capita(f: Facts, part: Part, rates: PartRates, left: Decimal, p) -> Decimal:
    """One member's 均等割 for a month's twelfth of the year: after the 7割・5割・2割軽減, the
    未就学児 5割 (on what the 軽減 left: 8.5・7.5・6・5割 in all) and, in the 子ども・子育て支援納付金分,
    the children's 10割 and the others' 18歳以上均等割."""
    if part is Part.CHILD_REARING:
        return Decimal(0) if f.child else (rates.per_capita + rates.adult_per_capita) * left
    amount = rates.per_capita * left
    return amount * p.preschool.factor if f.preschool else amount


def _stretches(everyone: list[Facts]) -> list[tuple[int, int]]:
    """(first month, length) of each run of months within which no member's 資格, 介護分 or
    産前産後 months begin or end."""
    cuts = {0, months.MONTHS}
    for f in everyone:
        for r in (f.insured, f.care, f.childbirth):
            cuts.update(m for m in (r.start, r.stop) if 0 < m < months.MONTHS)
    edges = sorted(cuts)
    return [(a, b - a) for a, b in zip(edges, edges[1:], strict=False)]


def _part(
    h: Household, p, part: Part, everyone: list[Facts], left: Decimal, result: Result, explain: bool
) -> PartResult:
    rates = h.rates.get(part)
    limit = (rates.limit if rates and rates.limit is not None else getattr(p.limits, str(part), None)) or 0
    out = PartResult(limit=limit)
    if rates is None:
        return out
    status_factor = Decimal(1)
    if h.status is not None and str(part) in p.specified_household.parts:
        status_factor = p.specified_household.factors[str(h.status)]
    # Months with the same members in the same state cost the same: group them, looking at one
    # month of each stretch in which nobody's months change (usually the whole year).
    shapes: Counter = Counter()
    for m, count in _stretches(everyone):
        present = tuple(
            i for i, f in enumerate(everyone) if m in f.insured and (part is not Part.CARE or m in f.care)
        )
        exempt = frozenset(i for i in present if m in everyone[i].childbirth)
        shapes[(present, exempt)] += count
    income = capita = household = capped = Decimal(0)
    for (present, exempt), count in shapes.items():
        if not present:
            continue
        charged = [everyone[i] for i in present if i not in exempt]
        levy = Decimal(sum(f.base for f in charged)) * rates.income_rate / 100
        heads = sum((_per_capita(f, part, rates, left, p) for f in charged), Decimal(0))
        flat = rates.per_household * left * status_factor
        income += levy * count
        capita += heads * count
        household += flat * count
        capped += min(Decimal(limit), levy + heads + flat) * count
    out.income_levy = yen_down(income / months.MONTHS)
    out.per_capita_levy = yen_down(capita / months.MONTHS)
    out.per_household_levy = yen_down(household / months.MONTHS)
    figures = out.income_levy + out.per_capita_levy + out.per_household_levy
    out.total = floor_to(min(yen_down(capped / months.MONTHS), figures), h.truncation)
    if explain:
        _part_steps(h, part, rates, out, everyone, figures, status_factor != 1, result)
    return out


STATUS = {"specified": "特定世帯 ½", "specified_continuing": "特定継続世帯 ¾"}
UNITS = {1: "1円未満", 10: "10円未満", 100: "100円未満"}


def _part_steps(h: Household, part: Part, rates, out, everyone, figures, specified: bool, result) -> None:
    steps = result.steps
    members = [f for f in everyone if f.insured and (part is not Part.CARE or f.care)]
    base = sum(f.base for f in members)
    label = part.label
    steps.append(
        f"{label} 所得割: {yen(base)} × {rates.income_rate:g}% → {yen(out.income_levy)}"
        + ("（月割）" if any(_partial(f, part) for f in members) else "")
    )
    notes = []
    if result.reduction != NONE:
        notes.append(f"{result.reduction}軽減")
    if part is Part.CHILD_REARING:
        children = sum(f.child for f in members)
        if children:
            notes.append(f"18歳年度末までの{children}人は10割軽減")
        if rates.adult_per_capita:
            notes.append(f"18歳以上均等割 {yen(rates.adult_per_capita)}")
    elif any(f.preschool for f in members):
        notes.append(f"未就学児 {sum(f.preschool for f in members)}人は5割軽減")
    if any(f.childbirth for f in members):
        notes.append("産前産後の月は所得割・均等割なし")
    steps.append(
        f"{label} 均等割: {yen(rates.per_capita)} × {len(members)}人 → {yen(out.per_capita_levy)}"
        + (f"（{'、'.join(notes)}）" if notes else "")
    )
    if rates.per_household:
        status = STATUS[str(h.status)] if specified else None
        extra = [x for x in (f"{result.reduction}軽減" if result.reduction != NONE else None, status) if x]
        steps.append(
            f"{label} 平等割: {yen(rates.per_household)} → {yen(out.per_household_levy)}"
            + (f"（{'、'.join(extra)}）" if extra else "")
        )
    if figures > out.limit:
        steps.append(f"{label}: {yen(figures)} は賦課限度額 {yen(out.limit)} を超えるため限度額まで")
    steps.append(f"{label}: {yen(out.total)}（{UNITS[h.truncation]}切捨て）")


def _partial(f: Facts, part: Part) -> bool:
    kept = f.care if part is Part.CARE else f.insured
    return len(kept) < months.MONTHS or bool(f.childbirth)


def calculate(h: Household, *, explain: bool = True) -> Result:
    """The tax of ``h``. ``explain=False`` leaves out the lines of each part's figures (the
    本算定 stores no steps and calls this for every 世帯; the figures are the same)."""
    p = for_year(h.fiscal_year)
    result = Result(fiscal_year=h.fiscal_year, levy_type=h.levy_type)
    steps = result.steps
    kind = (
        "国民健康保険税（地方税法 §703の4）"
        if h.levy_type is LevyType.TAX
        else "国民健康保険料（国民健康保険法 §76）"
    )
    steps.append(f"{_wareki_year(h.fiscal_year)}（{h.income_year}年中の所得）の{kind}")
    everyone = [_facts(person, h, p, steps) for person in h.persons]
    left = _judge(h, p, everyone, result)
    result.income_base = sum(f.base for f in everyone if f.insured)
    result.care_income_base = sum(f.base for f in everyone if f.care)
    if h.status is not None:
        steps.append(f"{STATUS[str(h.status)]}: 医療分・後期高齢者支援金等分の平等割に適用")
    for part in Part:
        if part is Part.CHILD_REARING and p.child_rearing is None:
            result.parts[part] = None
            continue
        result.parts[part] = _part(h, p, part, everyone, left, result, explain)
    result.members = [
        {
            "role": f.person.role,
            "member": f.person.insured,
            "months": len(f.insured),
            "care_months": len(f.care),
            "income_base": f.base if f.insured else 0,
            "preschool": bool(f.insured) and f.preschool,
        }
        for f in everyone
    ]
    steps.append(f"年額: {yen(result.annual_total)}（各分の合計）")
    return result
