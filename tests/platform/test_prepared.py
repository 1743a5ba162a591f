"""Prepared hot statements: planned once per connection, still confined to the tenant."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU, CHIYODA
from yakuba.platform.audit.log import record
from yakuba.platform.prepared import prepared_cursor
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(databases=["default"])

COUNT = "SELECT count(*) FROM audit_entry WHERE action = %s"


def _count(lg_code: str) -> int:
    with tenant_context(lg_code), prepared_cursor("default") as cursor:
        cursor.execute(COUNT, ["read"])
        return cursor.fetchone()[0]


def _prepared(text: str) -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = %s", [text])
        return cursor.fetchone()[0]


def test_one_prepared_statement_serves_every_tenant_under_row_level_security(aizu, chiyoda, system_actor):
    with tenant_context(AIZU):
        for i in range(3):
            record("read", "resident", subjects=[str(i)])
    with tenant_context(CHIYODA):
        record("read", "resident", subjects=["x"])
    # More runs than PostgreSQL's five custom plans, so that it may settle on one generic plan.
    counts = [(_count(AIZU), _count(CHIYODA)) for _ in range(4)]
    assert counts == [(3, 1)] * 4
    assert _prepared("SELECT count(*) FROM audit_entry WHERE action = $1") == 1


def test_while_queries_are_logged_the_log_shows_the_statement_with_its_values():
    with CaptureQueriesContext(connections["default"]) as captured:
        with prepared_cursor("default") as cursor:
            cursor.execute("SELECT %s::int + 1", [41])
            assert cursor.fetchone() == (42,)
    assert [q["sql"] for q in captured] == ["SELECT 41::int + 1"]
