"""Apply migrations on every configured database (directory and shards)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.db import connections

# Several processes starting together after a release (app servers, workers) all migrate:
# a session-level advisory lock lets the first do it and the others wait, then find nothing.
MIGRATION_LOCK = 7_320_281  # arbitrary, fixed


def migrate_all(*, verbose: bool = False) -> None:
    for alias in settings.DATABASES:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
            try:
                call_command("migrate", database=alias, interactive=False, verbosity=1 if verbose else 0)
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
