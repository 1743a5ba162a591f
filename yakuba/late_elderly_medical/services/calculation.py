"""The 後期高齢者医療保険料 calculation JSON (contract §9.4): validated in, the engine, the
contract's JSON out.

The 所得 of each person (給与所得, 公的年金等に係る雑所得, 総所得金額等 and the 基礎控除) are the
個人住民税's, read through the tax app's door for the same 年度 — one implementation of the
公的年金等控除 and 給与所得控除 for every app. Bad input is refused with every reason at once,
each naming its field (``household[1].birth_date``): the CLI prints them and exits 2, the API
answers 422.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from yakuba.late_elderly_medical.rules import premium, withholding
from yakuba.late_elderly_medical.rules.parameters import UnknownYear, for_year
from yakuba.platform.amounts import yen
from yakuba.platform.calculations import CalculationRejected, age_from_birth, birth_for_age
from yakuba.tax.services import incomes_of

Yen = Annotated[int, Field(ge=0, le=100_000_000_000)]
# Rates are percent (contract §1: "9.67" = 9.67 %).
Percent = Annotated[Decimal, Field(ge=0, lt=100, max_digits=8, decimal_places=5)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KoukiChildSupportIn(_Strict):
    per_capita: Yen = Field(title="子ども・子育て支援金分の均等割額")
    income_rate: Percent = Field(title="子ども・子育て支援金分の所得割率（%）")
    limit: Yen | None = Field(None, title="子ども・子育て支援金分の賦課限度額（省略時は政令の額）")


class KoukiReducedIn(_Strict):
    """The 均等割 after each 軽減 as the 広域連合's 条例 prints them (some round otherwise than
    × 0.3 / 0.5 / 0.8 to the yen)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    seventy: Yen | None = Field(None, alias="7割", title="7割軽減後の均等割額")
    fifty: Yen | None = Field(None, alias="5割", title="5割軽減後の均等割額")
    twenty: Yen | None = Field(None, alias="2割", title="2割軽減後の均等割額")


class KoukiRatesIn(_Strict):
    per_capita: Yen = Field(title="均等割額（広域連合）")
    income_rate: Percent = Field(title="所得割率（%）")
    low_income_rate: Percent | None = Field(
        None, title="令和6年度の軽減用所得割率（%、賦課のもととなる所得金額58万円以下）"
    )
    limit: Yen | None = Field(None, title="賦課限度額（省略時は政令の額）")
    reduced_per_capita: KoukiReducedIn | None = Field(None, title="軽減後の均等割額（条例の額）")
    rounding: Literal[1, 10, 100] = Field(100, title="年間保険料の端数処理（円未満切捨ての単位）")
    child_support: KoukiChildSupportIn | None = Field(None, title="子ども・子育て支援金分（令和8年度から）")


class KoukiThresholdsIn(_Strict):
    base: Yen = Field(title="7割軽減の基準額（基礎控除額）")
    per_extra_earner: Yen = Field(title="給与所得者等の2人目から1人あたりの加算額")
    half_per_member: Yen = Field(title="5割軽減の被保険者1人あたりの加算額")
    twenty_pct_per_member: Yen = Field(title="2割軽減の被保険者1人あたりの加算額")


class KoukiPersonIn(_Strict):
    role: str = Field("世帯員", min_length=1, max_length=20, title="続柄（世帯主は「世帯主」）")
    member: bool = Field(True, title="後期高齢者医療の被保険者")
    birth_date: date | None = Field(None, title="生年月日")
    age: int | None = Field(None, ge=0, le=130, title="前年12月31日現在の年齢（生年月日がないとき）")
    public_pension_revenue: Yen = Field(0, title="公的年金等の収入金額（課税対象）")
    salary_revenue: Yen = Field(0, title="給与収入")
    other_income: Yen = Field(0, title="その他の所得金額（事業・不動産・雑所得など）")
    former_dependant: Literal["first_two_years", "later"] | None = Field(
        None, title="被用者保険の被扶養者であった方（資格取得から2年以内・以後）"
    )
    disability_certified: bool = Field(False, title="障害認定による被保険者（令和6年度の限度額 73万円）")
    withholding_pension: Yen | None = Field(None, title="特別徴収の対象となる年金の年額")
    care_premium: Yen = Field(0, title="同じ年金から特別徴収する介護保険料の年額")


class KoukiIn(_Strict):
    fiscal_year: int = Field(title="年度（西暦）", ge=1900, le=2999)
    kouiki: str | None = Field(None, max_length=40, title="広域連合（都道府県名、表示用）")
    rates: KoukiRatesIn
    reduction_thresholds: KoukiThresholdsIn | None = Field(None, title="軽減判定の基準額（省略時は政令の額）")
    household: list[KoukiPersonIn] = Field(
        min_length=1, max_length=30, title="世帯の全員（被保険者でない方も）"
    )


class KoukiPartOut(BaseModel):
    per_capita_levy: int = Field(title="均等割額（軽減後）")
    income_levy: int = Field(title="所得割額")
    total: int = Field(title="計（限度額の適用後）")


class KoukiCollectionOut(BaseModel):
    way: Literal["pension", "direct"] = Field(title="徴収方法（特別徴収・普通徴収）")
    reason: str


class KoukiMemberOut(BaseModel):
    role: str
    total_income: int = Field(title="総所得金額等")
    pension_income: int = Field(title="公的年金等に係る雑所得")
    income_base: int = Field(title="賦課のもととなる所得金額")
    income_levy: int = Field(title="所得割額")
    per_capita_levy: int = Field(title="均等割額（軽減後）")
    reduction: Literal["none", "7割", "5割", "2割"] = Field(title="この方の均等割の軽減")
    limited: bool = Field(title="賦課限度額を適用した")
    child_support: KoukiPartOut | None = Field(title="子ども・子育て支援金分")
    annual_premium: int = Field(title="年間保険料")
    collection: KoukiCollectionOut | None = Field(None, title="特別徴収・普通徴収の判定")


class KoukiOut(BaseModel):
    fiscal_year: int
    judgment_income: int = Field(title="軽減判定所得（世帯主と被保険者の合計）")
    reduction: Literal["none", "7割", "5割", "2割"] = Field(title="所得による均等割の軽減")
    reduction_thresholds: dict[str, int] = Field(title="軽減判定の基準額（7割・5割・2割）")
    earners: int = Field(title="給与所得者等の数")
    insured: int = Field(title="世帯の被保険者数")
    members: list[KoukiMemberOut]
    steps: list[str] = Field(title="計算の過程")


def _check(body: KoukiIn) -> list[dict[str, str]]:
    """The rules a schema cannot say: a known 年度, one 世帯主 at most, a date of birth or an age,
    a 軽減 judgement the 年度 can make, rates the 年度 knows."""
    try:
        p = for_year(body.fiscal_year)
    except UnknownYear as exc:
        return [{"field": "fiscal_year", "message": str(exc)}]
    errors = []
    year_end = date(body.fiscal_year - 1, 12, 31)
    for i, person in enumerate(body.household):
        where = f"household[{i}]"
        if person.birth_date is None and person.age is None:
            errors.append({"field": f"{where}.birth_date", "message": "生年月日または年齢を入力してください"})
        elif person.birth_date is not None and person.birth_date > year_end:
            errors.append(
                {
                    "field": f"{where}.birth_date",
                    "message": f"所得の年（{year_end.year}年）の12月31日より後に生まれた人は対象にできません",
                }
            )
        elif person.birth_date is not None and person.birth_date.year < year_end.year - 130:
            errors.append({"field": f"{where}.birth_date", "message": "生年月日が古すぎます"})
        if person.former_dependant and not person.member:
            errors.append(
                {"field": f"{where}.former_dependant", "message": "被保険者でない方には指定できません"}
            )
    if sum(1 for person in body.household if person.role == "世帯主") > 1:
        errors.append({"field": "household", "message": "世帯主は1人までです"})
    if not any(person.member for person in body.household):
        errors.append({"field": "household", "message": "被保険者（member: true）が1人もいません"})
    if body.reduction_thresholds is None and p.reduction is None:
        errors.append(
            {
                "field": "reduction_thresholds",
                "message": f"{body.fiscal_year}年度の軽減判定の基準額は登録されていません。reduction_thresholds で指定してください",
            }
        )
    if body.rates.child_support is not None and getattr(p.limit, "child_support", None) is None:
        errors.append(
            {"field": "rates.child_support", "message": "子ども・子育て支援金分は令和8年度からです"}
        )
    if body.rates.low_income_rate is not None and not hasattr(p.income_levy, "low_base"):
        errors.append({"field": "rates.low_income_rate", "message": "軽減用所得割率は令和6年度だけです"})
    return errors


def _person(body: KoukiIn, person: KoukiPersonIn, p) -> premium.Person:
    """The person's 所得 from the tax app's door: the 個人住民税 of the same 年度 computes
    給与所得, 公的年金等に係る雑所得 (by age on 12月31日), 所得金額調整控除 and the 基礎控除."""
    birth = person.birth_date or birth_for_age(person.age, body.fiscal_year)
    tax = incomes_of(
        body.fiscal_year,
        birth,
        salary=person.salary_revenue,
        public_pension=person.public_pension_revenue,
        other=person.other_income,
    )
    elderly = age_from_birth(birth, body.fiscal_year) >= p.judgement.elderly_age
    earner = person.salary_revenue > p.judgement.salary_over or person.public_pension_revenue > (
        p.judgement.pension_over_elderly if elderly else p.judgement.pension_over
    )
    transitional = person.member and (
        person.disability_certified
        or birth <= date.fromisoformat(getattr(p.limit, "transitional_born_by", "0001-01-01"))
    )
    return premium.Person(
        role=person.role,
        member=person.member,
        elderly=elderly,
        total_income=tax["total_income"],
        pension_income=tax["pension_income"],
        basic_deduction=tax["basic_deduction"],
        earner=earner,
        former_dependant=person.former_dependant,
        transitional_limit=transitional,
    )


def _rates(body: KoukiIn, p) -> premium.Rates:
    r = body.rates
    child = None
    if r.child_support is not None:
        child = premium.Part(
            per_capita=r.child_support.per_capita,
            income_rate=r.child_support.income_rate / 100,
            limit=r.child_support.limit if r.child_support.limit is not None else p.limit.child_support,
        )
    reduced = None
    if r.reduced_per_capita is not None:
        given = r.reduced_per_capita.model_dump(by_alias=True)
        reduced = {kind: amount for kind, amount in given.items() if amount is not None}
    return premium.Rates(
        medical=premium.Part(
            per_capita=r.per_capita,
            income_rate=r.income_rate / 100,
            limit=r.limit if r.limit is not None else p.limit.amount,
            low_income_rate=r.low_income_rate / 100 if r.low_income_rate is not None else None,
        ),
        child_support=child,
        reduced_per_capita=reduced,
        rounding=r.rounding,
    )


def calculate_kouki(body: KoukiIn) -> dict:
    """The contract's output JSON for one 世帯; ``CalculationRejected`` for bad input."""
    errors = _check(body)
    if errors:
        raise CalculationRejected(errors)
    p = for_year(body.fiscal_year)
    people = [_person(body, person, p) for person in body.household]
    t = body.reduction_thresholds
    thresholds = (
        premium.Thresholds(t.base, t.per_extra_earner, t.half_per_member, t.twenty_pct_per_member)
        if t is not None
        else premium.default_thresholds(body.fiscal_year)
    )
    notes = [
        f"【{person.role}】所得（個人住民税の所得計算）: 公的年金等収入 {yen(given.public_pension_revenue)} → 年金所得"
        f" {yen(person.pension_income)}、給与収入 {yen(given.salary_revenue)}、その他の所得 {yen(given.other_income)}"
        f" → 総所得金額等 {yen(person.total_income)}"
        for given, person in zip(body.household, people, strict=True)
        if person.total_income or given.public_pension_revenue or given.salary_revenue
    ]
    if body.kouiki:
        notes.append(f"広域連合: {body.kouiki}")
    if t is not None:
        notes.append("軽減判定の基準額は入力の reduction_thresholds による")
    result = premium.calculate(
        people, _rates(body, p), body.fiscal_year, thresholds, notes=tuple(notes)
    ).as_dict()
    insured = [person for person in body.household if person.member]
    for person, member in zip(insured, result["members"], strict=True):
        if person.withholding_pension is not None:
            decision = withholding.decide(
                body.fiscal_year, person.withholding_pension, person.care_premium, member["annual_premium"]
            )
            member["collection"] = decision.as_dict()
            result["steps"].append(f"【{person.role}】徴収方法: {decision.reason}")
    return result
