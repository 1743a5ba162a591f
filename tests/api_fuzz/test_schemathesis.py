"""Property-based API fuzzing from our own OpenAPI document (schemathesis, in-process WSGI).

Every operation, with generated valid and invalid input, must answer within its documented
responses and schemas: zero 5xx, zero schema violations.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import AIZU

BUSINESS_RULE_PATHS = {
    "/api/v1/{lg_code}/registry/moves",
    "/api/v1/{lg_code}/registry/residents",
    "/api/v1/{lg_code}/webhooks",
}
from yakuba.wsgi import application  # noqa: E402 - Django is configured by pytest-django

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


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
    excluded = [positive_data_acceptance] if case.operation.path in BUSINESS_RULE_PATHS else []
    case.validate_response(response, headers=headers, excluded_checks=excluded)
