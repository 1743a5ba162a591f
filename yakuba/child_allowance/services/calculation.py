"""The 児童手当 calculation JSON (contract §9.5): the children and young people a claimant
supports in, each one's rank, eligibility and 月額 out with the month's total and the steps.

A child is given by ``birth_date`` or by ``age`` in the month. An age stands for a birth on
the 2nd of the month before, that many years earlier — the birthday just passed, so the age
holds through the month and a 3-year-old has left the under-3 amount (児童手当法 第6条: the
month of the 3rd birthday still pays it). Give the date for the exact 年度末.

There is no income in the contract's input: months before 令和6年10月分 are computed without
the 所得制限 (the amounts of a claimant under the 所得制限限度額; no 特例給付 5,000円, no
所得上限), which docs/child_allowance.md states. Bad input is refused with every reason at once,
each naming its field: the CLI prints them and exits 2, the API answers 422.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from yakuba.child_allowance.rules.amounts import Child, judge
from yakuba.child_allowance.rules.parameters import UnknownYear, scheme_for
from yakuba.platform.calculations import CalculationRejected

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AllowanceChildIn(_Strict):
    birth_date: date | None = Field(None, title="生年月日")
    age: Annotated[int, Field(ge=0, le=99)] | None = Field(None, title="年齢（その月の。生年月日の代わり）")
    parent_bears_costs: bool = Field(
        False, title="生計費を負担している（大学生年代の子を第3子の数に算入する確認書）"
    )


class AllowanceIn(_Strict):
    month: str = Field(title="対象月（YYYY-MM）", pattern=MONTH)
    children: list[AllowanceChildIn] = Field(
        title="養育する子（児童と大学生年代までの子）", min_length=1, max_length=30
    )


class AllowanceChildOut(BaseModel):
    birth_date: date = Field(title="生年月日（年齢で入力されたときは計算に用いた日）")
    rank: int | None = Field(title="第何子（算定対象でなければ null）")
    eligible: bool = Field(title="支給対象児童")
    monthly: int = Field(title="月額")
    band: str = Field(title="区分")


class AllowanceOut(BaseModel):
    month: str = Field(title="対象月")
    scheme: str = Field(title="適用した制度")
    children: list[AllowanceChildOut] = Field(title="子ごとの額（入力の順）")
    monthly_total: int = Field(title="月額の合計")
    steps: list[str] = Field(title="計算の過程")


def _birth_for_age(age: int, year: int, month: int) -> date:
    """An age in the month: born on the 2nd of the month before, ``age`` years earlier."""
    before = (year, month - 1) if month > 1 else (year - 1, 12)
    return date(before[0] - age, before[1], 2)


def calculate_allowance(body: AllowanceIn) -> dict:
    """The month's 児童手当 of each child and in total (contract §9.5)."""
    year, month = (int(part) for part in body.month.split("-"))
    errors: list[dict[str, str]] = []
    try:
        scheme = scheme_for(year, month)
    except UnknownYear as exc:
        raise CalculationRejected([{"field": "month", "message": str(exc)}]) from None
    children = []
    for i, given in enumerate(body.children):
        field = f"children[{i}]"
        if (given.birth_date is None) == (given.age is None):
            errors.append(
                {
                    "field": field,
                    "message": "生年月日（birth_date）か年齢（age）のどちらか一方を入力してください",
                }
            )
            continue
        birth = given.birth_date or _birth_for_age(given.age, year, month)
        if (birth.year, birth.month) > (year, month):
            errors.append(
                {"field": f"{field}.birth_date", "message": "対象月より後に生まれた子は入力できません"}
            )
            continue
        children.append(Child(birth, given.parent_bears_costs))
    if errors:
        raise CalculationRejected(errors)
    judged = judge(children, scheme, (year, month))
    steps = [f"{year}年{month}月分: {scheme.name}"]
    for child, one in zip(children, judged, strict=True):
        rank = f"第{one.rank}子" if one.rank is not None else "算定対象外"
        steps.append(f"{child.birth_date.isoformat()}生: {rank}・{one.band} {one.monthly:,}円")
    total = sum(one.monthly for one in judged)
    steps.append(f"月額の合計: {total:,}円")
    out = AllowanceOut(
        month=body.month,
        scheme=scheme.name,
        children=[
            AllowanceChildOut(
                birth_date=child.birth_date,
                rank=one.rank,
                eligible=one.eligible,
                monthly=one.monthly,
                band=one.band,
            )
            for child, one in zip(children, judged, strict=True)
        ],
        monthly_total=total,
        steps=steps,
    )
    return out.model_dump(mode="json")
