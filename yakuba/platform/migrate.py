"""Apply migrations on every configured database (directory and shards), as the schema owner.

Migrations log in with the URL's user (``owner_connections``); their last step
(``tenancy/rls.py``) creates or updates the runtime role, as which every later connection of
the process logs in (docs/operations.md "Database roles"). That login is tried here, so a server
that refuses it stops the command at start with one line instead of failing the first request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.db import connections

from yakuba.platform.database import APP_PASSWORD_ENV, APP_ROLE, DatabaseConfigError, owner_connections

# Several processes starting together after a release (app servers, workers) all migrate:
# a session-level advisory lock lets the first do it and the others wait, then find nothing.
MIGRATION_LOCK = 7_320_281  # arbitrary, fixed


def migrate_all(*, verbose: bool = False) -> None:
    # Every alias as the owner for the whole run: a data migration on a shard reads the
    # municipality directory on ``default``.
    with owner_connections():
        for alias in settings.DATABASES:
            _migrate(alias, verbose=verbose)
    for alias in settings.DATABASES:
        check_app_login(alias)


def _migrate(alias: str, *, verbose: bool) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
        try:
            call_command("migrate", database=alias, interactive=False, verbosity=1 if verbose else 0)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])


def check_app_login(alias: str, *, timeout: int = 5) -> None:
    """Fail with one line when the runtime role cannot log in (pg_hba.conf, a wrong password).

    A direct connection rather than the pool's: the pool retries in the background for 30
    seconds and then reports only that it timed out.
    """
    import psycopg

    params = connections[alias].get_connection_params()
    try:
        psycopg.connect(**params, connect_timeout=timeout).close()
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DatabaseConfigError(
            f"実行用ロール {APP_ROLE} でデータベース {alias} に接続できません"
            f"（pg_hba.conf と {APP_PASSWORD_ENV} を確認してください）: {first}"
        ) from None
