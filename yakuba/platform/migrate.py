"""Apply migrations on every configured database (directory and shards)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command


def migrate_all(*, verbose: bool = False) -> None:
    for alias in settings.DATABASES:
        call_command("migrate", database=alias, interactive=False, verbosity=1 if verbose else 0)
