"""Shared fixtures: registered municipalities, staff, API tokens."""

from __future__ import annotations

import pytest

from yakuba.platform.audit.log import SYSTEM, bind_actor

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
def api(client):
    """``api.get(path, token)`` with a bearer token."""

    class Api:
        def get(self, path: str, token: str | None = None, **extra):
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
            return client.get(path, **headers, **extra)

    return Api()
