"""The 児童扶養手当 calculation JSON (contract §9.6): validated in, each child's monthly amount
out, with the 所得額 for the test, the category and the steps.

The month picks the amounts (each April) and the limits (the 2024-11 reform); ``parameters``
overrides the published amounts and 係数 (a municipality checking a new year's figures before
the data file has them). Bad input is refused with every reason at once, each naming its field:
the CLI prints them and exits 2, the API answers 422.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from yakuba.child_support_allowance.rules import allowance
from yakuba.child_support_allowance.rules.parameters import UnknownMonth, for_month
from yakuba.platform.calculations import CalculationRejected

Yen = Annotated[int, Field(ge=0, le=100_000_000_000)]
Count = Annotated[int, Field(ge=0, le=30)]
Coefficient = Annotated[Decimal, Field(ge=0, le=1, max_digits=9, decimal_places=8)]
Category = Literal["全部支給", "一部支給", "支給停止"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IncomeIn(_Strict):
    salary_income: Yen = Field(0, title="給与所得（前年）")
    public_pension_income: Yen = Field(0, title="公的年金等に係る雑所得（前年）")
    other_income: Yen = Field(0, title="その他の所得（事業・不動産など、前年）")
    child_support_received_annual: Yen = Field(0, title="受け取った養育費（年額）")
    other_deductions: Yen = Field(0, title="諸控除（障害者・勤労学生・医療費控除など）")


class RankIn(_Strict):
    full: Yen | None = Field(None, title="全部支給の月額")
    partial_max: Yen | None = Field(None, title="一部支給の上限額")
    coefficient: Coefficient | None = Field(None, title="一部支給の係数")


class ParametersIn(_Strict):
    """The published figures to replace (each optional; the rest is the month's data)."""

    first: RankIn | None = Field(None, title="第1子（本体額）")
    second: RankIn | None = Field(None, title="第2子の加算額")
    third: RankIn | None = Field(None, title="第3子以降の加算額（1人につき）")


class SupportAllowanceIn(_Strict):
    month: str = Field(title="支給月（YYYY-MM）", pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    children: int = Field(title="対象児童の数", ge=1, le=30)
    dependants: Count = Field(0, title="扶養親族等の数（税法上）")
    elderly_dependants: Count = Field(0, title="うち老人扶養親族の数")
    specific_dependants: Count = Field(0, title="うち特定扶養親族等の数")
    income: IncomeIn = Field(default_factory=IncomeIn, title="受給資格者の所得")
    claimant: Literal["mother", "father", "caretaker"] = Field(title="受給資格者（母・父・養育者）")
    parameters: ParametersIn | None = Field(None, title="手当額・係数の上書き")


class SupportAllowanceOut(BaseModel):
    month: str
    income_for_test: int = Field(title="所得額（所得制限の判定に用いる額）")
    limits: dict[str, int] = Field(title="所得制限限度額（全部支給・一部支給、この額未満）")
    category: Category = Field(title="全部支給・一部支給・支給停止")
    per_child: list[int] = Field(title="児童ごとの手当月額（第1子から）")
    monthly_total: int = Field(title="手当月額の合計")
    steps: list[str] = Field(title="計算の過程")


def _check(body: SupportAllowanceIn, figures) -> list[dict[str, str]]:
    """What a schema cannot say: a month with data, counts that add up."""
    errors = []
    year, month = map(int, body.month.split("-"))
    try:
        figures or for_month(year, month)
    except UnknownMonth as exc:
        errors.append({"field": "month", "message": str(exc)})
    if body.elderly_dependants + body.specific_dependants > body.dependants:
        errors.append(
            {"field": "dependants", "message": "老人・特定扶養親族等の数の合計より少なくできません"}
        )
    return errors


def _amounts(table, given: ParametersIn | None) -> dict[str, allowance.Amount]:
    """Each rank's figures: the data's, with what ``parameters`` overrides."""
    found = {}
    for rank in allowance.RANKS:
        override = getattr(given, rank, None) if given else None
        data = {
            "full": getattr(table, f"{rank}_full"),
            "partial_max": getattr(table, f"{rank}_partial_max"),
            "coefficient": getattr(table, f"{rank}_coefficient"),
        }
        if override is not None:
            data.update(override.model_dump(exclude_none=True))
        found[rank] = allowance.Amount(**data)
    return found


def calculate_support_allowance(body: SupportAllowanceIn, figures=None) -> dict:
    """The contract's output JSON for one 受給資格者; ``CalculationRejected`` for bad input.
    ``figures`` (tables ``amounts``, ``limits``, ``income``) are the month's when the caller has
    them (a 年度 the 管理者 registered, services/amounts.py); else the packaged data's."""
    errors = _check(body, figures)
    if errors:
        raise CalculationRejected(errors)
    year, month = map(int, body.month.split("-"))
    p = figures or for_month(year, month)
    given = body.income
    income = allowance.income_for_test(
        allowance.Income(**given.model_dump()),
        p.income.salary_pension_deduction,
        p.income.child_support_share,
        p.income.flat_deduction,
    )
    steps = [
        f"所得額: 給与所得・公的年金等 {given.salary_income + given.public_pension_income:,}円"
        f"（{p.income.salary_pension_deduction:,}円まで控除） + その他 {given.other_income:,}円"
        f" + 養育費 {given.child_support_received_annual:,}円 × {p.income.child_support_share}"
        f" − {p.income.flat_deduction:,}円 − 諸控除 {given.other_deductions:,}円 = {income:,}円"
    ]
    result = allowance.calculate(
        body.children,
        income,
        allowance.limits(body.dependants, body.elderly_dependants, body.specific_dependants, p.limits),
        _amounts(p.amounts, body.parameters),
    )
    return {
        "month": body.month,
        "income_for_test": income,
        "limits": result.limits,
        "category": result.category,
        "per_child": result.per_child,
        "monthly_total": sum(result.per_child),
        "steps": steps + result.steps,
    }
