"""Tenant isolation: row-level security holds for raw SQL, and routing spans servers."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connections

from tests.conftest import AIZU, CHIYODA, owner_cursor
from yakuba.platform.audit.log import record
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.platform.tenancy.rls import tenant_tables

pytestmark = pytest.mark.django_db(databases=["default"])


def _write_rows(lg_code: str, n: int) -> None:
    with tenant_context(lg_code):
        for i in range(n):
            record("read", "resident", subjects=[f"{lg_code}-{i}"])


def test_raw_sql_in_a_tenant_session_sees_none_of_another_municipalitys_rows(aizu, chiyoda, system_actor):
    _write_rows(AIZU, 3)
    _write_rows(CHIYODA, 2)
    with tenant_context(AIZU), connections["default"].cursor() as cursor:
        cursor.execute("SELECT lg_code, count(*) FROM audit_entry GROUP BY lg_code")
        assert cursor.fetchall() == [(AIZU, 3)]
        # Even asking for B explicitly returns nothing.
        cursor.execute("SELECT count(*) FROM audit_entry WHERE lg_code = %s", [CHIYODA])
        assert cursor.fetchone() == (0,)
        # The session cannot widen its own scope: the role is not the owner any more.
        cursor.execute("SELECT current_user, current_setting('yakuba.lg_code')")
        assert cursor.fetchone() == ("yakuba_app", AIZU)


def test_writing_a_row_for_another_municipality_is_refused(aizu, chiyoda, system_actor):
    from django.db.utils import ProgrammingError

    with pytest.raises(ProgrammingError, match="row-level security"):
        with tenant_context(AIZU):
            AuditEntry.objects.create(
                lg_code=CHIYODA, actor_type="system", actor="x", action="read", resource="r"
            )


def test_outside_a_tenant_context_the_app_role_sees_nothing(aizu, system_actor):
    _write_rows(AIZU, 1)
    with connections["default"].cursor() as cursor:
        cursor.execute("SET ROLE yakuba_app")
        try:
            cursor.execute("SELECT count(*) FROM audit_entry")
            assert cursor.fetchone() == (0,)
        finally:
            cursor.execute("RESET ROLE")


def test_every_tenant_table_has_forced_row_level_security(db):
    tables = tenant_tables()
    assert "audit_entry" in tables
    with connections["default"].cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                      (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation')
                 FROM pg_class c WHERE c.relname = ANY(%s)""",
            [tables],
        )
        rows = {r[0]: r[1:] for r in cursor.fetchall()}
    assert rows == {t: (True, True, 1) for t in tables}


def test_nested_contexts_for_different_municipalities_are_refused(aizu, chiyoda):
    with pytest.raises(RuntimeError, match="nested"):
        with tenant_context(AIZU), tenant_context(CHIYODA):
            pass


@pytest.mark.skipif(
    "shard2" not in settings.DATABASES, reason="YAKUBA_SHARDS has no shard2 (DATABASE_URL set without shards)"
)
@pytest.mark.django_db(databases=["default", "shard2"], transaction=True)
def test_municipalities_on_two_servers_are_routed_to_their_own_server(system_actor):
    from yakuba.platform.tenancy.services import register_municipality

    register_municipality(AIZU)
    register_municipality(CHIYODA, db_alias="shard2")
    _write_rows(AIZU, 2)
    _write_rows(CHIYODA, 5)

    def rows_on(alias: str) -> list[tuple[str, int]]:
        # The owner (a superuser here), no tenant: what is physically stored on that server.
        with owner_cursor(alias) as cursor:
            cursor.execute("SELECT lg_code, count(*) FROM audit_entry GROUP BY lg_code ORDER BY 1")
            return cursor.fetchall()

    assert rows_on("default") == [(AIZU, 2)]
    assert rows_on("shard2") == [(CHIYODA, 5)]
    # The two aliases really are different PostgreSQL servers.
    ports = set()
    for alias in ("default", "shard2"):
        with owner_cursor(alias) as cursor:
            cursor.execute("SELECT current_setting('data_directory')")
            ports.add(cursor.fetchone()[0])
    assert len(ports) == 2
    # ORM reads inside the tenant context follow the router.
    with tenant_context(CHIYODA):
        assert AuditEntry.objects.count() == 5
