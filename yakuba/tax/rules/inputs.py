"""What the 個人住民税 engine reads and returns: plain, validated values (docs/reference/contract.md
§9.2 "個人住民税 calculation JSON"). Validation of raw input lives in the services; these are
already sound (non-negative yen, known kinds)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum


class Disability(StrEnum):
    GENERAL = "general"  # 障害者
    SPECIAL = "special"  # 特別障害者
    SPECIAL_COHABITING = (
        "special_cohabiting"  # 同居特別障害者 (a spouse or dependant living with the taxpayer)
    )


class SingleParent(StrEnum):
    MOTHER = "mother"
    FATHER = "father"


class Relation(StrEnum):
    """How a dependant is related, where it changes the deduction (同居老親等 = 直系尊属)."""

    CHILD = "child"
    PARENT = "parent"  # 直系尊属 (parent, grandparent)
    OTHER = "other"


@dataclass(frozen=True)
class Taxpayer:
    birth_date: date
    widow: bool = False
    single_parent: SingleParent | None = None
    disability: Disability | None = None
    working_student: bool = False
    public_assistance: bool = False  # 生活保護法の生活扶助を受けている (地方税法 §295 ①一)


@dataclass(frozen=True)
class Incomes:
    """Revenues (収入金額) for salary and public pensions; 所得 for the others."""

    salary: int = 0
    public_pension: int = 0
    business: int = 0
    real_estate: int = 0
    dividends: int = 0
    miscellaneous: int = 0


@dataclass(frozen=True)
class LifeInsurance:
    old_general: int = 0
    old_pension: int = 0
    new_general: int = 0
    new_pension: int = 0
    new_care_medical: int = 0


@dataclass(frozen=True)
class Deductions:
    """Amounts paid (premiums, expenses net of reimbursements, the casualty loss)."""

    social_insurance: int = 0
    life_insurance: LifeInsurance = field(default_factory=LifeInsurance)
    earthquake_insurance: int = 0
    medical_expenses: int = 0
    small_enterprise_mutual_aid: int = 0
    casualty: int = 0


@dataclass(frozen=True)
class Relative:
    """The spouse or a dependant: 合計所得金額 and whether they live with the taxpayer."""

    birth_date: date
    total_income: int = 0
    living_together: bool = True
    disability: Disability | None = None
    relation: Relation = Relation.OTHER


@dataclass(frozen=True)
class TaxCredits:
    furusato_donation: int = 0  # 都道府県・市区町村への寄附 (ふるさと納税)
    other_donations: int = 0  # 条例で指定する寄附 etc.: 基本分 only
    housing_loan: int = 0  # 所得税から控除しきれなかった住宅借入金等特別控除額
    housing_loan_specified: bool = False  # 特定取得・特別特例取得 (7 %, 136,500円)
    income_tax_taxable_income: int | None = None  # 所得税の課税総所得金額等 (the housing-loan limit's base)
    dividend_credit: int | None = None  # a 配当控除 computed elsewhere, taken as given


@dataclass(frozen=True)
class Split:
    """A 市町村 / 道府県 pair (rates, amounts)."""

    municipal: Decimal | int
    prefectural: Decimal | int


@dataclass(frozen=True)
class Locality:
    """What the municipality changes: 指定都市 rates, the 級地 for the 均等割 非課税限度額, and the
    final rates when a caller gives them (``rates`` of the JSON), else local add-ons."""

    designated_city: bool = False
    grade: int = 1
    per_capita: Split | None = None  # final 均等割 (復興 surcharge and add-ons included)
    income_levy: Split | None = None  # final 所得割 rates
    per_capita_add: Split = Split(0, 0)  # local add-ons to the standard 均等割
    income_levy_add: Split = Split(Decimal(0), Decimal(0))  # local add-ons to the standard rates
    notes: tuple[str, ...] = ()  # the add-ons' names and sources, for the steps


@dataclass(frozen=True)
class Calculation:
    fiscal_year: int
    taxpayer: Taxpayer
    incomes: Incomes = field(default_factory=Incomes)
    deductions: Deductions = field(default_factory=Deductions)
    spouse: Relative | None = None
    dependents: tuple[Relative, ...] = ()
    tax_credits: TaxCredits = field(default_factory=TaxCredits)

    @property
    def income_year(self) -> int:
        return self.fiscal_year - 1


def age_on(birth: date, day: date) -> int:
    """Age on ``day`` as the law counts it: a year is reached at the end of the day before the
    birthday (年齢計算ニ関スル法律; 民法 §143). So a person born on 1月1日 is already a year older
    on 12月31日, the day ages are judged for deductions (地方税法 §314の2 ⑦), and one born on
    1月2日 on 1月1日, the 賦課期日 on which 未成年者 are judged (地方税法 §295)."""
    following = day + timedelta(days=1)
    return following.year - birth.year - ((following.month, following.day) < (birth.month, birth.day))
