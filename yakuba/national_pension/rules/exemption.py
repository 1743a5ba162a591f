"""国民年金保険料の免除・納付猶予・学生納付特例: who passes which income test and what is granted
(国民年金法 §90, §90の2, §90の3; 施行令 §6の7〜§6の9; 平成26年改正法附則 §14; the rules and their
sources: docs/national_pension.md, insurance-welfare-facts §5).

Each person judged is tested on their own 前年所得 with their own 扶養親族等 and 社会保険料控除等:
for 免除 the applicant, the 配偶者 and the 世帯主 must all pass; for 納付猶予 only the applicant
and the 配偶者 (the 世帯主's income is why it exists — a young person living with parents); for
学生納付特例 the applicant alone. The 審査 runs in the order of the 申請書: 全額免除, then 納付猶予,
then 4分の3・半額・4分の1免除; the first that holds is granted. A person who lost their job
(特例免除) is left out of the test; a disaster (財産の概ね2分の1以上の損害) grants whatever the
income; a 配偶者 whose violence separated the household (DV) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yakuba.national_pension.rules.parameters import for_year
from yakuba.platform.amounts import yen

FULL, THREE_QUARTERS, HALF, QUARTER = "全額免除", "4分の3免除", "半額免除", "4分の1免除"
DEFERRAL, STUDENT = "納付猶予", "学生納付特例"
EXEMPTIONS = (FULL, THREE_QUARTERS, HALF, QUARTER)
# The 審査 order of the 申請書, which is also the order from most to least relief.
ORDER = (FULL, DEFERRAL, THREE_QUARTERS, HALF, QUARTER)
APPLICANT, SPOUSE, HOUSEHOLDER = "本人", "配偶者", "世帯主"


@dataclass(frozen=True)
class Person:
    """One person judged, with the 所得 of the year before the 免除年度."""

    role: str  # 本人・配偶者・世帯主
    income: int  # 前年の所得 (総所得金額等)
    deductions: int = 0  # 社会保険料控除額等
    dependents: int = 0  # 扶養親族等の数 (同一生計配偶者 and 16歳未満 included)
    elderly_dependents: int = 0  # of which 老人控除対象配偶者・老人扶養親族
    specific_dependents: int = 0  # of which 特定扶養親族・16歳以上19歳未満
    disabled_or_widowed: bool = False  # 障害者・寡婦・ひとり親
    unemployed: bool = False  # 失業等による特例免除


@dataclass
class Tested:
    person: Person
    limits: dict[str, int]
    passes: list[str]
    excluded: str | None = None


@dataclass
class Judgement:
    grant: str | None
    tested: list[Tested]
    steps: list[str] = field(default_factory=list)


def limits(person: Person, fiscal_year: int) -> dict[str, int]:
    """The person's income limit of each test (全額 also serves 納付猶予)."""
    t = for_year(fiscal_year).limits
    others = person.dependents - person.elderly_dependents - person.specific_dependents
    dependent_deduction = (
        others * t.dependent
        + person.elderly_dependents * t.elderly_dependent
        + person.specific_dependents * t.specific_dependent
    )
    full = (person.dependents + 1) * t.per_person + t.full_base
    if person.disabled_or_widowed:
        full = max(full, t.disabled_or_widowed)
    partial = dependent_deduction + person.deductions
    return {
        FULL: full,
        THREE_QUARTERS: t.three_quarters_base + partial,
        HALF: t.half_base + partial,
        QUARTER: t.quarter_base + partial,
        STUDENT: t.student_base + partial,
    }


def _test(person: Person, fiscal_year: int, exclusion: str | None, steps: list[str]) -> Tested:
    bounds = limits(person, fiscal_year)
    if exclusion:
        steps.append(f"{person.role}: {exclusion}のため所得を審査しない")
        return Tested(person, bounds, list(bounds), exclusion)
    passes = [name for name, bound in bounds.items() if person.income <= bound]
    shown = "、".join(f"{name} {yen(bound)}" for name, bound in bounds.items())
    steps.append(
        f"{person.role}: 前年所得 {yen(person.income)}（扶養親族等 {person.dependents}人、社会保険料控除額等 "
        f"{yen(person.deductions)}）; 基準 {shown} → {'・'.join(passes) or '該当なし'}"
    )
    return Tested(person, bounds, passes)


def _exclusion(person: Person, *, disaster: bool, domestic_violence: bool) -> str | None:
    if disaster:
        return "災害による特例"
    if person.unemployed:
        return "失業等による特例"
    if domestic_violence and person.role == SPOUSE:
        return "配偶者からの暴力による特例"
    return None


def judge(
    fiscal_year: int,
    persons: list[Person],
    *,
    student: bool = False,
    deferral_age: bool = True,
    disaster: bool = False,
    domestic_violence: bool = False,
) -> Judgement:
    """The grant for ``persons`` (the applicant first, then the 配偶者 and the 世帯主 where they
    are someone else). ``deferral_age``: the applicant is under 50 for the months applied for."""
    steps: list[str] = []
    if student:
        steps.append("学生のため学生納付特例を本人の所得で審査（免除・納付猶予の対象外）")
        persons = [p for p in persons if p.role == APPLICANT]
    tested = [
        _test(p, fiscal_year, _exclusion(p, disaster=disaster, domestic_violence=domestic_violence), steps)
        for p in persons
    ]
    if student:
        grant = STUDENT if STUDENT in tested[0].passes else None
    else:
        grant = next((name for name in ORDER if _holds(name, tested, deferral_age)), None)
        if not deferral_age:
            steps.append("本人が50歳以上のため納付猶予は対象外")
    steps.append(f"結果: {grant}" if grant else "結果: 所得が基準を超えるため承認されない")
    return Judgement(grant, tested, steps)


def _holds(name: str, tested: list[Tested], deferral_age: bool) -> bool:
    if name == DEFERRAL:
        return deferral_age and all(FULL in t.passes for t in tested if t.person.role != HOUSEHOLDER)
    return all(name in t.passes for t in tested)
