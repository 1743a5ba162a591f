"""戸籍 endpoints (docs/koseki.md "API"; contract.md §9.9): file a 届出, check one, read a 戸籍 and a
person's 身分事項.

Reading takes ``koseki:read``, filing ``koseki:write``. A 届書 is the JSON of the CLI (one
object whose ``kind`` picks the form); its 受理 and its 不受理 are both a 201 (the 不受理 is kept,
with every reason); a 届書 that cannot be examined is a 422 naming each field, nothing kept.

No ``from __future__ import annotations`` here: ninja reads the body and parameter types when
the module is imported.
"""

import dataclasses
from datetime import date

from ninja import Path, Router
from pydantic import BaseModel, Field

from yakuba.koseki import services
from yakuba.koseki.access import READ, WRITE
from yakuba.koseki.services.forms import Form
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem

router = Router(tags=["koseki"])
INVALID = "届書の内容に誤りがあります"
BUSINESS_RULES = {"x-business-rules": True}
KOSEKI_ID = Path(..., pattern=r"^\d{10}$", description="戸籍ID（10桁）")
PERSON_ID = Path(..., pattern=r"^\d{10}$", description="個人ID（10桁）")


class Reason(BaseModel):
    field: str = Field(title="項目")
    message: str = Field(title="理由")


class FiledOut(BaseModel):
    notification_no: str = Field(title="受付番号")
    kind: str = Field(title="届出の種類")
    outcome: str = Field(title="受理（accepted）又は不受理（refused）")
    reasons: list[Reason] = Field(title="不受理の理由")
    deadline: date | None = Field(title="届出期間の末日（報告的届出）")
    late: bool = Field(title="届出期間の経過")
    person_id: str = Field(title="事件本人の個人ID")
    koseki_ids: list[str] = Field(title="記載した戸籍の戸籍ID")


class EntryOut(BaseModel):
    event: str = Field(title="事項")
    on: date = Field(title="事件の日")
    recorded_on: date = Field(title="記載日")
    notification_no: str = Field(title="届出の受付番号")
    detail: dict = Field(title="内容")


class MemberOut(BaseModel):
    position: int = Field(title="順位")
    person_id: str = Field(title="個人ID")
    role: str = Field(title="筆頭者（head）・配偶者（spouse）・子（child）")
    name: str = Field(title="氏名")
    name_kana: str = Field(title="氏名の振り仮名（未記載は空）")
    birth_date: date = Field(title="生年月日")
    sex: str = Field(title="性別")
    father: str = Field(title="父")
    mother: str = Field(title="母")
    relationship: str = Field(title="続柄")
    entered_on: date = Field(title="入籍の日")
    entered_reason: str = Field(title="入籍事由")
    from_koseki: str = Field(title="従前戸籍")
    removed_on: date | None = Field(title="除籍の日")
    removed_reason: str = Field(title="除籍事由")
    to_koseki: str = Field(title="入籍先の戸籍")
    entries: list[EntryOut] = Field(title="身分事項")


class KosekiOut(BaseModel):
    koseki_id: str = Field(title="戸籍ID")
    honseki: str = Field(title="本籍")
    hittosha: str = Field(title="筆頭者")
    surname: str = Field(title="氏")
    surname_kana: str = Field(title="氏の振り仮名")
    formed_on: date = Field(title="編製日")
    closed_on: date | None = Field(title="消除日（除籍）")
    original: bool = Field(title="改製原戸籍")
    members: list[MemberOut] = Field(title="在籍者・除籍者（戸籍法14条の順）")
    entries: list[EntryOut] = Field(title="戸籍事項")


class PersonEntryOut(BaseModel):
    koseki_id: str = Field(title="戸籍ID")
    honseki: str = Field(title="本籍")
    entry: EntryOut = Field(title="身分事項")


def _invalid(invalid: services.Invalid) -> ApiProblem:
    return ApiProblem(422, INVALID, errors=[{"field": f, "message": m} for f, m in invalid.errors])


@router.post(
    "koseki/notifications",
    response={201: FiledOut, **ERRORS},
    summary="届出（出生・婚姻・離婚・死亡・転籍・入籍・氏名の振り仮名）: 受理又は不受理（理由を付けて記録）",
    openapi_extra=BUSINESS_RULES,
)
@tenant_endpoint(WRITE)
def post_notification(request, payload: Form, lg_code: str = LG_CODE):
    try:
        filed = services.file_notification(payload.model_dump(mode="json"))
    except services.Invalid as invalid:
        raise _invalid(invalid) from None
    body = dataclasses.asdict(filed)
    body["reasons"] = [{"field": f, "message": m} for f, m in filed.reasons]
    return 201, body


class CheckOut(BaseModel):
    errors: list[Reason] = Field(title="入力の誤りと不受理の理由（空: 受理できる）")


@router.post(
    "koseki/notifications/check",
    response={200: CheckOut, **ERRORS},
    summary="届書の審査（記録しない）: 入力の誤りと不受理の理由をすべて",
    openapi_extra=BUSINESS_RULES,  # a party with both person_id and person: 422
)
@tenant_endpoint(READ)
def check_notification(request, payload: Form, lg_code: str = LG_CODE):
    errors = services.check_notification(payload.model_dump(mode="json"))
    return {"errors": [{"field": f, "message": m} for f, m in errors]}


@router.get(
    "koseki/registers/{koseki_id}",
    response={200: KosekiOut, **ERRORS},
    summary="戸籍（在籍者・除籍者を戸籍法14条の順に、身分事項と戸籍事項を付けて）",
)
@tenant_endpoint(READ)
def get_koseki(request, koseki_id: str = KOSEKI_ID, lg_code: str = LG_CODE):
    try:
        return dataclasses.asdict(services.koseki_of(koseki_id))
    except services.NotFound as exc:
        raise ApiProblem(404, str(exc)) from None


@router.get(
    "koseki/persons/{person_id}/entries",
    response={200: list[PersonEntryOut], **ERRORS},
    summary="ある人の身分事項（在籍したすべての戸籍の、記載の順）",
)
@tenant_endpoint(READ)
def get_entries(request, person_id: str = PERSON_ID, lg_code: str = LG_CODE):
    try:
        return [dataclasses.asdict(e) for e in services.entries_of(person_id)]
    except services.NotFound as exc:
        raise ApiProblem(404, str(exc)) from None
