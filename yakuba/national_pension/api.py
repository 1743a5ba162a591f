"""国民年金 endpoints. The 免除・納付猶予 judgement is a pure function: any valid token may call
it, no municipality in the path, nothing stored (contract §4.8). The 届出 and 免除等 申請 of a
municipality are recorded and read under ``nenkin:write`` / ``nenkin:read`` (contract §4.7.5)."""

from typing import Annotated

from ninja import Path, Router
from pydantic import BaseModel, Field

from yakuba.national_pension import access
from yakuba.national_pension.services import (
    ApplicationIn,
    ApplicationOut,
    CalculationRejected,
    ExemptionIn,
    ExemptionOut,
    NotificationIn,
    NotificationOut,
    filed_by,
    judge_exemption,
    record_application,
    record_notification,
)
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.registry.services import NotFound

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["national_pension"])


@calculations.post(
    "insurance/nenkin/exemption",
    response={200: ExemptionOut, **ERRORS},
    summary="国民年金保険料の免除・納付猶予・学生納付特例を所得で判定する（判定の過程つき）",
    openapi_extra={"x-business-rules": True},
)
def judge_exemption_endpoint(request, body: ExemptionIn):
    try:
        return judge_exemption(body)
    except CalculationRejected as exc:
        raise _rejected(exc) from None


# --- 届出 and 免除等 申請 of a municipality (scopes nenkin:read, nenkin:write) -----------------

router = Router(tags=["national_pension"])

AtenaNo = Annotated[str, Path(pattern=r"^\d{1,15}$", description="宛名番号")]
PROTECTED = "registry:protected"  # the registry's scope for persons under 支援措置


class FiledListOut(BaseModel):
    notifications: list[NotificationOut] = Field(title="届出（古い順）")
    applications: list[ApplicationOut] = Field(title="免除等の申請（古い順）")


def _rejected(exc: CalculationRejected) -> ApiProblem:
    return ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors)


def _recorded(request, record, body) -> tuple[int, BaseModel]:
    """201 with the record, or 422 naming each field; a person under 支援措置 is unknown to a
    client without the registry's scope for them."""
    try:
        return 201, record(body, protected=request.auth.has_scope(PROTECTED))
    except CalculationRejected as exc:
        raise _rejected(exc) from None


@router.post(
    "insurance/nenkin/notifications",
    response={201: NotificationOut, **ERRORS},
    summary="国民年金の届出（資格取得・喪失・種別変更・住所変更・氏名変更）を受け付ける",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(access.WRITE)
def post_notification(request, body: NotificationIn, lg_code: str = LG_CODE):
    return _recorded(request, record_notification, body)


@router.post(
    "insurance/nenkin/applications",
    response={201: ApplicationOut, **ERRORS},
    summary="国民年金保険料の免除・納付猶予・学生納付特例の申請を受け付け、所得を確認する（判定の過程つき）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(access.WRITE)
def post_application(request, body: ApplicationIn, lg_code: str = LG_CODE):
    return _recorded(request, record_application, body)


@router.get(
    "insurance/nenkin/persons/{atena_no}",
    response={200: FiledListOut, **ERRORS},
    summary="ある方の国民年金の届出と免除等の申請（個人番号は参照できるクライアントにのみ）",
)
@tenant_endpoint(access.READ)
def get_filed(request, atena_no: AtenaNo, lg_code: str = LG_CODE):
    client = request.auth
    try:
        notifications, applications = filed_by(
            atena_no, my_number=client.may_see_my_number(), protected=client.has_scope(PROTECTED)
        )
    except NotFound:
        raise ApiProblem(404, "この URL にはリソースがありません") from None
    return {"notifications": notifications, "applications": applications}
