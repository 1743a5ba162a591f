"""The one NinjaAPI instance (composition root): ``/api/openapi.json``, ``/api/v1/{lg_code}/…``.

Each domain's ``api.router`` is picked up by convention (``yakuba.domains``); every router's
endpoints use ``tenant_endpoint``.
The OpenAPI document is committed as ``docs/openapi.json`` and a test fails when it differs
from the code (``yakuba openapi --write`` refreshes it).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from yakuba import domains
from yakuba.platform.api import platform_endpoints
from yakuba.platform.api.auth import ApiTokenAuth
from yakuba.platform.api.problems import CONTENT_TYPE as PROBLEM_CONTENT_TYPE
from yakuba.platform.api.problems import ApiProblem, problem_response, validation_errors
from yakuba.platform.hostile import JsonBodyParser
from yakuba.platform.linkage import api as linkage_api

logger = logging.getLogger("yakuba.api")


class YakubaAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document says what we send: problem+json for every error."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = YakubaAPI(
    title="Yakuba API",
    version="1",
    description=(
        "標準準拠の基幹業務システム（住民記録ほか）の共通データ API。"
        "テナントはパスの団体コードで指定し、トークンは発行した団体でのみ有効です。"
        "エラーは application/problem+json（RFC 9457）で返します。"
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=ApiTokenAuth(),
    parser=JsonBodyParser(),
)


@api.exception_handler(ApiProblem)
def _api_problem(request, exc: ApiProblem):
    return problem_response(request, exc.status, exc.detail, errors=exc.errors)


@api.exception_handler(ValidationError)
def _validation(request, exc: ValidationError):
    return problem_response(request, 422, "入力内容に誤りがあります", errors=validation_errors(exc.errors))


@api.exception_handler(AuthenticationError)
def _authentication(request, exc):
    return problem_response(
        request,
        401,
        "有効なトークンを Authorization: Bearer で指定してください",
        headers={"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(AuthorizationError)
def _authorization(request, exc):
    return problem_response(request, 403, str(exc) or None)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    # ninja wraps what the body parser raises in a 400; the parser's own answer is the one to give.
    if isinstance(exc.__cause__, ApiProblem):
        return _api_problem(request, exc.__cause__)
    return problem_response(request, exc.status_code, str(exc) or None)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(request, 404, "この URL にはリソースがありません")


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("unhandled API error (request %s)", getattr(request, "request_id", "-"))
    return problem_response(request, 500, "管理者にリクエストIDをお伝えください")


# The platform's routers, then each domain's ``api.router`` and ``api.calculations``
# (yakuba/domains.py): a domain adds its endpoints without touching this file.
ROUTERS = [
    ("/v1/{lg_code}/", platform_endpoints.router),
    ("/v1/{lg_code}/", linkage_api.router),
    *(
        ("/v1/{lg_code}/", module.router)
        for _name, module in domains.interfaces("api")
        if hasattr(module, "router")
    ),
    # Pure calculations (no tenant, nothing stored; any valid token): /api/v1/<area>/….
    *(
        ("/v1/", module.calculations)
        for _name, module in domains.interfaces("api")
        if hasattr(module, "calculations")
    ),
]
for prefix, router in ROUTERS:
    api.add_router(prefix, router)

COMMITTED_OPENAPI = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def openapi_text() -> str:
    """The OpenAPI document as committed: sorted keys, UTF-8, trailing newline."""
    return json.dumps(api.get_openapi_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
