"""Shared fixtures: registered municipalities, staff, API tokens."""

from __future__ import annotations

import json
from contextlib import ExitStack, contextmanager

import pytest
import schemathesis

from yakuba.platform.audit.log import SYSTEM, bind_actor

# Both API fuzzers (tests/api_fuzz, tests/platform/test_fuzz_every_form.py) generate bodies from
# the OpenAPI document: a body that is a file (a certificate's PDF to verify) is sent as the
# bytes generated. Registered here so that neither depends on which test module a worker
# imported first.
schemathesis.serializer.alias("application/pdf", "application/octet-stream")

# Two real municipalities used throughout the tests.
AIZU = "072028"  # 会津若松市
CHIYODA = "131016"  # 千代田区


@pytest.fixture(autouse=True)
def _fresh_alias_cache():
    """Registrations are rolled back after each test; cached aliases must not outlive them."""
    from yakuba.platform.tenancy.context import forget_alias

    forget_alias()
    yield
    forget_alias()


@pytest.fixture
def system_actor():
    with bind_actor(SYSTEM) as actor:
        yield actor


@pytest.fixture
def aizu(db):
    from yakuba.platform.tenancy.services import register_municipality

    return register_municipality(AIZU)[0]


@pytest.fixture
def chiyoda(db):
    from yakuba.platform.tenancy.services import register_municipality

    return register_municipality(CHIYODA)[0]


@pytest.fixture
def token_for(db):
    """``token_for(lg_code, scopes=[...], zone=...)`` → bearer token string."""
    from yakuba.platform.identity.services import issue_token

    counter = iter(range(1000))

    def make(lg_code: str, scopes=("municipality:read",), zone: str = "lgwan") -> str:
        return issue_token(lg_code, f"test-client-{next(counter)}", list(scopes), zone)[1]

    return make


@pytest.fixture
def post_calculation(client, token_for, aizu):
    """``post_calculation(path, body, auth=True)``: a pure calculation (contract §4.8) called with
    any valid token — no scope is needed, no municipality in the path."""
    token = token_for(AIZU, scopes=["events:read"])

    def post(path: str, body, *, auth: bool = True):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if auth else {}
        return client.post(path, data=json.dumps(body), content_type="application/json", **headers)

    return post


@pytest.fixture
def api(client):
    """``api.get(path, token)`` with a bearer token."""

    class Api:
        def get(self, path: str, token: str | None = None, **extra):
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
            return client.get(path, **headers, **extra)

    return Api()


# --- database roles -------------------------------------------------------------------------
# The suite runs as the runtime role, as requests and jobs do; the test databases are created,
# migrated, flushed and dropped by the owner, as migrate_all does in production
# (docs/operations.md "Database roles").

_owner_during_setup = ExitStack()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The owner creates and migrates the test databases (until ``django_db_setup`` is done)."""
    from yakuba.platform.database import owner_connections

    _owner_during_setup.enter_context(owner_connections())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Back to the runtime role for the tests; flushes after transactional tests as the owner
    (TRUNCATE and the post-migrate grants are the owner's); at the end the runtime pools close
    so that the owner can drop the test databases."""
    from django.db import connections
    from django.test import TransactionTestCase

    _owner_during_setup.close()
    patch = pytest.MonkeyPatch()
    patch.setattr(TransactionTestCase, "_fixture_teardown", _as_owner(TransactionTestCase._fixture_teardown))
    yield
    patch.undo()
    for connection in connections.all():
        connection.close()
        connection.close_pool()


def _as_owner(fixture_teardown):
    def teardown(test_case):
        from django.db import connections

        from yakuba.platform.database import owner_connections

        aliases = list(test_case._databases_names(include_mirrors=False))
        for alias in aliases:
            connections[alias].close()  # nothing of the test's may hold a lock the flush waits for
        with owner_connections(aliases):
            fixture_teardown(test_case)

    return teardown


@contextmanager
def owner_cursor(alias: str = "default"):
    """A cursor of the schema owner (``DATABASE_URL``'s user: a superuser on the test servers)
    in a transaction of its own, committed at the end — for tests that do what only an
    administrator can (switch triggers off, look past row-level security). It sees committed
    rows only, so use it from transactional tests (``django_db(transaction=True)``)."""
    from django.db import connections, transaction

    from yakuba.platform.database import owner_connections

    with owner_connections([alias]), transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        yield cursor
