"""Requests and jobs log in as a role that no SQL can take out of row-level security.

The owner (``DATABASE_URL``'s user, a superuser on the test servers and by default) only
migrates; everything else logs in as ``yakuba_app`` (docs/operations.md "Database roles").
Proven in this process, whose suite runs as the runtime role, and in processes started the way
``yakuba`` starts: with a ``DATABASE_URL`` naming a superuser and with the embedded default.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import DatabaseError, connections, transaction

from tests.conftest import AIZU, CHIYODA, owner_cursor
from tests.platform.runtime_probe import ESCAPES, job_user
from tests.platform.test_cli import BIN, scratch_database_url  # noqa: F401 - fixture re-export
from tests.platform.test_serve import _free_port
from yakuba.platform.audit.log import record
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.database import APP_PASSWORD_ENV, APP_ROLE, DatabaseConfigError, app_password
from yakuba.platform.migrate import check_app_login
from yakuba.platform.tenancy.context import tenant_context
from yakuba.platform.tenancy.rls import _has_password, refuse_powerful_app_role, tenant_token

ROOT = Path(__file__).resolve().parents[2]
# Statements that must fail; the others (back to the login role) succeed and change nothing.
MUST_FAIL = {e for e in ESCAPES if not e.endswith(("RESET ROLE", "ROLE NONE"))}


def _assert_confined(outcome: dict) -> None:
    assert {e for e, refused in outcome["refused"].items() if refused} == MUST_FAIL, outcome
    assert (outcome["session_user"], outcome["current_user"], outcome["powerful"]) == (
        APP_ROLE,
        APP_ROLE,
        False,
    )
    assert outcome["own_rows"] >= 1 and outcome["other_rows"] == 0, outcome
    assert outcome["rows_after_set_config"] == {"own": 0, "other": 0}, outcome


def _probe_process(tmp_path, env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "tests.platform.runtime_probe", AIZU, CHIYODA],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _command_env(tmp_path, **extra) -> dict:
    skip = ("DJANGO_SETTINGS_MODULE", "YAKUBA_SHARDS", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(YAKUBA_VAR=str(tmp_path / "var"), **extra)
    return env


@pytest.mark.django_db(databases=["default"])
@pytest.mark.urls("tests.platform.runtime_probe")
def test_sql_in_a_request_cannot_leave_row_level_security(client, aizu, chiyoda, system_actor):
    for lg_code in (AIZU, CHIYODA):
        with tenant_context(lg_code):
            record("read", "resident", subjects=["1"])
    response = client.get(f"/api/runtime-probe/{AIZU}/{CHIYODA}")
    assert response.status_code == 200
    _assert_confined(response.json())
    assert job_user() == APP_ROLE


def _count(cursor, lg_code: str | None = None) -> int:
    if lg_code is None:
        cursor.execute("SELECT count(*) FROM audit_entry")
    else:
        cursor.execute("SELECT count(*) FROM audit_entry WHERE lg_code = %s", [lg_code])
    return cursor.fetchone()[0]


@pytest.mark.django_db(databases=["default"])
def test_sql_in_a_tenant_context_cannot_switch_municipality_with_set_config(aizu, chiyoda, system_actor):
    for lg_code in (AIZU, CHIYODA):
        with tenant_context(lg_code):
            record("read", "resident", subjects=["1"])
    password = settings.DATABASES["default"]["PASSWORD"]
    # Another session of the runtime role holds a valid token for CHIYODA, its statement text
    # (bound on the client, as under DEBUG) visible to every session of the role.
    with psycopg.connect(**connections["default"].get_connection_params()) as other:
        other_pid = other.info.backend_pid
        other.execute(
            f"SELECT set_config('yakuba.lg_code', '{CHIYODA}', true),"
            f" set_config('yakuba.lg_token', '{tenant_token(password, CHIYODA, other_pid)}', true)"
        )
        with tenant_context(AIZU), connections["default"].cursor() as cursor:
            own_pid = connections["default"].connection.info.backend_pid
            cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [other_pid])
            copied = re.search(r"'yakuba.lg_token', '([0-9a-f]{64})'", cursor.fetchone()[0])[1]
            cursor.execute("SELECT current_setting('yakuba.lg_token')")
            own_token = cursor.fetchone()[0]
            forgeries = {
                "bare setting": None,
                "token copied from pg_stat_activity": copied,
                "token for another pid": tenant_token(password, CHIYODA, own_pid + 1),
                "no token": "",
            }
            for name, token in forgeries.items():
                cursor.execute("SELECT set_config('yakuba.lg_code', %s, true)", [CHIYODA])
                if token is not None:
                    cursor.execute("SELECT set_config('yakuba.lg_token', %s, true)", [token])
                assert (_count(cursor), _count(cursor, CHIYODA)) == (0, 0), name
                with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
                    AuditEntry.objects.create(
                        lg_code=CHIYODA, actor_type="system", actor="x", action="read", resource=name
                    )
                cursor.execute(
                    "SELECT set_config('yakuba.lg_code', %s, true), set_config('yakuba.lg_token', %s, true)",
                    [AIZU, own_token],
                )
                assert (_count(cursor), _count(cursor, AIZU)) == (1, 1), name
        # The copied token is a real one: in the session it was made for, it works.
        assert other.execute("SELECT yakuba_tenant()").fetchone() == (CHIYODA,)


@pytest.mark.django_db(databases=["default"])
def test_the_tenant_key_and_the_token_function_are_out_of_the_runtime_roles_reach(aizu):
    with tenant_context(AIZU), connections["default"].cursor() as cursor:
        for statement in (
            "SELECT * FROM tenancy_tenant_key",
            "SELECT yakuba_tenant_token('131016', pg_backend_pid())",
            "CREATE OR REPLACE FUNCTION yakuba_tenant() RETURNS text LANGUAGE sql AS $$ SELECT '131016' $$",
        ):
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute(statement)
        cursor.execute("SELECT yakuba_tenant()")
        assert cursor.fetchone() == (AIZU,)
    with owner_cursor() as cursor:
        # The owner's own sessions (migrations) still scope their work with the bare setting.
        cursor.execute("SELECT set_config('yakuba.lg_code', %s, true), yakuba_tenant()", [CHIYODA])
        assert cursor.fetchone() == (CHIYODA, CHIYODA)


@pytest.mark.slow
def test_a_database_url_naming_a_superuser_still_gives_requests_the_runtime_role(
    tmp_path,
    scratch_database_url,  # noqa: F811
):
    with psycopg.connect(scratch_database_url) as conn:
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone() == (
            True,
        )
    outcome = _probe_process(tmp_path, _command_env(tmp_path, DATABASE_URL=scratch_database_url))
    _assert_confined(outcome)
    assert outcome["job_user"] == APP_ROLE


@pytest.mark.slow
def test_the_embedded_default_gives_requests_the_runtime_role(tmp_path):
    # A fresh embedded server of its own, and the password derived from its own secret key.
    env = _command_env(tmp_path)
    env.pop(APP_PASSWORD_ENV, None)
    outcome = _probe_process(tmp_path, env)
    _assert_confined(outcome)
    assert outcome["job_user"] == APP_ROLE


@pytest.mark.slow
def test_the_server_and_the_worker_log_in_as_the_runtime_role(tmp_path, scratch_database_url):  # noqa: F811
    env = _command_env(tmp_path, DATABASE_URL=scratch_database_url)
    port = _free_port()
    log = (tmp_path / "processes.out").open("w+")
    spawn = dict(stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path, start_new_session=True)
    server = subprocess.Popen([str(BIN), "serve", "--port", str(port), "--workers", "1"], **spawn)
    worker = None
    try:
        _wait_for(lambda: _healthy(port), server, tmp_path)
        worker = subprocess.Popen([str(BIN), "worker", "--concurrency", "1"], **spawn)
        _wait_for(
            lambda: "ワーカーを起動します" in (tmp_path / "processes.out").read_text(), worker, tmp_path
        )
        with psycopg.connect(scratch_database_url) as conn:
            users = conn.execute(
                "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            ).fetchall()
        assert users == [(APP_ROLE,)]
    finally:
        for process in (server, worker):
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def _wait_for(condition, process, tmp_path) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert process.poll() is None, (tmp_path / "processes.out").read_text()[-3000:]
        assert time.monotonic() < deadline, "the process did not come up"
        time.sleep(0.3)


@pytest.mark.django_db(databases=["default"])
def test_the_runtime_role_has_no_way_out_and_the_owner_none_into_it():
    with owner_cursor() as cursor:
        refuse_powerful_app_role(cursor)  # no attribute, membership or ownership
        cursor.execute(
            "SELECT rolcanlogin, pg_has_role(%s, current_user, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            [APP_ROLE, APP_ROLE],
        )
        assert cursor.fetchone() == (True, False)


@pytest.mark.django_db(databases=["default"])
@pytest.mark.parametrize(
    ("grant", "reason"),
    [
        ("GRANT {owner} TO yakuba_app", "ロール {owner} のメンバー"),
        ("ALTER ROLE yakuba_app BYPASSRLS", "BYPASSRLS"),
        ("ALTER TABLE audit_entry OWNER TO yakuba_app", "テーブル audit_entry の所有者"),
    ],
)
def test_migrate_refuses_a_runtime_role_with_a_way_out(grant, reason):
    owner = settings.DATABASES["default"]["OWNER"]["USER"]
    with pytest.raises(DatabaseConfigError, match=reason.format(owner=owner)):
        with owner_cursor() as cursor:  # rolled back by the error: other test processes never see it
            cursor.execute(grant.format(owner=owner))
            refuse_powerful_app_role(cursor)


@pytest.mark.django_db(databases=["default"])
def test_the_password_is_set_only_when_it_differs():
    # Comparing with the stored SCRAM verifier keeps concurrent migrations of the server's
    # databases (test workers, shards) from updating the shared role together.
    with owner_cursor() as cursor:
        assert _has_password(cursor, settings.DATABASES["default"]["PASSWORD"])
        assert not _has_password(cursor, "not-the-password")


def test_the_password_is_derived_from_the_secret_key_unless_given(monkeypatch):
    monkeypatch.delenv(APP_PASSWORD_ENV, raising=False)
    derived = app_password("key-1")
    assert derived == app_password("key-1") != app_password("key-2")
    assert len(derived) == 43 and "key-1" not in derived
    monkeypatch.setenv(APP_PASSWORD_ENV, "given-by-the-operator")
    assert app_password("key-1") == "given-by-the-operator"


def test_every_connection_is_configured_for_the_runtime_role():
    for entry in settings.DATABASES.values():
        assert entry["USER"] == APP_ROLE != entry["OWNER"]["USER"]


@pytest.mark.django_db(databases=["default"])
def test_bulk_loads_may_analyze_tenant_tables_but_not_lock_the_access_log(aizu):
    from yakuba.registry.services.bulk import analyze_registry

    with tenant_context(AIZU), connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege(current_user, 'registry_resident', 'MAINTAIN'),"
            " has_table_privilege(current_user, 'audit_entry', 'MAINTAIN')"
        )
        assert cursor.fetchone() == (True, False)
        notices = []
        handler = notices.append
        cursor.connection.add_notice_handler(handler)
        try:
            analyze_registry(cursor)
        finally:
            cursor.connection.remove_notice_handler(handler)
        assert notices == []  # no "permission denied to analyze …, skipping it"


def test_a_runtime_login_that_fails_is_one_line(monkeypatch):
    monkeypatch.setitem(connections["default"].settings_dict, "NAME", "no_such_database")
    with pytest.raises(
        DatabaseConfigError, match=f"実行用ロール {APP_ROLE} でデータベース default に接続できません"
    ):
        check_app_login("default")


@pytest.mark.django_db
def test_creating_the_role_that_another_migration_just_created_is_not_an_error():
    """Two databases of one server migrated at once (the test workers; two shards) both find no
    role and both create it: roles are cluster-wide, so the second CREATE ROLE failed and the
    whole migration with it (CI run of 2026-12-06). The loser now uses the role it found."""
    from yakuba.platform.tenancy.rls import _create_app_role

    with owner_cursor() as cursor:
        _create_app_role(cursor, settings.DATABASES["default"]["PASSWORD"])  # the role exists
        cursor.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'yakuba_app'")
        assert cursor.fetchone()[0] == 1
