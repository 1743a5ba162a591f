"""The 国民健康保険税/料 calculation JSON (contract §9.3): validated in, the engine, the contract's
JSON out.

Bad input is refused with every reason at once, each naming its field (``household[1].birth_date``,
``rates.care``) — the CLI prints them and exits 2, the API answers 422.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yakuba.health_insurance.rules import inputs as engine
from yakuba.health_insurance.rules import months
from yakuba.health_insurance.rules.parameters import UnknownYear, for_year
from yakuba.health_insurance.rules.premium import calculate
from yakuba.platform.calculations import CalculationRejected

Yen = Annotated[int, Field(ge=0, le=10_000_000_000)]
Amount = Annotated[int, Field(ge=0, le=10_000_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KokuhoPartRatesIn(_Strict):
    income_rate: Decimal = Field(ge=0, le=100, max_digits=8, decimal_places=5, title="所得割の税率（%）")
    per_capita: Amount = Field(title="均等割（被保険者1人あたり）")
    per_household: Amount = Field(0, title="平等割（1世帯あたり）")
    limit: Amount | None = Field(None, title="賦課限度額（省略時は年度の法定額）")


class KokuhoChildRearingRatesIn(KokuhoPartRatesIn):
    adult_per_capita: Amount = Field(0, title="18歳以上被保険者の均等割の加算（18歳以上均等割）")


class KokuhoRatesIn(_Strict):
    medical: KokuhoPartRatesIn = Field(title="医療分（基礎課税額）")
    support: KokuhoPartRatesIn = Field(title="後期高齢者支援金等分")
    care: KokuhoPartRatesIn | None = Field(None, title="介護納付金分（40〜64歳の被保険者がいるとき必須）")
    child_rearing: KokuhoChildRearingRatesIn | None = Field(
        None, title="子ども・子育て支援納付金分（令和8年度から必須）"
    )


class KokuhoThresholdsIn(_Strict):
    base: Yen | None = Field(None, title="7割軽減の基準額（43万円）")
    per_extra_earner: Yen | None = Field(None, title="給与所得者等が2人以上のときの1人あたりの加算（10万円）")
    half_per_member: Yen | None = Field(None, title="5割軽減: 被保険者等1人あたりの加算")
    twenty_pct_per_member: Yen | None = Field(None, title="2割軽減: 被保険者等1人あたりの加算")


class KokuhoChildbirthIn(_Strict):
    expected_on: date = Field(title="出産予定日（出産日）")
    multiple: bool = Field(False, title="多胎妊娠")


class KokuhoPersonIn(_Strict):
    role: Annotated[str, StringConstraints(min_length=1, max_length=20)] = Field(
        title="続柄（納税義務者は「世帯主」）"
    )
    member: bool = Field(True, title="国民健康保険の被保険者")
    specified: bool = Field(False, title="特定同一世帯所属者（member: false のとき）")
    age: int | None = Field(None, ge=0, le=130, title="4月1日の年齢（birth_date を省略するとき）")
    birth_date: date | None = Field(None, title="生年月日")
    total_income: Yen = Field(0, title="前年の総所得金額等")
    salary_revenue: Yen = Field(0, title="前年の給与収入")
    public_pension_revenue: Yen = Field(0, title="前年の公的年金等の収入")
    salary_income: Yen | None = Field(None, title="前年の給与所得（非自発的失業者のとき必須）")
    pension_income: Yen | None = Field(None, title="前年の公的年金等に係る所得（省略時は収入から）")
    income_declared: bool = Field(True, title="所得の申告がある")
    preschool: bool | None = Field(None, title="未就学児（省略時は年齢から）")
    acquired_on: date | None = Field(None, title="資格取得日（年度の途中のとき）")
    lost_on: date | None = Field(None, title="資格喪失日（年度の途中のとき）")
    childbirth: KokuhoChildbirthIn | None = Field(None, title="産前産後の軽減")
    involuntary_unemployment: bool = Field(False, title="非自発的失業者の軽減（年度を通じて）")


class KokuhoIn(_Strict):
    fiscal_year: int = Field(title="年度（西暦）", ge=1900, le=2999)
    levy_type: Literal["tax", "premium"] = Field("tax", title="保険税（tax）か保険料（premium）か")
    rates: KokuhoRatesIn = Field(title="市区町村の税率・税額")
    reduction_thresholds: KokuhoThresholdsIn | None = Field(
        None, title="軽減の基準額（省略時は年度の法定額）"
    )
    household_status: Literal["specified", "specified_continuing"] | None = Field(
        None, title="特定世帯・特定継続世帯"
    )
    truncation: Literal[1, 10, 100] = Field(100, title="各分の端数切捨ての単位（円）")
    household: list[KokuhoPersonIn] = Field(
        min_length=1, max_length=30, title="世帯の全員（被保険者でない人も）"
    )


class KokuhoPartOut(BaseModel):
    income_levy: int = Field(title="所得割額")
    per_capita_levy: int = Field(title="均等割額（軽減の後）")
    per_household_levy: int = Field(title="平等割額（軽減の後）")
    limit: int = Field(title="賦課限度額")
    total: int = Field(title="この分の税額（限度額・端数切捨ての後）")


class KokuhoJudgmentOut(BaseModel):
    earners: int = Field(title="給与所得者等の数")
    persons: int = Field(title="被保険者と特定同一世帯所属者の数")
    thresholds: dict[str, int] = Field(title="7割・5割・2割軽減の基準額")


class KokuhoMemberOut(BaseModel):
    role: str
    member: bool
    months: int = Field(title="資格のある月数")
    care_months: int = Field(title="介護納付金分の月数")
    income_base: int = Field(title="基礎控除後の総所得金額等")
    preschool: bool = Field(title="未就学児")


class KokuhoOut(BaseModel):
    fiscal_year: int
    levy_type: Literal["tax", "premium"]
    income_base: int = Field(title="所得割の基礎（基礎控除後の総所得金額等の合計）")
    care_income_base: int = Field(title="介護納付金分の所得割の基礎")
    reduction_judgment_income: int = Field(title="軽減判定所得")
    reduction: Literal["none", "7割", "5割", "2割"] = Field(title="軽減")
    reduction_judgment: KokuhoJudgmentOut
    medical: KokuhoPartOut = Field(title="医療分")
    support: KokuhoPartOut = Field(title="後期高齢者支援金等分")
    care: KokuhoPartOut = Field(title="介護納付金分")
    child_rearing: KokuhoPartOut | None = Field(title="子ども・子育て支援納付金分（令和8年度から）")
    annual_total: int = Field(title="年額")
    members: list[KokuhoMemberOut] = Field(title="世帯員ごと")
    steps: list[str] = Field(title="計算の過程")


def _person(p: KokuhoPersonIn) -> engine.Person:
    return engine.Person(
        role=p.role,
        insured=p.member,
        specified=p.specified,
        birth_date=p.birth_date,
        age=p.age,
        total_income=p.total_income,
        salary_revenue=p.salary_revenue,
        public_pension_revenue=p.public_pension_revenue,
        salary_income=p.salary_income,
        pension_income=p.pension_income,
        income_declared=p.income_declared,
        preschool=p.preschool,
        acquired_on=p.acquired_on,
        lost_on=p.lost_on,
        childbirth=engine.Childbirth(p.childbirth.expected_on, p.childbirth.multiple)
        if p.childbirth
        else None,
        involuntary_unemployment=p.involuntary_unemployment,
    )


def _rates(r: KokuhoPartRatesIn | None) -> engine.PartRates | None:
    if r is None:
        return None
    return engine.PartRates(
        income_rate=r.income_rate,
        per_capita=r.per_capita,
        per_household=r.per_household,
        limit=r.limit,
        adult_per_capita=getattr(r, "adult_per_capita", 0),
    )


def to_household(body: KokuhoIn) -> engine.Household:
    rates = {part: _rates(getattr(body.rates, str(part))) for part in engine.Part}
    t = body.reduction_thresholds or KokuhoThresholdsIn()
    return engine.Household(
        fiscal_year=body.fiscal_year,
        rates={part: r for part, r in rates.items() if r is not None},
        persons=tuple(_person(p) for p in body.household),
        levy_type=engine.LevyType(body.levy_type),
        thresholds=engine.Thresholds(**t.model_dump()),
        status=engine.HouseholdStatus(body.household_status) if body.household_status else None,
        truncation=body.truncation,
    )


def _check(body: KokuhoIn, households: engine.Household) -> list[dict[str, str]]:
    """The rules a schema cannot say: a known 年度, one 世帯主, ages that can be, 資格 in the 年度,
    the rates and 基準額 the 世帯 needs. ``households`` is ``to_household(body)``, built once
    for the check and the calculation (the 本算定 calls this for every 世帯)."""
    try:
        p = for_year(body.fiscal_year)
    except UnknownYear as exc:
        return [{"field": "fiscal_year", "message": str(exc)}]
    errors: list[dict[str, str]] = []

    def refuse(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    fy = body.fiscal_year
    heads = [p_ for p_ in body.household if p_.role == engine.HEAD]
    if len(heads) != 1:
        refuse("household", f"「{engine.HEAD}」を1人だけ指定してください（{len(heads)}人）")
    insured_any, care_any = False, False
    for i, (given, person) in enumerate(zip(body.household, households.persons, strict=True)):
        where = f"household[{i}]"
        if (given.age is None) == (given.birth_date is None):
            refuse(f"{where}.age", "age（4月1日の年齢）か birth_date のどちらか一方を指定してください")
            continue
        if given.birth_date is not None and given.birth_date > date(fy + 1, 3, 31):
            refuse(f"{where}.birth_date", f"{fy}年度の末日より後に生まれた人は対象にできません")
            continue
        if given.specified and given.member:
            refuse(f"{where}.specified", "特定同一世帯所属者は被保険者ではありません（member: false）")
        if not given.member and (given.acquired_on or given.lost_on or given.childbirth):
            refuse(f"{where}.member", "被保険者でない人に資格の日付・産前産後は指定できません")
        if given.acquired_on and given.lost_on and given.lost_on <= given.acquired_on:
            refuse(f"{where}.lost_on", "資格喪失日は資格取得日より後にしてください")
        if given.involuntary_unemployment and given.salary_income is None:
            refuse(f"{where}.salary_income", "非自発的失業者の軽減には給与所得が必要です")
        for name in ("salary_income", "pension_income"):
            value = getattr(given, name)
            if value is not None and value > given.total_income:
                refuse(f"{where}.{name}", "総所得金額等（total_income）を超えています")
        if given.member and given.age is not None and given.age >= p.late_elderly.age:
            refuse(f"{where}.age", f"{p.late_elderly.age}歳以上の人は後期高齢者医療の被保険者です")
            continue
        insured = months.insured(person, fy, p.late_elderly.age)
        if given.member and not insured:
            refuse(f"{where}.member", f"{fy}年度に国民健康保険の資格がある月がありません")
        insured_any = insured_any or bool(insured)
        care = months.aged_between(person, fy, p.care.from_age, p.care.until_age)
        care_any = care_any or bool(
            insured and care and care.start < insured.stop and insured.start < care.stop
        )
        if given.preschool is not None and (given.age is not None or given.birth_date is not None):
            derived = months.until_school_year_end(person, fy, p.preschool.age)
            if given.preschool != derived:
                refuse(f"{where}.preschool", "年齢と未就学児の指定が合いません")
        if given.childbirth is not None and p.childbirth is None:
            refuse(f"{where}.childbirth", "産前産後の軽減は2024年1月の分からです")
    if not insured_any and not errors:
        refuse("household", "被保険者（member: true）がいません")
    if care_any and body.rates.care is None:
        refuse("rates.care", "40〜64歳の被保険者がいるため介護納付金分の税率が必要です")
    if p.child_rearing is None and body.rates.child_rearing is not None:
        refuse("rates.child_rearing", "子ども・子育て支援納付金分は令和8年度（2026年度）からです")
    if p.child_rearing is not None and body.rates.child_rearing is None:
        refuse("rates.child_rearing", f"{fy}年度は子ども・子育て支援納付金分の税率が必要です")
    t = body.reduction_thresholds or KokuhoThresholdsIn()
    for name in ("half_per_member", "twenty_pct_per_member"):
        if getattr(t, name) is None and getattr(p.reduction, name, None) is None:
            refuse(
                f"reduction_thresholds.{name}",
                f"{fy}年度の軽減の基準額は登録されていません。reduction_thresholds で指定してください",
            )
    if body.household_status is not None and sum(x.member for x in body.household) != 1:
        refuse("household_status", "特定世帯・特定継続世帯は被保険者が1人の世帯です")
    return errors


def calculate_kokuho(body: KokuhoIn, *, explain: bool = True) -> dict:
    """The contract's output JSON for one 世帯; ``CalculationRejected`` for bad input.
    ``explain=False``: ``steps`` without the lines of each part (for a batch that drops them)."""
    household = to_household(body)
    errors = _check(body, household)
    if errors:
        raise CalculationRejected(errors)
    return calculate(household, explain=explain).as_dict()
