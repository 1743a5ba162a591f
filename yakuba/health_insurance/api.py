"""国民健康保険 endpoints. The 国民健康保険税/料 calculation is a pure function: any valid token may
call it, no municipality in the path, nothing stored (contract §4.8). The municipality's rates of
a 年度 (docs/health_insurance.md#rates) are read with ``kokuho:read`` and changed — a new version,
never a rewrite — with ``kokuho:rates``."""

from datetime import datetime
from typing import Annotated

from ninja import Query, Router
from pydantic import BaseModel, Field, StringConstraints

from yakuba.health_insurance.services import CalculationRejected, KokuhoIn, KokuhoOut, calculate_kokuho
from yakuba.health_insurance.services import rates as rate_tables
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.platform.audit.log import current_actor
from yakuba.platform.identity import scopes

READ = scopes.register("kokuho:read", "国民健康保険税（料）の税率の参照")
RATES = scopes.register("kokuho:rates", "国民健康保険税（料）の税率の登録・変更")

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["health_insurance"])


@calculations.post(
    "insurance/kokuho/calculate",
    response={200: KokuhoOut, **ERRORS},
    summary="国民健康保険税（料）を計算する（1世帯・1年度、医療分・支援分・介護分・子ども分、軽減と計算過程つき）",
    openapi_extra={"x-business-rules": True},
)
def calculate_kokuho_endpoint(request, body: KokuhoIn):
    try:
        return calculate_kokuho(body)
    except CalculationRejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None


# --- the municipality's rates (scopes kokuho:read, kokuho:rates) -------------------------------

router = Router(tags=["health_insurance"])
FiscalYear = Annotated[int, Field(ge=2022, le=2099, title="年度（西暦）")]


class YearQuery(BaseModel):
    fiscal_year: FiscalYear


class RatesVersionOut(BaseModel):
    version: int = Field(title="版")
    payload: dict = Field(title="税率・納期（契約 §9.3 の rates、reduction_thresholds、installments など）")
    reason: str = Field(title="変更の理由")
    created_at: datetime = Field(title="登録日時")
    created_by: str = Field(title="登録者")


class RatesOut(BaseModel):
    fiscal_year: int
    current: RatesVersionOut = Field(title="現在の税率（最新の版）")
    history: list[RatesVersionOut] = Field(title="すべての版（新しい順）")


class RatesIn(BaseModel):
    fiscal_year: FiscalYear
    payload: dict = Field(title="税率・納期（契約 §9.3 の rates、reduction_thresholds、installments など）")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] = Field(
        title="変更の理由（条例改正など）"
    )


def _out(fiscal_year: int) -> RatesOut:
    lines = rate_tables.history(fiscal_year)
    if not lines:
        raise ApiProblem(404, "この URL にはリソースがありません")
    versions = [
        RatesVersionOut(
            version=line.version,
            payload=line.payload,
            reason=line.reason,
            created_at=line.created_at,
            created_by=line.created_by,
        )
        for line in lines
    ]
    return RatesOut(fiscal_year=fiscal_year, current=versions[0], history=versions)


@router.get(
    "insurance/kokuho/rates",
    response={200: RatesOut, **ERRORS},
    summary="国民健康保険税（料）の年度の税率（現在の版と変更履歴）",
)
@tenant_endpoint(READ)
def get_rates(request, lg_code: str = LG_CODE, query: Query[YearQuery] = None):
    return _out(query.fiscal_year)


@router.post(
    "insurance/kokuho/rates",
    response={201: RatesOut, **ERRORS},
    summary="国民健康保険税（料）の年度の税率を登録・変更する（新しい版を加える）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(RATES)
def post_rates(request, body: RatesIn, lg_code: str = LG_CODE):
    try:
        rate_tables.set_rates(lg_code, body.fiscal_year, body.payload, body.reason, current_actor())
    except rate_tables.RatesRejected as exc:
        # The rates' fields are under ``payload``; the 年度 the calculation refuses is the body's.
        errors = [
            {**e, "field": e["field"] if e["field"] == "fiscal_year" else f"payload.{e['field']}"}
            for e in exc.errors
        ]
        raise ApiProblem(422, "入力内容に誤りがあります", errors=errors) from None
    return 201, _out(body.fiscal_year)
