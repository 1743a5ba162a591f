"""Endpoints that answer with a document instead of JSON: a signed certificate PDF with its
number in a header (住民票の写し, 所得・課税証明書 …), or a refusal with every reason."""

from __future__ import annotations

from django.http import HttpResponse

from yakuba.platform.api.problems import ApiProblem

PDF_TYPE = "application/pdf"
PDF_CONTENT = {PDF_TYPE: {"schema": {"type": "string", "format": "binary"}}}
# ``openapi_extra`` of an endpoint that answers 200 with a signed PDF and whose rules go beyond
# its schema (a schema-valid body may be refused with 422).
SIGNED_PDF = {
    "responses": {200: {"description": "署名付き PDF", "content": PDF_CONTENT}},
    "x-business-rules": True,
}


def certificate_pdf(pdf: bytes, number: str) -> HttpResponse:
    """The signed PDF, its 証明書番号 in ``X-Certificate-Number`` and the file name."""
    response = HttpResponse(pdf, content_type=PDF_TYPE)
    response["X-Certificate-Number"] = number
    response["Content-Disposition"] = f'inline; filename="{number}.pdf"'
    return response


def refused(errors: list[tuple[str, str]], title: str = "証明書を発行できません") -> ApiProblem:
    """422 naming each field with its reason (``raise refused(exc.errors) from None``)."""
    return ApiProblem(422, title, errors=[{"field": f, "message": m} for f, m in errors])
