"""The 介護保険料 (第1号被保険者) calculation JSON (contract §9.4.1): validated in, the engines
(保険料段階 and 利用者負担割合), the contract's JSON out.

The 所得 (合計所得金額, 公的年金等に係る雑所得, 給与所得) are the 個人住民税's of the same 年度,
read through the tax app's door. Bad input is refused with every reason at once, each naming its
field: the CLI prints them and exits 2, the API answers 422.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from yakuba.long_term_care.rules import copay, stages
from yakuba.long_term_care.rules.parameters import UnknownYear, for_year
from yakuba.platform.calculations import CalculationRejected, birth_for_age
from yakuba.tax.services import incomes_of

Yen = Annotated[int, Field(ge=0, le=100_000_000_000)]
Multiplier = Annotated[Decimal, Field(gt=0, lt=100, max_digits=8, decimal_places=5)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KaigoIncomeIn(_Strict):
    birth_date: date | None = Field(None, title="生年月日")
    age: int | None = Field(None, ge=0, le=130, title="前年12月31日現在の年齢（生年月日がないとき）")
    public_pension_revenue: Yen = Field(0, title="課税年金収入（遺族・障害年金を除く）")
    salary_revenue: Yen = Field(0, title="給与収入")
    other_income: Yen = Field(0, title="その他の所得金額（事業・不動産・雑所得など）")
    land_special_deduction: Yen = Field(0, title="土地建物等の譲渡所得の特別控除額")


class KaigoPersonIn(KaigoIncomeIn):
    household_taxed: bool = Field(title="世帯に住民税の課税者がいる（本人を含む）")
    taxed: bool = Field(title="本人が住民税課税")
    public_assistance: bool = Field(False, title="生活保護を受けている")
    old_age_welfare_pension: bool = Field(False, title="老齢福祉年金を受けている")


class KaigoRoundingIn(_Strict):
    unit: Literal[1, 10, 100] = Field(1, title="端数処理の単位（円）")
    mode: Literal["down", "up"] = Field("down", title="切捨て・切上げ")
    per: Literal["year", "month"] = Field("year", title="年額で計算・月額で計算して12倍")


class KaigoIn(_Strict):
    fiscal_year: int = Field(title="年度（西暦）", ge=1900, le=2999)
    insurer: str | None = Field(None, max_length=40, title="保険者（市区町村名、表示用）")
    base_amount: Yen = Field(title="基準額（年額）")
    multipliers: list[Multiplier] | None = Field(
        None, min_length=9, max_length=30, title="段階ごとの割合（第1段階から。省略時は国の標準・公費軽減後）"
    )
    taxed_bounds: list[Yen] | None = Field(
        None,
        min_length=1,
        max_length=25,
        title="本人課税の段階を区切る合計所得金額（第6段階から。省略時は国の標準）",
    )
    rounding: KaigoRoundingIn = Field(default_factory=KaigoRoundingIn, title="年額の端数処理")
    person: KaigoPersonIn
    household_elderly: list[KaigoIncomeIn] = Field(
        default_factory=list, max_length=20, title="同じ世帯の他の第1号被保険者（利用者負担割合の判定）"
    )


class KaigoCopayOut(BaseModel):
    share: Literal["1割", "2割", "3割"] = Field(title="利用者負担割合")
    reason: str


class KaigoOut(BaseModel):
    fiscal_year: int
    stage: int = Field(title="保険料段階")
    stages: int = Field(title="段階の数")
    multiplier: str = Field(title="基準額に対する割合")
    standard_multiplier: str | None = Field(title="国の標準の割合（公費による軽減の前）")
    judgment_income: int = Field(
        title="段階を決めた所得（非課税: 課税年金収入＋その他の合計所得金額、課税: 合計所得金額）"
    )
    total_income: int = Field(title="合計所得金額")
    base_amount: int = Field(title="基準額（年額）")
    annual_premium: int = Field(title="年間保険料")
    copay: KaigoCopayOut = Field(title="利用者負担割合（8月1日からの1年）")
    steps: list[str] = Field(title="計算の過程")


def _check(body: KaigoIn) -> list[dict[str, str]]:
    """The rules a schema cannot say: a known 年度, a date of birth or an age, a consistent
    municipal table, 課税 status that can be."""
    try:
        t = for_year(body.fiscal_year).stages
    except UnknownYear as exc:
        return [{"field": "fiscal_year", "message": str(exc)}]
    errors = []
    for where, person in [("person", body.person)] + [
        (f"household_elderly[{i}]", p) for i, p in enumerate(body.household_elderly)
    ]:
        if person.birth_date is None and person.age is None:
            errors.append({"field": f"{where}.birth_date", "message": "生年月日または年齢を入力してください"})
        elif person.birth_date is not None and person.birth_date > date(body.fiscal_year - 1, 12, 31):
            errors.append(
                {
                    "field": f"{where}.birth_date",
                    "message": "所得の年の12月31日より後に生まれた人は対象にできません",
                }
            )
    p = body.person
    if p.taxed and not p.household_taxed:
        errors.append({"field": "person.household_taxed", "message": "本人が課税なら世帯にも課税者がいます"})
    if p.public_assistance and p.taxed:
        errors.append(
            {"field": "person.public_assistance", "message": "生活保護を受けている方は住民税非課税です"}
        )
    bounds = body.taxed_bounds if body.taxed_bounds is not None else list(t.taxed_bounds)
    if any(a >= b for a, b in zip(bounds, bounds[1:], strict=False)):
        errors.append(
            {"field": "taxed_bounds", "message": "小さい順に、同じ額を繰り返さずに指定してください"}
        )
    expected = 5 + len(bounds) + 1
    if body.multipliers is not None and len(body.multipliers) != expected:
        errors.append({"field": "multipliers", "message": f"段階の数（{expected}）だけ指定してください"})
    elif body.multipliers is None and body.taxed_bounds is not None:
        errors.append(
            {"field": "multipliers", "message": "taxed_bounds を変えるときは multipliers も指定してください"}
        )
    if body.rounding.per == "month" and body.base_amount % 12:
        errors.append(
            {"field": "base_amount", "message": "月額で計算するときは12で割り切れる年額を指定してください"}
        )
    return errors


def _insured(fiscal_year: int, given: KaigoIncomeIn, person: KaigoPersonIn | None = None) -> stages.Insured:
    birth = given.birth_date or birth_for_age(given.age, fiscal_year)
    tax = incomes_of(
        fiscal_year,
        birth,
        salary=given.salary_revenue,
        public_pension=given.public_pension_revenue,
        other=given.other_income,
    )
    return stages.Insured(
        household_taxed=person.household_taxed if person else True,
        taxed=person.taxed if person else True,
        total_income=tax["total_income"],
        pension_revenue=given.public_pension_revenue,
        pension_income=tax["pension_income"],
        salary_income=tax["salary_income"],
        land_special_deduction=given.land_special_deduction,
        public_assistance=person.public_assistance if person else False,
        old_age_welfare_pension=person.old_age_welfare_pension if person else False,
    )


def calculate_kaigo(body: KaigoIn) -> dict:
    """The contract's output JSON for one 第1号被保険者; ``CalculationRejected`` for bad input."""
    errors = _check(body)
    if errors:
        raise CalculationRejected(errors)
    fy = body.fiscal_year
    person = _insured(fy, body.person, body.person)
    schedule = stages.Schedule(
        base_amount=body.base_amount,
        multipliers=tuple(body.multipliers) if body.multipliers is not None else None,
        taxed_bounds=tuple(body.taxed_bounds) if body.taxed_bounds is not None else None,
        unit=body.rounding.unit,
        mode=body.rounding.mode,
        per_month=body.rounding.per == "month",
    )
    result = stages.calculate(person, fy, schedule)
    if body.insurer:
        result.steps.insert(1, f"保険者: {body.insurer}")
    deduction = for_year(fy).stages.salary_deduction
    others = [_insured(fy, given) for given in body.household_elderly]
    share, reason = copay.decide(
        fy,
        own_income=max(0, person.total_income - person.land_special_deduction),
        household=[x.pension_revenue + stages.other_income(x, deduction) for x in (person, *others)],
        non_taxed=not person.taxed,
        public_assistance=person.public_assistance,
    )
    result.steps.append(f"利用者負担割合: {reason}")
    return {
        "fiscal_year": fy,
        "stage": result.stage,
        "stages": result.stages,
        "multiplier": f"{result.multiplier.normalize():f}",
        "standard_multiplier": f"{result.standard_multiplier.normalize():f}"
        if result.standard_multiplier
        else None,
        "judgment_income": result.judgment_income,
        "total_income": person.total_income,
        "base_amount": body.base_amount,
        "annual_premium": result.annual_premium,
        "copay": {"share": share, "reason": reason},
        "steps": result.steps,
    }
