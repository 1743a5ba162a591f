"""Certificate endpoints (docs/reference/contract.md §4.8, docs/certificates.md): issue and verification.

Verification answers one word and reveals no personal data, so it has a scope of its own,
``certificates:verify``, that a client outside the registry (a bank's system, another office)
can hold alone. Issuing has ``certificates:issue``.

No ``from __future__ import annotations`` here: ninja reads the body and parameter types when
the module is imported, and a postponed annotation leaves its request models undefined.
"""

from datetime import date
from typing import Annotated, Literal

from ninja import Path, Router, Schema
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yakuba.certificates import access
from yakuba.certificates.interface.api import IssueIn, RequesterIn
from yakuba.certificates.services import issuing, verify
from yakuba.certificates.services.content import CertificateRequest
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.documents import PDF_CONTENT, PDF_TYPE, SIGNED_PDF, certificate_pdf, refused
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.registry.services import Visibility

router = Router(tags=["certificates"])


NUMBER = Path(..., pattern=verify.NUMBER_PATTERN, description="証明書番号（例: 20260401-000001）")


class NumberVerdictOut(Schema):
    status: Literal["genuine", "unknown"] = Field(
        title="genuine: 発行済みで取り消されていない / unknown: 該当なし（取消し済みを含む）"
    )


class PdfVerdictOut(Schema):
    status: Literal["genuine", "altered", "unknown"] = Field(
        title="genuine: 発行したとおりの PDF / altered: 改ざんあり / unknown: 該当なし"
    )
    certificate_number: str | None = Field(title="PDF から読み取った証明書番号")


@router.get(
    "certificates/{number}/verify",
    response={200: NumberVerdictOut, **ERRORS},
    summary="証明書番号で真正性を確認する（個人情報は返さない）",
)
@tenant_endpoint(access.VERIFY)
def verify_number(request, number: str = NUMBER, lg_code: str = LG_CODE):
    return {"status": verify.verify_number(number)}


@router.post(
    "certificates/verify",
    response={200: PdfVerdictOut, **ERRORS},
    summary="証明書の PDF を送って改ざんの有無を確認する（個人情報は返さない）",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": PDF_CONTENT,
        },
        # A body that is not a PDF (no %PDF- header) is 422: more than the schema can say.
        "x-business-rules": True,
    },
)
@tenant_endpoint(access.VERIFY)
def verify_pdf(request, lg_code: str = LG_CODE):
    # The body is read raw: ninja's parser takes JSON only. Its size was checked before any
    # view ran (platform/hostile.py: over DATA_UPLOAD_MAX_MEMORY_SIZE → 413).
    if (request.content_type or "").lower() != PDF_TYPE:
        raise ApiProblem(415, "本文は Content-Type: application/pdf の PDF で送ってください")
    if b"%PDF-" not in request.body[:1024]:  # ISO 32000-1 §7.5.2: the header, near the start
        raise ApiProblem(422, "本文が PDF ではありません（%PDF- で始まるファイルを送ってください）")
    status, number = verify.verify_pdf(request.body)
    return {"status": status, "certificate_number": number}


# --- issue (docs/reference/contract.md#http-certificates: scope certificates:issue) ----------


class IncludeIn(BaseModel):
    """Items printed or omitted (住民記録システム標準仕様書 §5: 記載事項の省略)."""

    model_config = ConfigDict(extra="forbid")
    head_and_relationship: bool = Field(True, title="世帯主・続柄")
    domicile: bool = Field(False, title="本籍・筆頭者")
    juminhyo_code: bool = Field(False, title="住民票コード")
    my_number: bool = Field(False, title="個人番号（registry:mynumber スコープと mynumber ゾーンのみ）")
    foreign_items: bool = Field(True, title="外国人住民の国籍・地域、在留資格等")
    alias_history: bool = Field(False, title="通称の履歴")
    former_surname: bool = Field(True, title="旧氏の併記")


class CertificateIn(IssueIn):
    kind: Literal[
        "juminhyo_copy",
        "entry_certificate",
        "removed_copy",
        "removed_entry_certificate",
        "move_out_certificate",
    ]
    layout: Literal["household", "individual"] = "household"
    setai_no: Annotated[str, StringConstraints(pattern=r"^(\d{2,15})?$")] = ""
    atena_nos: list[Annotated[str, StringConstraints(pattern=r"^\d{2,15}$")]] = Field(
        default_factory=list, max_length=50, title="記載する人（省略時は世帯全員）"
    )
    include: IncludeIn = Field(default_factory=IncludeIn)
    purpose: Annotated[str, StringConstraints(max_length=200)] = Field("", title="請求事由・利用目的")
    official_use: bool = Field(False, title="公用")
    as_of: date | None = Field(None, title="基準日（過去の記載）")
    requester: RequesterIn = Field(
        default_factory=lambda: RequesterIn(type="official", name="APIクライアント"), title="請求者"
    )


@router.post(
    "registry/certificates",
    response={200: None, **ERRORS},
    summary="証明書を発行する（署名付き PDF、ヘッダ X-Certificate-Number に証明書番号）",
    openapi_extra=SIGNED_PDF,
)
@tenant_endpoint(access.ISSUE)
def issue_certificate(request, payload: CertificateIn, lg_code: str = LG_CODE):
    """One certificate as one transaction: refused with every reason (422), a protected person
    only for their own request or a recorded override, the 交付履歴 row and the print audit row."""
    client = request.auth
    visibility = Visibility(
        my_number=client.may_see_my_number(), protected=client.has_scope("registry:protected")
    )
    certificate = CertificateRequest(
        kind=payload.kind,
        layout=payload.layout,
        setai_no=payload.setai_no,
        atena_nos=tuple(payload.atena_nos),
        official_use=payload.official_use,
        as_of=payload.as_of,
        **payload.include.model_dump(),
    )
    requester = payload.requester.info(purpose=payload.purpose)
    try:
        issued = issuing.issue(
            certificate,
            requester=requester,
            visibility=visibility,
            fee_exempt_reason=payload.fee_exempt_reason,
        )
    except issuing.NotFound:
        raise ApiProblem(404, "この URL にはリソースがありません") from None
    except issuing.RuleViolation as exc:
        raise refused(exc.errors) from None
    return certificate_pdf(issued.pdf, issued.number)
