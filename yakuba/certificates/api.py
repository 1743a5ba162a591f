"""Certificate endpoints (docs/reference/contract.md §4.8, docs/certificates.md): verification.

Verification answers one word and reveals no personal data, so it has a scope of its own,
``certificates:verify``, that a client outside the registry (a bank's system, another office)
can hold alone. The issue endpoint joins this router (``certificates:issue``).
"""

from __future__ import annotations

from typing import Literal

from ninja import Path, Router, Schema
from pydantic import Field

from yakuba.certificates import access
from yakuba.certificates.services import verify
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem

router = Router(tags=["certificates"])

PDF_TYPE = "application/pdf"

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
            "content": {PDF_TYPE: {"schema": {"type": "string", "format": "binary"}}},
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
