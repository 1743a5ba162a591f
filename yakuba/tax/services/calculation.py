"""The 個人住民税 calculation JSON (contract §9.2): validated in, the engine, the contract's JSON out.

Bad input is refused with every reason at once, each naming its field (``taxpayer.birth_date``,
``dependents[1].birth_date``) — the CLI prints them and exits 2, the API answers 422.
"""

from __future__ import annotations

import functools
import tomllib
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yakuba.platform.calculations import CalculationRejected
from yakuba.platform.municipalities import Kind, UnknownMunicipality, lookup, registrable
from yakuba.tax.rules import inputs as engine
from yakuba.tax.rules.parameters import DATA, UnknownYear, for_year
from yakuba.tax.rules.resident_tax import calculate

Yen = Annotated[int, Field(ge=0, le=100_000_000_000)]
DisabilityKind = Literal["general", "special", "special_cohabiting"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaxpayerIn(_Strict):
    birth_date: date = Field(title="生年月日")
    widow: bool = Field(False, title="寡婦")
    single_parent: Literal["mother", "father"] | None = Field(None, title="ひとり親（母・父）")
    disability: Literal["general", "special"] | None = Field(None, title="障害者（一般・特別）")
    working_student: bool = Field(False, title="勤労学生")
    public_assistance: bool = Field(False, title="生活扶助を受けている")


class IncomesIn(_Strict):
    salary: Yen = Field(0, title="給与収入")
    public_pension: Yen = Field(0, title="公的年金等の収入")
    business: Yen = Field(0, title="事業所得")
    real_estate: Yen = Field(0, title="不動産所得")
    dividends: Yen = Field(0, title="配当所得（総合課税）")
    miscellaneous: Yen = Field(0, title="雑所得（公的年金等以外）")


class LifeInsuranceIn(_Strict):
    old_general: Yen = Field(0, title="旧一般生命保険料")
    old_pension: Yen = Field(0, title="旧個人年金保険料")
    new_general: Yen = Field(0, title="新一般生命保険料")
    new_pension: Yen = Field(0, title="新個人年金保険料")
    new_care_medical: Yen = Field(0, title="介護医療保険料")


class DeductionsIn(_Strict):
    social_insurance: Yen = Field(0, title="社会保険料")
    life_insurance: LifeInsuranceIn = Field(default_factory=LifeInsuranceIn)
    earthquake_insurance: Yen = Field(0, title="地震保険料")
    medical_expenses: Yen = Field(0, title="医療費（保険等で補塡される額を除く）")
    small_enterprise_mutual_aid: Yen = Field(0, title="小規模企業共済等掛金")
    casualty: Yen = Field(0, title="雑損失の額")


class RelativeIn(_Strict):
    birth_date: date = Field(title="生年月日")
    total_income: Yen = Field(0, title="合計所得金額")
    living_together: bool = Field(True, title="同居")
    disability: DisabilityKind | None = Field(None, title="障害者（一般・特別・同居特別）")
    relation: Literal["child", "parent", "other"] = Field("other", title="続柄（子・直系尊属・その他）")


class TaxCreditsIn(_Strict):
    furusato_donation: Yen = Field(0, title="都道府県・市区町村への寄附金（ふるさと納税）")
    other_donations: Yen = Field(0, title="その他の寄附金（条例指定など）")
    housing_loan: Yen = Field(0, title="所得税で控除しきれなかった住宅借入金等特別控除額")
    housing_loan_specified: bool = Field(False, title="特定取得・特別特例取得（7 %・136,500円）")
    income_tax_taxable_income: Yen | None = Field(None, title="所得税の課税総所得金額等")
    dividend_credit: Yen = Field(0, title="配当控除額（申告額。0 なら配当所得から計算）")


class SplitYen(_Strict):
    municipal: Yen
    prefectural: Yen


class SplitRate(_Strict):
    municipal: Decimal = Field(ge=0, lt=1, max_digits=8, decimal_places=6)
    prefectural: Decimal = Field(ge=0, lt=1, max_digits=8, decimal_places=6)


class RatesIn(_Strict):
    per_capita: SplitYen | None = Field(None, title="均等割（復興・超過課税を含む最終額。森林環境税は別）")
    income_levy: SplitRate | None = Field(None, title="所得割の税率")


class ResidentTaxIn(_Strict):
    fiscal_year: int = Field(title="年度（西暦）", ge=1900, le=2999)
    lg_code: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] | None = Field(None, title="団体コード")
    grade: Literal[1, 2, 3] | None = Field(None, title="生活保護の級地（均等割の非課税限度額）")
    taxpayer: TaxpayerIn
    incomes: IncomesIn = Field(default_factory=IncomesIn)
    deductions: DeductionsIn = Field(default_factory=DeductionsIn)
    spouse: RelativeIn | None = None
    dependents: list[RelativeIn] = Field(default_factory=list, max_length=30)
    tax_credits: TaxCreditsIn = Field(default_factory=TaxCreditsIn)
    rates: RatesIn | None = None


class PartOut(BaseModel):
    income_levy_before_credits: int = Field(title="算出所得割額")
    adjustment_credit: int = Field(title="調整控除")
    other_credits: int = Field(title="その他の税額控除（配当・住宅借入金・寄附金・定額減税）")
    income_levy: int = Field(title="所得割額")
    per_capita_levy: int = Field(title="均等割額")
    total: int


class DeductionsOut(BaseModel):
    basic: int
    spouse: int
    spouse_special: int
    dependents: int
    specific_relative: int = Field(title="特定親族特別控除（令和8年度から）")
    social_insurance: int
    life_insurance: int
    earthquake_insurance: int
    medical_expenses: int
    small_enterprise_mutual_aid: int
    casualty: int
    disability: int
    widow: int
    single_parent: int
    working_student: int
    total: int


class NonTaxableOut(BaseModel):
    per_capita: bool = Field(title="均等割が非課税")
    income_levy: bool = Field(title="所得割が非課税")


class IncomeByKindOut(BaseModel):
    salary: int = Field(title="給与所得（所得金額調整控除の後）")
    public_pension: int = Field(title="公的年金等に係る雑所得")
    other: int = Field(title="その他の所得")


class DependantsOut(BaseModel):
    """扶養親族 within the income limit, by kind (地方税法 §314の2): how many of each."""

    general: int = Field(title="一般の扶養親族")
    specific: int = Field(title="特定扶養親族（19〜22歳）")
    elderly: int = Field(title="老人扶養親族（70歳以上）")
    cohabiting_parent: int = Field(title="同居老親等")
    young: int = Field(title="年少扶養親族（16歳未満）")


class ResidentTaxOut(BaseModel):
    fiscal_year: int
    total_income: int = Field(title="合計所得金額")
    income_deductions: DeductionsOut = Field(title="所得控除")
    taxable_income: int = Field(title="課税総所得金額")
    municipal: PartOut = Field(title="市町村民税")
    prefectural: PartOut = Field(title="道府県民税")
    forest_environment_tax: int = Field(title="森林環境税")
    total: int = Field(title="年税額")
    non_taxable: NonTaxableOut
    income_by_kind: IncomeByKindOut = Field(title="所得の内訳")
    dependants: DependantsOut = Field(title="扶養親族の数")
    steps: list[str] = Field(title="計算の過程")


def _check(body: ResidentTaxIn) -> list[dict[str, str]]:
    """The rules a schema cannot say: a known 年度, dates that can be, a known municipality."""
    errors = []
    try:
        for_year(body.fiscal_year)
    except UnknownYear as exc:
        return [{"field": "fiscal_year", "message": str(exc)}]
    year_end = date(body.fiscal_year - 1, 12, 31)
    people = [("taxpayer", body.taxpayer.birth_date)]
    if body.spouse is not None:
        people.append(("spouse", body.spouse.birth_date))
    people += [(f"dependents[{i}]", d.birth_date) for i, d in enumerate(body.dependents)]
    for where, born in people:
        if born > year_end:
            errors.append(
                {
                    "field": f"{where}.birth_date",
                    "message": f"所得の年（{year_end.year}年）の12月31日より後に生まれた人は対象にできません",
                }
            )
        elif born.year < year_end.year - 130:
            errors.append({"field": f"{where}.birth_date", "message": "生年月日が古すぎます"})
    if body.taxpayer.widow and body.taxpayer.single_parent:
        errors.append({"field": "taxpayer.widow", "message": "寡婦とひとり親は同時に指定できません"})
    if body.lg_code is not None:
        try:
            info = lookup(body.lg_code)
        except UnknownMunicipality as exc:
            errors.append({"field": "lg_code", "message": str(exc)})
        else:
            if not registrable(info):  # a prefecture or a 指定都市's ward levies no 個人住民税 itself
                errors.append(
                    {
                        "field": "lg_code",
                        "message": f"{info.full_name} は個人住民税を課す市区町村ではありません",
                    }
                )
    return errors


@functools.cache
def _local() -> dict:
    with (DATA.parent / "local.toml").open("rb") as fh:
        return tomllib.load(fh)


def _locality(body: ResidentTaxIn) -> engine.Locality:
    """指定都市 from the municipality master, the prefecture's add-ons from data/local.toml, the
    final rates when the caller gives them."""
    designated, prefecture_code, add_capita, add_rate, notes = False, None, 0, Decimal(0), []
    if body.lg_code is not None:
        info = lookup(body.lg_code)
        designated = info.kind is Kind.DESIGNATED_CITY
        prefecture_code = body.lg_code[:2]
    for entry in _local().get("prefectures", {}).get(prefecture_code, []):
        first, last = entry["years"]
        if first <= body.fiscal_year <= last:
            add_capita += entry.get("per_capita", 0)
            add_rate += Decimal(entry.get("income_rate", "0"))
            notes.append(f"県の超過課税: {entry['name']}（{entry['source']}）")
    rates = body.rates or RatesIn()
    if rates.per_capita is not None or rates.income_levy is not None:
        notes.append("税率・均等割は入力の rates による")
    if body.grade is None:
        notes.append("均等割の非課税限度額は1級地の額（grade で級地を指定できます）")
    return engine.Locality(
        designated_city=designated,
        grade=body.grade or 1,
        per_capita=engine.Split(rates.per_capita.municipal, rates.per_capita.prefectural)
        if rates.per_capita
        else None,
        income_levy=engine.Split(rates.income_levy.municipal, rates.income_levy.prefectural)
        if rates.income_levy
        else None,
        per_capita_add=engine.Split(0, add_capita),
        income_levy_add=engine.Split(Decimal(0), add_rate),
        notes=tuple(notes),
    )


def _relative(r: RelativeIn) -> engine.Relative:
    return engine.Relative(
        birth_date=r.birth_date,
        total_income=r.total_income,
        living_together=r.living_together,
        disability=engine.Disability(r.disability) if r.disability else None,
        relation=engine.Relation(r.relation),
    )


def to_calculation(body: ResidentTaxIn) -> engine.Calculation:
    t, d, c = body.taxpayer, body.deductions, body.tax_credits
    return engine.Calculation(
        fiscal_year=body.fiscal_year,
        taxpayer=engine.Taxpayer(
            birth_date=t.birth_date,
            widow=t.widow,
            single_parent=engine.SingleParent(t.single_parent) if t.single_parent else None,
            disability=engine.Disability(t.disability) if t.disability else None,
            working_student=t.working_student,
            public_assistance=t.public_assistance,
        ),
        incomes=engine.Incomes(**body.incomes.model_dump()),
        deductions=engine.Deductions(
            **d.model_dump(exclude={"life_insurance"}),
            life_insurance=engine.LifeInsurance(**d.life_insurance.model_dump()),
        ),
        spouse=_relative(body.spouse) if body.spouse else None,
        dependents=tuple(_relative(r) for r in body.dependents),
        tax_credits=engine.TaxCredits(
            furusato_donation=c.furusato_donation,
            other_donations=c.other_donations,
            housing_loan=c.housing_loan,
            housing_loan_specified=c.housing_loan_specified,
            income_tax_taxable_income=c.income_tax_taxable_income,
            dividend_credit=c.dividend_credit or None,
        ),
    )


def calculate_resident_tax(body: ResidentTaxIn) -> dict:
    """The contract's output JSON for one taxpayer; ``CalculationRejected`` for bad input."""
    errors = _check(body)
    if errors:
        raise CalculationRejected(errors)
    return calculate(to_calculation(body), _locality(body)).as_dict()


def incomes_of(
    fiscal_year: int, birth_date: date, *, salary: int = 0, public_pension: int = 0, other: int = 0
) -> dict:
    """The 所得 other apps judge by (国保・後期・介護), as this 年度's 個人住民税 computes them from
    revenues: ``total_income`` (合計所得金額 = 総所得金額等 here), ``salary_income`` (after the
    所得金額調整控除), ``pension_income`` (公的年金等に係る雑所得, by age on 12月31日) and
    ``basic_deduction`` (基礎控除). ``other`` is any other 所得 (事業・不動産・雑)."""
    out = calculate_resident_tax(
        ResidentTaxIn.model_validate(
            {
                "fiscal_year": fiscal_year,
                "taxpayer": {"birth_date": birth_date},
                "incomes": {"salary": salary, "public_pension": public_pension, "miscellaneous": other},
            }
        )
    )
    return {
        "total_income": out["total_income"],
        "salary_income": out["income_by_kind"]["salary"],
        "pension_income": out["income_by_kind"]["public_pension"],
        "basic_deduction": out["income_deductions"]["basic"],
    }
