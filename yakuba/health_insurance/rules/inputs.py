"""What the 国民健康保険税/料 engine reads: one 世帯 for one 年度, already validated by the door
(docs/reference/contract.md §9.3; yakuba/health_insurance/services/calculation.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

HEAD = "世帯主"


class Part(StrEnum):
    """The parts of the tax, each with its own rates and 賦課限度額 (insurance-welfare-facts §2.3)."""

    MEDICAL = "medical"  # 医療分 (基礎課税額): every insured member
    SUPPORT = "support"  # 後期高齢者支援金等分: every insured member
    CARE = "care"  # 介護納付金分: members aged 40 to 64
    CHILD_REARING = "child_rearing"  # 子ども・子育て支援納付金分: from 令和8年度

    @property
    def label(self) -> str:
        return {
            Part.MEDICAL: "医療分",
            Part.SUPPORT: "後期高齢者支援金等分",
            Part.CARE: "介護納付金分",
            Part.CHILD_REARING: "子ども・子育て支援納付金分",
        }[self]


class LevyType(StrEnum):
    TAX = "tax"  # 国民健康保険税 (地方税法 §703の4)
    PREMIUM = "premium"  # 国民健康保険料 (国民健康保険法 §76)


class HouseholdStatus(StrEnum):
    """A 世帯 left with one insured member when the others moved to 後期高齢者医療."""

    SPECIFIED = "specified"  # 特定世帯: 平等割 ½ for 5 years
    SPECIFIED_CONTINUING = "specified_continuing"  # 特定継続世帯: 平等割 ¾ for the next 3 years


@dataclass(frozen=True)
class PartRates:
    """The municipality's rates of one part: 所得割率 in percent, 均等割 per member, 平等割 per 世帯."""

    income_rate: Decimal
    per_capita: int
    per_household: int = 0
    limit: int | None = None  # None: the statutory 賦課限度額 of the 年度
    adult_per_capita: int = 0  # 子ども・子育て支援納付金分 only: 18歳以上被保険者の均等割の加算


@dataclass(frozen=True)
class Thresholds:
    """The 軽減 基準額; None: the statutory value of the 年度."""

    base: int | None = None
    per_extra_earner: int | None = None
    half_per_member: int | None = None
    twenty_pct_per_member: int | None = None


@dataclass(frozen=True)
class Childbirth:
    """産前産後: the expected (or actual) day of birth and whether it is a multiple birth."""

    expected_on: date
    multiple: bool = False


@dataclass(frozen=True)
class Person:
    """One person of the 世帯. ``insured`` false: the 擬制世帯主, a 特定同一世帯所属者
    (``specified``) or anyone else not in 国保 — never charged.

    Ages: ``birth_date`` gives every age event of the 年度 to the month; ``age`` alone is the age
    on 4月1日 (reached the day before the birthday) and holds for the whole 年度.
    """

    role: str
    insured: bool = True
    specified: bool = False
    birth_date: date | None = None
    age: int | None = None
    total_income: int = 0  # 前年の総所得金額等
    salary_revenue: int = 0
    public_pension_revenue: int = 0
    salary_income: int | None = None  # 給与所得 (needed for 非自発的失業者)
    pension_income: int | None = None  # 公的年金等に係る所得 (else derived for 65歳以上)
    income_declared: bool = True
    preschool: bool | None = None  # None: from the age
    acquired_on: date | None = None  # 資格取得日 within the 年度
    lost_on: date | None = None  # 資格喪失日 within the 年度
    childbirth: Childbirth | None = None
    involuntary_unemployment: bool = False

    @property
    def head(self) -> bool:
        return self.role == HEAD


@dataclass(frozen=True)
class Household:
    fiscal_year: int
    rates: dict[Part, PartRates]
    persons: tuple[Person, ...]
    levy_type: LevyType = LevyType.TAX
    thresholds: Thresholds = field(default_factory=Thresholds)
    status: HouseholdStatus | None = None
    truncation: int = 100  # 100円未満切捨て of each part (地方税法 §20の4の2 ③ for the 税)

    @property
    def income_year(self) -> int:
        return self.fiscal_year - 1
