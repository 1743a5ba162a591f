"""Property-based API fuzzing from our own OpenAPI document (schemathesis, in-process WSGI).

Every operation, with generated valid and invalid input (schemathesis' examples, coverage and
fuzzing phases), must pass every registered check — the ``--checks all`` of the command line:
no 5xx, only documented status codes, content types, headers and schemas, invalid input refused,
valid input accepted, authentication enforced, 405 for undocumented methods.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import AIZU
from yakuba.platform.hostile import UNSTORABLE_DETAIL

BUSINESS_RULE_PATHS = {
    "/api/v1/{lg_code}/registry/moves",
    "/api/v1/{lg_code}/registry/residents",
    "/api/v1/{lg_code}/webhooks",
}
from yakuba.wsgi import application  # noqa: E402 - Django is configured by pytest-django

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
load_all_checks()
ALL_CHECKS = [check for check in CHECKS.get_all() if not isinstance(check, type)]


@pytest.fixture(autouse=True)
def _keep_test_connection():
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: keep the test transaction's connection open across calls.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def full_token(aizu):
    from yakuba.platform.identity.scopes import SCOPES
    from yakuba.platform.identity.services import issue_token

    return issue_token(AIZU, "fuzzer", list(SCOPES), "mynumber")[1]


def _detail(response) -> str:
    try:
        return response.json().get("detail", "")
    except ValueError:
        return ""


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, full_token):
    # Positive cases address the real municipality so that handlers run past the tenant guard;
    # negative cases keep their deliberately broken values.
    positive = case.meta is None or not case.meta.generation.mode.is_negative
    if positive and case.path_parameters and "lg_code" in case.path_parameters:
        case.path_parameters["lg_code"] = AIZU
    headers = {"Authorization": f"Bearer {full_token}"}
    response = case.call(headers=headers)
    assert response.status_code < 500, response.text
    # Business rules (a 異動 that breaks the registry rules, a search without criteria, a webhook
    # URL that is not https or resolves to an internal address, a client's 21st webhook) reject
    # schema-valid input with 422 by design: acceptance of positive data is checked only where
    # the schema says everything.
    # An endpoint whose rules go beyond its schema says so with ``x-business-rules`` (a domain
    # declares it on its own API, without an entry here): a schema-valid body may get 422.
    rules = case.operation.path in BUSINESS_RULE_PATHS or case.operation.definition.raw.get(
        "x-business-rules"
    )
    # Text no column can store (NUL, lone surrogates) is refused for every endpoint before it runs
    # (platform/hostile.py); JSON Schema has no practical way to say so on every string.
    rules = rules or (response.status_code == 422 and _detail(response) == UNSTORABLE_DETAIL)
    excluded = [positive_data_acceptance] if rules else []
    case.validate_response(response, checks=ALL_CHECKS, headers=headers, excluded_checks=excluded)


def test_every_operation_is_fuzzed_with_every_check():
    from yakuba.api import api

    documented = {(m.upper(), p) for p, ops in api.get_openapi_schema()["paths"].items() for m in ops}
    fuzzed = {(r.ok().method.upper(), r.ok().path) for r in schema.get_all_operations()}
    assert fuzzed == documented
    names = {check.__name__ for check in ALL_CHECKS}
    assert {
        "not_a_server_error",
        "status_code_conformance",
        "negative_data_rejection",
        "ignored_auth",
    } <= names
