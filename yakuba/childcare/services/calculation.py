"""The 保育 利用者負担 calculation JSON (contract "保育 利用者負担 calculation JSON"): one child's
month in, the 階層, the amount and every step out — the municipality's own table where it has
one (``lg_code``), else the 国基準. Pure: no database, nothing stored.

The 所得割 合算額 is the 父母's 市町村民税 所得割 before the 税額控除 (住宅ローン控除, 寄附金 …;
the 調整控除 stays deducted) of the 年度 ``tax_fiscal_year`` names: the previous 年度's for
April–August, the current for September–March (insurance-welfare-facts §9.2). Bad input is
refused with every reason at once, each naming its field: the CLI prints them and exits 2, the
API answers 422.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from yakuba.childcare.rules.ages import MONTH
from yakuba.childcare.rules.fees import Fee, FeeRefused, Household, monthly_fee
from yakuba.childcare.rules.parameters import UnknownYear
from yakuba.platform.calculations import CalculationRejected

Yen = Annotated[int, Field(ge=0, le=100_000_000_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HouseholdIn(_Strict):
    welfare: bool = Field(False, title="生活保護世帯")
    exempt: bool = Field(False, title="市町村民税非課税世帯（父母とも均等割も非課税）")
    income_levy: Yen = Field(0, title="父母の市町村民税所得割の合算額（税額控除前）")


class FeeIn(_Strict):
    lg_code: str | None = Field(
        None, pattern=r"^\d{6}$", title="団体コード（その自治体の利用者負担額表。省略時は国の基準）"
    )
    month: str = Field(title="対象月（YYYY-MM）", pattern=MONTH)
    birth_date: date = Field(title="子どもの生年月日")
    kind: Literal["1", "2", "3"] = Field(title="認定区分（1号・2号・3号）")
    need: Literal["standard", "short"] | None = Field(None, title="保育必要量（2号・3号）")
    household: HouseholdIn = Field(title="世帯（その月に用いる年度の市町村民税）")
    siblings: list[date] = Field(
        default_factory=list, max_length=20, title="同じ世帯のほかの子の生年月日（多子の数え方）"
    )


class FeeOut(BaseModel):
    month: str = Field(title="対象月")
    tax_fiscal_year: int = Field(title="用いる市町村民税の年度")
    class_age: int = Field(title="クラス年齢（4月1日の年齢）")
    municipal: bool = Field(title="自治体の利用者負担額表（false: 国の基準）")
    table: str = Field(title="利用者負担額表の出典")
    tier: str = Field(title="階層")
    tier_label: str = Field(title="階層の定義")
    base: int = Field(title="階層の額")
    rank: int = Field(title="多子の第何子")
    free: str = Field(title="無償の理由（有償は空）")
    amount: int = Field(title="利用者負担額（月額）")
    steps: list[str] = Field(title="算定の過程")


def fee_out(fee: Fee) -> FeeOut:
    return FeeOut(
        month=f"{fee.year:04d}-{fee.month:02d}",
        tax_fiscal_year=fee.tax_year,
        class_age=fee.class_age,
        municipal=fee.municipal,
        table=fee.table,
        tier=fee.tier,
        tier_label=fee.tier_label,
        base=fee.base,
        rank=fee.rank,
        free=fee.free,
        amount=fee.amount,
        steps=fee.steps,
    )


def calculate_fee(body: FeeIn) -> dict:
    """The month's 利用者負担 of one child (every step)."""
    year, month = (int(part) for part in body.month.split("-"))
    errors = []
    if (body.birth_date.year, body.birth_date.month) > (year, month):
        errors.append({"field": "birth_date", "message": "対象月より後に生まれた子どもは計算できません"})
    if body.kind != "1" and body.need is None:
        errors.append(
            {"field": "need", "message": "2号・3号認定は保育必要量（標準時間・短時間）を入力してください"}
        )
    if body.kind == "1" and body.need is not None:
        errors.append({"field": "need", "message": "1号認定に保育必要量はありません"})
    if errors:
        raise CalculationRejected(errors)
    household = Household(body.household.welfare, body.household.exempt, body.household.income_levy)
    try:
        fee = monthly_fee(
            lg_code=body.lg_code,
            year=year,
            month=month,
            birth=body.birth_date,
            kind=body.kind,
            need=body.need,
            household=household,
            siblings=body.siblings,
        )
    except UnknownYear as exc:
        raise CalculationRejected([{"field": "month", "message": str(exc)}]) from None
    except FeeRefused as exc:
        raise CalculationRejected([{"field": f, "message": m} for f, m in exc.errors]) from None
    return fee_out(fee).model_dump(mode="json")


__all__ = ["FeeIn", "FeeOut", "HouseholdIn", "calculate_fee", "fee_out"]
