"""Restricted event fields (個人番号) at rest: sealed by the outbox, unsealed for the scope."""

from __future__ import annotations

import json

import pytest
from django.db import connections

from tests.conftest import AIZU
from tests.platform.linkage.conftest import SECRET_TYPE
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.linkage import restricted
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


def _stored() -> dict:
    with tenant_context(AIZU), connections["default"].cursor() as cursor:
        cursor.execute("SELECT data::text FROM linkage_event")
        return json.loads(cursor.fetchone()[0])


def _shown(api, token_for) -> str:
    token = token_for(AIZU, scopes=["events:read", "registry:mynumber"], zone="mynumber")
    return api.get(f"/api/v1/{AIZU}/events", token).json()["events"][0]["data"]["my_number"]


def test_sealed_in_the_table_clear_in_the_feed(aizu, token_for, api):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        emit(SECRET_TYPE, subject="0000000019", data={"name": "青木 太郎", "my_number": "123456789018"})
    stored = _stored()
    assert stored["name"] == "青木 太郎" and stored["my_number"].startswith("v1:")
    assert _shown(api, token_for) == "123456789018"


def test_rotation_seals_what_was_written_in_clear_before(aizu, token_for, api):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        emit(SECRET_TYPE, subject="0000000019", data={"name": "青木 太郎", "my_number": "123456789018"})
    with tenant_context(AIZU), connections["default"].cursor() as cursor:
        cursor.execute("""UPDATE linkage_event SET data = jsonb_set(data, '{my_number}', '"123456789018"')""")
    assert _shown(api, token_for) == "123456789018"  # as written, until rotated
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert restricted.rotate() == 1
        assert restricted.rotate() == 0
    assert _stored()["my_number"].startswith("v1:")
    assert _shown(api, token_for) == "123456789018"
