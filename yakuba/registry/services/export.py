"""Writing residents in the CONTRACT 住民記録 layout (CSV, UTF-8 or CP932), streaming.

Rows come from a server-side cursor in 宛名番号 order, so memory stays flat at any size;
個人番号 is decrypted row by row only when the caller may include it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from yakuba.registry.layout import COLUMNS, HEADERS
from yakuba.registry.models import Resident, ResidentArchive
from yakuba.registry.services.queries import my_number_of

CHUNK = 2000


def _cell(row, column) -> str:
    if column.kind == "my_number":
        return ""  # filled by the caller when allowed
    value = getattr(row, column.attr)
    if column.kind == "birth":
        return row.birth_date.isoformat() if row.birth_date else row.birth_date_text
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def rows_for(atena_nos: Iterable[str] | None = None):
    """Current rows (live and archived 除票) in 宛名番号 order, streamed."""
    for model in (Resident, ResidentArchive):
        qs = model.objects.order_by("atena_no")
        if atena_nos is not None:
            qs = qs.filter(atena_no__in=list(atena_nos))
        yield from qs.iterator(chunk_size=CHUNK)


def write_csv(out: TextIO, rows, *, include_my_number: bool) -> int:
    """Write the header and ``rows``; returns the number of rows written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    count = 0
    my_number_index = HEADERS.index("個人番号")
    for row in rows:
        cells = [_cell(row, c) for c in COLUMNS]
        if include_my_number:
            cells[my_number_index] = my_number_of(row)
        writer.writerow(cells)
        count += 1
    return count
