"""Writing residents in the CONTRACT 住民記録 layout (CSV, UTF-8 or CP932), streaming.

Rows come from a server-side cursor in 宛名番号 order, so memory stays flat at any size;
個人番号 is decrypted row by row only when the caller may include it.
"""

from __future__ import annotations

import csv
import heapq
from collections.abc import Iterable
from datetime import date
from operator import attrgetter
from typing import TextIO

from yakuba.registry.layout import COLUMNS, HEADERS
from yakuba.registry.models import Resident, ResidentArchive, ResidentHistory
from yakuba.registry.services.protection import protected_atena_nos
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
    """Current rows (live and archived 除票) in one 宛名番号 order, streamed.

    The two tables are merged rather than concatenated, so the file does not depend on which
    除票 the 5-year archive job has moved yet (an export → import → export round trip gives the
    same bytes).
    """
    sources = []
    for model in (Resident, ResidentArchive):
        qs = model.objects.order_by("atena_no")
        if atena_nos is not None:
            qs = qs.filter(atena_no__in=list(atena_nos))
        sources.append(qs.iterator(chunk_size=CHUNK))
    yield from heapq.merge(*sources, key=attrgetter("atena_no"))


def rows_as_of(as_of: date):
    """Each person's row valid on ``as_of`` (the highest 履歴番号 whose 異動日 is on or before
    it), 除票 included, in 宛名番号 order — the registry as it stood that day."""
    return (
        ResidentHistory.objects.filter(move_date__lte=as_of)
        .order_by("atena_no", "-history_no")
        .distinct("atena_no")  # DISTINCT ON: the latest row per person
        .iterator(chunk_size=CHUNK)
    )


class Unencodable(ValueError):
    """A character the chosen encoding cannot hold (never replaced silently)."""


def export_residents(
    path: str,
    *,
    encoding: str = "utf-8",
    as_of: date | None = None,
    include_protected: bool = False,
    include_my_number: bool = True,
    progress=None,
) -> tuple[int, int]:
    """Write the registry to ``path`` in the CONTRACT layout; returns (rows written, left out).

    Written to a temporary file and renamed at the end, so a reader never sees half a file.
    Persons under 支援措置 are left out unless ``include_protected`` (an authorized override
    the caller records with its reason).
    """
    import os

    hidden = set() if include_protected else protected_atena_nos()
    source = rows_as_of(as_of) if as_of else rows_for()
    left_out = 0

    def kept():
        nonlocal left_out
        for row in source:
            if row.atena_no in hidden:
                left_out += 1
                continue
            if progress:
                progress()
            yield row

    partial = f"{path}.partial"
    try:
        with open(partial, "w", encoding=encoding, errors="strict", newline="") as out:
            written = write_csv(out, kept(), include_my_number=include_my_number)
    except UnicodeEncodeError as exc:
        os.unlink(partial)
        raise Unencodable(
            f"{encoding} で表せない文字があります（{exc.object[exc.start : exc.end]!r}）。UTF-8 で出力してください"
        ) from None
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise
    finally:
        source.close()  # release the server-side cursor even when writing stopped early
    os.replace(partial, path)
    return written, left_out


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
