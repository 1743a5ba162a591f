"""The counter's day in figures, for the home screen: 異動 filed today, 転出予定 past their
date, 支援措置 ending this month, 住民票コード left in the pool.

Figures only — no person is named, so nothing here is an audited read. The home screen shows
them on every visit, hence one cheap query each (the screen test counts them).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connections
from django.utils import timezone

from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import numbering
from yakuba.registry.codes import Status
from yakuba.registry.models import Resident
from yakuba.registry.services.protection import count_expiring


@dataclass(frozen=True)
class Workload:
    moves_today: int
    overdue_move_outs: int  # 転出予定 whose 転出予定日 has passed (転出確定 not yet recorded)
    protections_ending: int  # 支援措置 ending this month, not extended or ended early
    juminhyo_codes_free: int
    juminhyo_codes_low: int  # the threshold of the pool alert (numbering.LOW_POOL_THRESHOLD)


_MOVES_SINCE_SQL = """
SELECT count(*) FROM registry_move WHERE lg_code = %(lg)s AND processed_at >= %(since)s
"""  # index registry_move_processed


def moves_since(since: datetime) -> int:
    """How many 異動 were processed from ``since`` (aware) on."""
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(_MOVES_SINCE_SQL, {"lg": tenant.lg_code, "since": since})
        return cursor.fetchone()[0]


def workload(today: date | None = None) -> Workload:
    """The figures of ``today`` (the local date by default)."""
    today = today or timezone.localdate()
    since = timezone.make_aware(datetime.combine(today, time.min))
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    return Workload(
        moves_today=moves_since(since),
        overdue_move_outs=Resident.objects.filter(
            status=Status.MOVING_OUT, planned_move_out_on__lt=today
        ).count(),
        protections_ending=count_expiring(today.replace(day=1), month_end),
        juminhyo_codes_free=numbering.pool_remaining(),
        juminhyo_codes_low=numbering.LOW_POOL_THRESHOLD,
    )
