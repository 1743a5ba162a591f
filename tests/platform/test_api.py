"""The API contract: tenant in the path, tokens bound to one municipality, problem+json."""

from __future__ import annotations

import json

import pytest

from tests.conftest import AIZU, CHIYODA
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_openapi_document_is_served(client):
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.") and "/api/v1/{lg_code}/municipality" in doc["paths"]


def test_api_docs_are_served_from_local_static_files_without_inline_script(client):
    import re

    html = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']  # data, not code


def test_token_reads_its_own_municipality(aizu, token_for, api):
    response = api.get(f"/api/v1/{AIZU}/municipality", token_for(AIZU))
    assert response.status_code == 200
    assert response.json() == {
        "lg_code": AIZU,
        "name": "会津若松市",
        "name_kana": "アイヅワカマツシ",
        "prefecture": "福島県",
        "full_name": "福島県会津若松市",
    }


@pytest.mark.parametrize("path", ["municipality", "whoami", "audit/entries"])
def test_token_of_a_gets_404_on_every_url_of_b(aizu, chiyoda, token_for, api, path):
    token = token_for(AIZU, scopes=["municipality:read", "audit:read"])
    body = _problem(api.get(f"/api/v1/{CHIYODA}/{path}", token), 404)
    # Exactly what an unregistered municipality answers: B's existence is not revealed.
    unregistered = _problem(api.get(f"/api/v1/011002/{path}", token), 404)
    assert body["detail"] == unregistered["detail"]


def test_missing_or_bad_token_is_401_with_bearer_challenge(aizu, api, token_for):
    response = api.get(f"/api/v1/{AIZU}/municipality")
    _problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
    real = token_for(AIZU)
    _problem(api.get(f"/api/v1/{AIZU}/municipality", real[:-2] + "xx"), 401)
    _problem(api.get(f"/api/v1/{AIZU}/municipality", "not-a-token"), 401)


def test_revoked_token_is_refused(aizu, token_for, api):
    from django.utils import timezone

    from yakuba.platform.identity.models import ApiClient

    token = token_for(AIZU)
    ApiClient.objects.filter(lg_code=AIZU).update(revoked_at=timezone.now())
    _problem(api.get(f"/api/v1/{AIZU}/municipality", token), 401)


def test_missing_scope_is_403_naming_the_scope(aizu, token_for, api):
    body = _problem(api.get(f"/api/v1/{AIZU}/audit/entries", token_for(AIZU)), 403)
    assert body["detail"] == "スコープ audit:read が必要です"


def test_bad_query_parameter_is_422_with_field_errors(aizu, token_for, api):
    token = token_for(AIZU, scopes=["audit:read"])
    body = _problem(api.get(f"/api/v1/{AIZU}/audit/entries?limit=abc&after=-1", token), 422)
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"limit", "after"}


def test_malformed_lg_code_in_path_is_422_not_500(token_for, aizu, api):
    body = _problem(api.get("/api/v1/abc/municipality", token_for(AIZU)), 422)
    assert body["errors"][0]["field"] == "lg_code"


def test_unknown_api_path_is_problem_404(client):
    _problem(client.get("/api/v1/072028/no-such-thing"), 404)


def test_method_not_allowed_is_problem(aizu, token_for, client):
    response = client.post(f"/api/v1/{AIZU}/municipality", HTTP_AUTHORIZATION=f"Bearer {token_for(AIZU)}")
    assert response.status_code == 405


def test_reading_the_audit_log_is_itself_audited_and_paginated(aizu, token_for, api):
    token = token_for(AIZU, scopes=["audit:read"])
    first = api.get(f"/api/v1/{AIZU}/audit/entries?limit=1", token).json()
    assert first["entries"] == [] and first["next"] is None
    api.get(f"/api/v1/{AIZU}/audit/entries", token)
    page = api.get(f"/api/v1/{AIZU}/audit/entries?limit=1", token).json()
    assert [e["chain_no"] for e in page["entries"]] == [1] and page["next"] == 1
    rest = api.get(f"/api/v1/{AIZU}/audit/entries?after=1&limit=10", token).json()
    assert [e["chain_no"] for e in rest["entries"]] == [2, 3] and rest["next"] is None
    with tenant_context(AIZU):
        row = AuditEntry.objects.get(chain_no=1)
    assert (row.actor_type, row.action, row.resource, row.zone) == ("client", "read", "audit_log", "lgwan")
    assert row.request_id and row.ip == "127.0.0.1"


def test_request_id_is_echoed_when_well_formed(aizu, token_for, client):
    response = client.get(
        f"/api/v1/{AIZU}/whoami",
        HTTP_AUTHORIZATION=f"Bearer {token_for(AIZU)}",
        HTTP_X_REQUEST_ID="abc-123-def",
    )
    assert response["X-Request-ID"] == "abc-123-def"
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces")
    assert response["X-Request-ID"] != "bad id with spaces"


def test_mynumber_scope_only_for_mynumber_zone(aizu):
    from yakuba.platform.identity.scopes import ScopeError
    from yakuba.platform.identity.services import issue_token

    with pytest.raises(ScopeError, match="個人番号利用事務系"):
        issue_token(AIZU, "c1", ["registry:mynumber"], "lgwan")
    client, token = issue_token(AIZU, "c2", ["registry:mynumber", "registry:read"], "mynumber")
    assert client.scopes == ["registry:mynumber", "registry:read"]
    assert client.secret_sha256 not in token and token.startswith("yk_")


def test_committed_openapi_document_matches_the_code():
    from yakuba.api import COMMITTED_OPENAPI, openapi_text

    assert COMMITTED_OPENAPI.read_text(encoding="utf-8") == openapi_text(), (
        "docs/openapi.json is stale: run `make openapi`"
    )


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [(False, "1.2.3.4", "127.0.0.1"), (True, "6.6.6.6, 10.0.0.9", "10.0.0.9"), (True, "", "127.0.0.1")],
)
def test_client_address_trusts_only_the_proxys_own_entry(rf, settings, trusted, forwarded, expected):
    from yakuba.platform.http import client_ip

    settings.TRUSTED_PROXY = trusted
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded) if forwarded else rf.get("/")
    assert client_ip(request) == expected
