"""The 5-year move of 除票 to the archive table (住民記録システム標準仕様書 §1.1.5, §9.3)."""

from __future__ import annotations

from datetime import date

from django.db import connections
from django.utils import timezone

from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.codes import Status
from yakuba.registry.models import Resident

ARCHIVE_AFTER_YEARS = 5


def cutoff(today: date) -> date:
    try:
        return today.replace(year=today.year - ARCHIVE_AFTER_YEARS)
    except ValueError:  # 2/29
        return today.replace(year=today.year - ARCHIVE_AFTER_YEARS, day=28)


def archive_removed(*, today: date | None = None) -> int:
    """Move 除票 removed more than five years ago to the archive, in one statement; returns how many.

    Set-based (DELETE … RETURNING feeding INSERT), so it is one transaction whatever the size,
    and idempotent: a second run finds nothing left to move.
    """
    tenant = require_tenant()
    columns = [f.column for f in Resident._meta.concrete_fields if f.column != "id"]
    column_list = ", ".join(f'"{c}"' for c in columns)
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(
            f"""
            WITH moved AS (
              DELETE FROM registry_resident
               WHERE lg_code = %s AND status = %s AND removed_on < %s
              RETURNING {column_list}
            )
            INSERT INTO registry_resident_archive ({column_list}) SELECT {column_list} FROM moved
            """,
            [tenant.lg_code, Status.REMOVED, cutoff(today or timezone.localdate())],
        )
        moved = cursor.rowcount
    if moved:
        record(Action.UPDATE, "resident_archive", detail={"archived": moved})
    return moved
