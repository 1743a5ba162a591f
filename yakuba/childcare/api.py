"""保育 endpoints (docs/childcare.md, "API"; contract §4.7.9). The 利用者負担 calculation is a pure
function: any valid token may call it, no municipality in the path, nothing stored (contract
§4.8). A municipality's 施設, 認定, 申込, 利用調整 and 利用者負担 決定 are read and recorded under
``childcare:read`` / ``childcare:write``; a child under 支援措置 is unknown to a client without
``registry:protected``."""

from typing import Annotated

from ninja import Path, Query, Router
from pydantic import BaseModel, Field

from yakuba.childcare import access, services
from yakuba.childcare.services import CalculationRejected, FeeIn, FeeOut, calculate_fee
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.registry.services import NotFound

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["childcare"])
PROTECTED = "registry:protected"  # the registry's scope for persons under 支援措置
RULES = {"x-business-rules": True}


def _rejected(exc: CalculationRejected) -> ApiProblem:
    return ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors)


@calculations.post(
    "childcare/fee/calculate",
    response={200: FeeOut, **ERRORS},
    summary="保育の利用者負担額（保育料）を計算する（階層・無償化・多子軽減・計算の過程つき）",
    openapi_extra=RULES,
)
def calculate_fee_endpoint(request, body: FeeIn):
    try:
        return calculate_fee(body)
    except CalculationRejected as exc:
        raise _rejected(exc) from None


router = Router(tags=["childcare"])

AtenaNo = Annotated[str, Path(pattern=r"^\d{1,15}$", description="子どもの宛名番号")]


class FacilitiesQuery(BaseModel):
    fiscal_year: int = Field(ge=2015, le=2099, title="年度")


class FacilityOut(BaseModel):
    code: str
    name: str
    kind: str
    places: dict[int, int] = Field(title="クラス年齢ごとの受入可能数")


class ChildOut(BaseModel):
    atena_no: str
    name: str
    certifications: list[services.CertificationOut] = Field(title="支給認定（全ての版）")
    applications: list[dict] = Field(title="利用申込")
    results: list[dict] = Field(title="利用調整の結果")
    fees: list[dict] = Field(title="利用者負担の決定")


def _protected(request) -> bool:
    return request.auth.has_scope(PROTECTED)


def _written(call, *args, status: int = 201):
    try:
        return status, call(*args)
    except CalculationRejected as exc:
        raise _rejected(exc) from None


@router.put(
    "childcare/facilities",
    response={204: None, **ERRORS},
    summary="施設とその年度のクラス年齢ごとの受入可能数を登録する",
    openapi_extra=RULES,
)
@tenant_endpoint(access.WRITE)
def put_facility(request, body: services.FacilityIn, lg_code: str = LG_CODE):
    _written(services.save_facility, body)
    return 204, None


@router.get(
    "childcare/facilities", response={200: list[FacilityOut], **ERRORS}, summary="施設と受入可能数の一覧"
)
@tenant_endpoint(access.READ)
def get_facilities(request, lg_code: str = LG_CODE, query: Query[FacilitiesQuery] = None):
    return [FacilityOut(**line.__dict__) for line in services.facilities(query.fiscal_year)]


@router.post(
    "childcare/certifications",
    response={201: services.CertificationOut, **ERRORS},
    summary="支給認定（1号・2号・3号、保育必要量、有効期間）をする・変更する",
    openapi_extra=RULES,
)
@tenant_endpoint(access.WRITE)
def post_certification(request, body: services.CertificationIn, lg_code: str = LG_CODE):
    return _written(lambda b: services.apply_certification(b, protected=_protected(request)), body)


@router.get(
    "childcare/children/{atena_no}",
    response={200: ChildOut, **ERRORS},
    summary="子どもの支給認定（履歴）・利用申込・利用調整の結果・利用者負担の決定",
)
@tenant_endpoint(access.READ)
def get_child(request, atena_no: AtenaNo, lg_code: str = LG_CODE):
    try:
        found = services.child_records(atena_no, protected=_protected(request))
    except NotFound:
        raise ApiProblem(404, "該当する子どもの記録はありません") from None
    return ChildOut(
        atena_no=found.atena_no,
        name=found.name,
        certifications=found.certifications,
        applications=found.applications,
        results=found.results,
        fees=found.fees,
    )


@router.post(
    "childcare/applications",
    response={201: services.ApplicationOut, **ERRORS},
    summary="利用申込（希望施設の順位と指数の事由）を受け付ける",
    openapi_extra=RULES,
)
@tenant_endpoint(access.WRITE)
def post_application(request, body: services.ApplicationIn, lg_code: str = LG_CODE):
    return _written(lambda b: services.apply_application(b, protected=_protected(request)), body)


class RunIn(BaseModel):
    month: str = Field(pattern=services.MONTH, title="入所月（YYYY-MM）")


@router.post(
    "childcare/allocations",
    response={201: services.RunOut, **ERRORS},
    summary="入所月の利用調整をする（全申込の指数・順位・内定／保留と過程）",
    openapi_extra=RULES,
)
@tenant_endpoint(access.WRITE)
def post_allocation(request, body: RunIn, lg_code: str = LG_CODE):
    return _written(lambda month: services.run_allocation(month, protected=_protected(request)), body.month)


@router.get(
    "childcare/allocations/{run}",
    response={200: services.RunOut, **ERRORS},
    summary="利用調整の結果（順位順、指数の過程つき）",
)
@tenant_endpoint(access.READ)
def get_allocation(request, run: Annotated[int, Path(ge=1, le=2**31 - 1)], lg_code: str = LG_CODE):
    try:
        return services.allocation_run(run, protected=_protected(request))
    except LookupError:
        raise ApiProblem(404, "該当する利用調整はありません") from None


@router.post(
    "childcare/fees",
    response={201: services.FeeDecisionOut, **ERRORS},
    summary="利用者負担額（保育料）を年度の月ごとに決定する（4〜8月は前年度、9〜3月は当年度の市町村民税）",
    openapi_extra=RULES,
)
@tenant_endpoint(access.WRITE)
def post_fee(request, body: services.FeeDecisionIn, lg_code: str = LG_CODE):
    return _written(lambda b: services.decide_fee(b, protected=_protected(request)), body)
