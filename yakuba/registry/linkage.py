"""The registry's 全件/差分 file for file linkage, in the 住民記録 layout (docs/reference/contract.md#linkage-files).

差分 = the current rows of every person with a registry change processed in the period. The
period is widened backwards by ``OVERLAP``: a change processed just before the previous file's
end but committed after it would otherwise fall between two files. Rows are the full current
state, so a person appearing in two consecutive files is harmless.
個人番号 is included only when this deployment runs in the 個人番号利用事務系 (the files stay
there); elsewhere the column is empty. Persons under 支援措置 are left out (docs/reference/registry-facts.md §9: the
measure blocks disclosure everywhere, exports included); their own departments learn of them
through the registry screens, where an authorized override is recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TextIO

from django.conf import settings

from yakuba.platform.linkage.files import Producer, register_producer
from yakuba.registry.models import ResidentHistory
from yakuba.registry.services.export import rows_for, write_csv
from yakuba.registry.services.protection import protected_atena_nos

OVERLAP = timedelta(minutes=10)


def write_registry_file(out: TextIO, since: datetime | None, until: datetime) -> int:
    atena_nos = None
    if since is not None:
        atena_nos = (
            ResidentHistory.objects.filter(processed_at__gt=since - OVERLAP, processed_at__lte=until)
            .values_list("atena_no", flat=True)
            .distinct()
        )
    hidden = protected_atena_nos()  # before the COPY, which holds the connection until it ends
    with rows_for(atena_nos) as rows:
        written, _left_out = write_csv(
            out, rows, include_my_number=settings.ZONE == "mynumber", hidden=hidden
        )
    return written


def register() -> None:
    register_producer(
        Producer("registry", "住民記録（中間標準レイアウト準拠の住民一覧）", write_registry_file)
    )
