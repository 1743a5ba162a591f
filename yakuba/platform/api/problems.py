"""RFC 9457 ``application/problem+json`` errors for every API failure.

Bad input is a 4xx with the field and reason, never a 500 and never a traceback.
"""

from __future__ import annotations

import json
import logging

from django.http import HttpResponse
from ninja import Schema

from yakuba.platform import schema_errors

logger = logging.getLogger("yakuba.api")

CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "不正なリクエストです",
    401: "認証が必要です",
    403: "権限がありません",
    404: "見つかりません",
    405: "許可されていないメソッドです",
    409: "他の処理と競合しました",
    413: "リクエストが大きすぎます",
    414: "URL が長すぎます",
    415: "対応していない形式です",
    417: "Expect ヘッダーに応えられません",
    422: "入力内容に誤りがあります",
    429: "リクエストが多すぎます",
    431: "ヘッダーが大きすぎます",
    500: "内部エラーが発生しました",
    501: "対応していない機能です",
    503: "一時的に利用できません",
}


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class ApiProblem(Exception):
    """Raise from an endpoint to answer with a problem document."""

    def __init__(self, status: int, detail: str | None = None, *, errors: list[dict] | None = None):
        super().__init__(detail or TITLES.get(status, ""))
        self.status = status
        self.detail = detail
        self.errors = errors


def problem_document(status: int, detail: str | None = None, *, request_id=None, errors=None) -> str:
    """The JSON text of a problem; also written by the HTTP server for requests Django never sees."""
    body = {"type": "about:blank", "title": TITLES.get(status, "エラー"), "status": status}
    if detail:
        body["detail"] = detail
    if request_id:
        body["request_id"] = request_id
    if errors is not None:
        body["errors"] = errors
    return json.dumps(body, ensure_ascii=False)


def problem_response(
    request, status: int, detail: str | None = None, *, errors=None, headers=None
) -> HttpResponse:
    body = problem_document(status, detail, request_id=getattr(request, "request_id", None), errors=errors)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPE)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def validation_errors(errors: list[dict]) -> list[dict]:
    return [
        {"field": schema_errors.path(e.get("loc", ())) or "(body)", "message": schema_errors.message(e)}
        for e in errors
    ]


def is_api_path(request) -> bool:
    return request.path.startswith("/api/")


def django_handler404(request, exception=None):
    if is_api_path(request):
        return problem_response(request, 404, "この URL にはリソースがありません")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def _problem_or_text(request, status: int, detail: str, text: str) -> HttpResponse:
    if is_api_path(request):
        return problem_response(request, status, detail)
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def django_handler400(request, exception=None):
    """Django's own refusals (a ``SuspiciousOperation`` such as a malformed cookie or a bad
    multipart boundary): problem+json on the API, a Japanese line elsewhere — not Django's
    English page."""
    message = "リクエストの形式が正しくありません"
    return _problem_or_text(request, 400, message, f"{message}。画面を開き直してください。")


def django_handler500(request):
    return _problem_or_text(
        request,
        500,
        "管理者にリクエストIDをお伝えください",
        "内部エラーが発生しました。管理者にお問い合わせください。",
    )
