"""The 国民年金保険料 免除・納付猶予 judgement JSON (contract §9.4.2): validated in, the income tests
out, with the grant and the steps.

The 所得 are the 個人住民税's of the same 年度 (the year before the 免除年度's July), read through
the tax app's door from the revenues. Bad input is refused with every reason at once, each naming
its field: the CLI prints them and exits 2, the API answers 422.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from yakuba.national_pension.rules import exemption
from yakuba.national_pension.rules.ages import under_age_months
from yakuba.national_pension.rules.parameters import UnknownYear, for_year
from yakuba.platform.calculations import CalculationRejected
from yakuba.tax.services import incomes_of

Yen = Annotated[int, Field(ge=0, le=100_000_000_000)]
Count = Annotated[int, Field(ge=0, le=30)]
Grant = Literal["全額免除", "納付猶予", "4分の3免除", "半額免除", "4分の1免除", "学生納付特例"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonFacts(_Strict):
    """What is declared of each person judged besides the 所得 (also the counter's 申請's)."""

    deductions: Yen = Field(0, title="社会保険料控除額等")
    dependents: Count = Field(0, title="扶養親族等の数（同一生計配偶者・16歳未満を含む）")
    elderly_dependents: Count = Field(0, title="うち老人控除対象配偶者・老人扶養親族の数")
    specific_dependents: Count = Field(0, title="うち特定扶養親族・16歳以上19歳未満の扶養親族の数")
    disabled_or_widowed: bool = Field(False, title="障害者・寡婦・ひとり親")
    unemployed: bool = Field(False, title="失業等による特例（離職の事実がある）")

    def person(self, role: str, income: int) -> exemption.Person:
        """The rules' person with this 所得."""
        return exemption.Person(
            role=role,
            income=income,
            deductions=self.deductions,
            dependents=self.dependents,
            elderly_dependents=self.elderly_dependents,
            specific_dependents=self.specific_dependents,
            disabled_or_widowed=self.disabled_or_widowed,
            unemployed=self.unemployed,
        )


class NenkinPersonIn(PersonFacts):
    birth_date: date = Field(title="生年月日")
    salary_revenue: Yen = Field(0, title="給与収入（前年）")
    public_pension_revenue: Yen = Field(0, title="公的年金等の収入（前年）")
    other_income: Yen = Field(0, title="その他の所得金額（事業・不動産・雑所得など、前年）")


class NenkinApplicantIn(NenkinPersonIn):
    student: bool = Field(False, title="学生（学生納付特例の申請）")


class ExemptionIn(_Strict):
    fiscal_year: int = Field(
        title="免除年度（西暦、7月から翌年6月。学生納付特例は4月から翌年3月）", ge=1900, le=2999
    )
    applicant: NenkinApplicantIn = Field(title="申請者（本人）")
    spouse: NenkinPersonIn | None = Field(None, title="配偶者")
    householder: NenkinPersonIn | None = Field(None, title="世帯主（本人以外のとき）")
    disaster: bool = Field(False, title="震災・風水害・火災などで財産の概ね2分の1以上の損害を受けた")
    domestic_violence: bool = Field(False, title="配偶者からの暴力により住所が異なる")


class NenkinTestedOut(BaseModel):
    role: Literal["本人", "配偶者", "世帯主"]
    income: int = Field(title="前年所得")
    limits: dict[str, int] = Field(title="審査ごとの所得基準")
    passes: list[str] = Field(title="基準内の審査")
    excluded: str | None = Field(title="所得を審査しない理由（特例）")


class NenkinPeriodOut(BaseModel):
    first_month: str = Field(title="最初の月（YYYY-MM）")
    last_month: str = Field(title="最後の月（YYYY-MM）")


class ExemptionOut(BaseModel):
    fiscal_year: int
    grant: Grant | None = Field(title="承認される免除等（なし: 承認されない）")
    period: NenkinPeriodOut | None = Field(title="対象の期間")
    persons: list[NenkinTestedOut] = Field(title="審査した人ごとの所得と基準")
    steps: list[str] = Field(title="判定の過程")


def _people(body: ExemptionIn) -> list[tuple[str, str, NenkinPersonIn]]:
    return [
        (role, where, person)
        for role, where, person in [
            (exemption.APPLICANT, "applicant", body.applicant),
            (exemption.SPOUSE, "spouse", body.spouse),
            (exemption.HOUSEHOLDER, "householder", body.householder),
        ]
        if person is not None
    ]


def household_problems(
    fiscal_year: int, people: list[tuple[str, PersonFacts]], *, domestic_violence: bool, spouse: bool
) -> list[dict[str, str]]:
    """The rules a schema cannot say, shared with the counter's 申請: a known 年度, dependents
    that add up (``people``: (field, facts) with the §9.4.2 dependents), DV only with a 配偶者."""
    try:
        for_year(fiscal_year)
    except UnknownYear as exc:
        return [{"field": "fiscal_year", "message": str(exc)}]
    errors = [
        {"field": f"{where}.dependents", "message": "老人・特定扶養親族の数の合計より少なくできません"}
        for where, person in people
        if person.elderly_dependents + person.specific_dependents > person.dependents
    ]
    if domestic_violence and not spouse:
        errors.append({"field": "domestic_violence", "message": "配偶者の入力がないときは指定できません"})
    return errors


def _check(body: ExemptionIn) -> list[dict[str, str]]:
    """The household's rules, and people born before the income year ended."""
    people = _people(body)
    errors = household_problems(
        body.fiscal_year,
        [(where, person) for _role, where, person in people],
        domestic_violence=body.domestic_violence,
        spouse=body.spouse is not None,
    )
    if errors and errors[0]["field"] == "fiscal_year":
        return errors
    return errors + [
        {"field": f"{where}.birth_date", "message": "所得の年の12月31日より後に生まれた人は審査できません"}
        for _role, where, person in people
        if person.birth_date > date(body.fiscal_year - 1, 12, 31)
    ]


def _person(fiscal_year: int, role: str, given: NenkinPersonIn) -> exemption.Person:
    income = incomes_of(
        fiscal_year,
        given.birth_date,
        salary=given.salary_revenue,
        public_pension=given.public_pension_revenue,
        other=given.other_income,
    )["total_income"]
    return given.person(role, income)


def _month(d: date) -> str:
    return f"{d.year}-{d.month:02d}"


def judge_exemption(body: ExemptionIn) -> dict:
    """The contract's output JSON for one application; ``CalculationRejected`` for bad input."""
    errors = _check(body)
    if errors:
        raise CalculationRejected(errors)
    fy = body.fiscal_year
    return judgement(
        fy,
        [_person(fy, role, given) for role, _where, given in _people(body)],
        body.applicant.birth_date,
        student=body.applicant.student,
        disaster=body.disaster,
        domestic_violence=body.domestic_violence,
    )


def judgement(
    fy: int,
    people: list[exemption.Person],
    birth: date,
    *,
    student: bool,
    disaster: bool,
    domestic_violence: bool,
) -> dict:
    """The contract's output JSON for ``people`` (the applicant, born on ``birth``, first): the
    months applied for, the 納付猶予's age limit, the grant and the steps. Also what the counter's
    application record stores beside the application (``services.records``)."""
    first, last = (date(fy, 4, 1), date(fy + 1, 3, 1)) if student else (date(fy, 7, 1), date(fy + 1, 6, 1))
    age_limit = for_year(fy).deferral.age_limit
    young = under_age_months(birth, age_limit, first, last)
    result = exemption.judge(
        fy,
        people,
        student=student,
        deferral_age=young is not None,
        disaster=disaster,
        domestic_violence=domestic_violence,
    )
    if result.grant == exemption.DEFERRAL:
        first, last = young
        if last != date(fy + 1, 6, 1):
            result.steps.append(f"納付猶予は{age_limit}歳に達する月の前月（{_month(last)}）まで")
    return {
        "fiscal_year": fy,
        "grant": result.grant,
        "period": {"first_month": _month(first), "last_month": _month(last)} if result.grant else None,
        "persons": [
            {
                "role": t.person.role,
                "income": t.person.income,
                "limits": t.limits,
                "passes": t.passes,
                "excluded": t.excluded,
            }
            for t in result.tested
        ],
        "steps": result.steps,
    }
