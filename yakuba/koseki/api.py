"""戸籍 endpoints (docs/koseki.md "API"; contract.md §9.9): file a 届出, check one, read a 戸籍 and a
person's 身分事項, issue a 戸籍 certificate.

Reading takes ``koseki:read``, filing ``koseki:write``. A 届書 is the JSON of the CLI (one
object whose ``kind`` picks the form); its 受理 and its 不受理 are both a 201 (the 不受理 is kept,
with every reason); a 届書 that cannot be examined is a 422 naming each field, nothing kept.

No ``from __future__ import annotations`` here: ninja reads the body and parameter types when
the module is imported.
"""

import dataclasses
from datetime import date
from typing import Annotated, Literal

from ninja import Path, Router
from pydantic import BaseModel, Field, StringConstraints

from yakuba.certificates import services as certificates
from yakuba.certificates.interface.api import FamilyRequesterIn, IssueIn, printing
from yakuba.koseki import services
from yakuba.koseki.access import READ, WRITE
from yakuba.koseki.services.forms import Form
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.documents import SIGNED_PDF, certificate_pdf, refused
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
    adoptive_father: str = Field(title="養父（縁組中）")
    adoptive_mother: str = Field(title="養母（縁組中）")
    adoptive_relationship: str = Field(title="養父母との続柄（縁組中）")
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


# --- certificates (docs/koseki.md「証明書」; contract.md §9.9) -------------------------------


class CertificateRequesterIn(FamilyRequesterIn):
    """Who asked (戸籍法10条〜10条の3), with what only a 戸籍 asks: the requester's 個人ID (本人・
    配偶者・直系 written in a 戸籍 here, wherever they live), the 第三者's kind of 事由, the
    職務上請求's profession, the 代理人's 委任状."""

    person_id: Annotated[str, StringConstraints(pattern=r"^(\d{10})?$")] = Field(
        "", title="請求者（代理人はその本人等）の個人ID（本人・配偶者・直系）"
    )
    purpose_kind: Literal["", "rights", "submission", "other"] = Field(
        "", title="第三者請求の事由の区分（戸籍法10条の2第1項1号〜3号）"
    )
    profession: Annotated[str, StringConstraints(max_length=20)] = Field(
        "", title="職務上請求の資格（弁護士・司法書士 …）"
    )
    mandate: bool = Field(False, title="代理人の委任状を確認した")


class KosekiCertificateIn(IssueIn):
    kind: Literal["koseki_full", "koseki_individual", "joseki_full", "original_koseki"] = Field(
        title="全部事項・個人事項・除籍全部事項・改製原戸籍"
    )
    person_ids: list[Annotated[str, StringConstraints(pattern=r"^\d{10}$")]] = Field(
        default_factory=list, max_length=50, title="記載する者（個人事項証明書のみ）"
    )
    requester: CertificateRequesterIn = Field(title="請求者")
    wide_area: bool = Field(False, title="広域交付（戸籍法120条の2）")
    photo_id: bool = Field(False, title="顔写真付きの本人確認書類を確認した")


@router.post(
    "koseki/registers/{koseki_id}/certificates",
    response={200: None, **ERRORS},
    summary="戸籍の証明書を発行する（全部事項・個人事項・除籍・改製原戸籍。署名付き PDF、ヘッダ X-Certificate-Number）",
    openapi_extra={**SIGNED_PDF, **BUSINESS_RULES},
)
@tenant_endpoint(READ)
def issue_certificate(
    request, payload: KosekiCertificateIn, koseki_id: str = KOSEKI_ID, lg_code: str = LG_CODE
):
    """One certificate as one transaction: every refusal at its field (422), the 交付履歴 row and
    the print audit row; a 戸籍 not of this municipality is a 404. Printing takes
    ``certificates:issue`` besides koseki:read (``printing``)."""
    visibility = printing(request.auth)
    asked = payload.requester
    try:
        issued = services.issue_certificate(
            koseki_id,
            payload.kind,
            person_ids=tuple(payload.person_ids),
            requester=asked.info(person_id=asked.person_id),
            requester_person_id=asked.person_id,
            wide_area=payload.wide_area,
            photo_id=payload.photo_id,
            visibility=visibility,
            purpose_kind=asked.purpose_kind,
            profession=asked.profession,
            mandate=asked.mandate,
            fee_exempt_reason=payload.fee_exempt_reason,
        )
    except services.NotFound as exc:
        raise ApiProblem(404, str(exc)) from None
    except certificates.RuleViolation as exc:
        raise refused(exc.errors) from None
    return certificate_pdf(issued.pdf, issued.number)
