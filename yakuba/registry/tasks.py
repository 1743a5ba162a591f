"""Registry batch jobs (procrastinate): the monthly 除票 archive move and 転出予定 finalisation."""

from __future__ import annotations

from django.db import close_old_connections
from procrastinate.contrib.django import app

from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context
from yakuba.platform.tenancy.models import Municipality
from yakuba.registry.services.archive import archive_removed


@app.periodic(cron="0 3 1 * *")  # 03:00 on the first of every month (the standard: ≥ once a year)
@app.task(queue="registry", queueing_lock="archive_removed")
def archive_removed_everywhere(timestamp: int) -> None:
    close_old_connections()
    for lg_code in Municipality.objects.using("default").values_list("lg_code", flat=True):
        with bind_actor(SYSTEM), tenant_context(lg_code):
            archive_removed()
