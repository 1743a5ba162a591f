"""Writing residents in the 住民記録 layout (docs/reference/contract.md#resident-csv) (CSV, UTF-8 or CP932), streaming.

Rows come from a server-side cursor in 宛名番号 order, already as CSV text (the SQL below
writes dates as YYYY-MM-DD, codes as digits and quotes as csv.writer does), so Python only
decrypts 個人番号 — when the caller may include it — and joins the parts; memory stays flat at
any size.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TextIO

from django.db import connections

from yakuba.platform import crypto
from yakuba.platform.private_files import open_private
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.layout import COLUMNS, HEADERS
from yakuba.registry.services.protection import protected_atena_nos
from yakuba.registry.services.records import my_number_context

CHUNK = 5000
ATENA, MY_NUMBER = HEADERS.index("宛名番号"), HEADERS.index("個人番号")


def _cell_sql(column) -> str:
    """The SQL text of one cell (the 個人番号 cell carries its ciphertext)."""
    a = column.attr
    if column.kind == "my_number":
        return "my_number_encrypted"
    if column.kind == "birth":
        return "coalesce(to_char(birth_date, 'YYYY-MM-DD'), birth_date_text)"
    if column.kind == "date":
        return f"coalesce(to_char({a}, 'YYYY-MM-DD'), '')"
    if column.kind == "int":
        return f"{a}::text"
    return a


_CELLS = ", ".join(_cell_sql(c) for c in COLUMNS)  # the cells as they are (raw COPY baseline)
_SPECIAL = "'[\",\\r\\n]'"  # what makes csv.writer quote a cell: delimiter, quote, line break


def _csv_sql(columns) -> str:
    """SQL giving the CSV text of ``columns`` byte for byte as ``csv.writer`` (QUOTE_MINIMAL)
    writes it. Built by the server, so Python handles four values per row instead of 32 —
    the export's cost was Python building and writing cells one by one. Dates and codes can
    hold no special character; free text is tested once per row and quoted only when needed."""
    cells = [_cell_sql(c) for c in columns]
    free = [cell for c, cell in zip(columns, cells, strict=True) if c.kind in ("text", "birth")]
    quoted = [
        f"CASE WHEN {cell} ~ {_SPECIAL} THEN '\"' || replace({cell}, '\"', '\"\"') || '\"' ELSE {cell} END"
        if c.kind in ("text", "birth")
        else cell
        for c, cell in zip(columns, cells, strict=True)
    ]
    return (
        f"CASE WHEN concat({', '.join(free)}) ~ {_SPECIAL}"
        f" THEN concat_ws(',', {', '.join(quoted)}) ELSE concat_ws(',', {', '.join(cells)}) END"
    )


# Per row: 宛名番号 (order, 支援措置 filter), the 個人番号 ciphertext, and the CSV text of the
# cells before and after 個人番号.
_LINE = (
    f"atena_no, my_number_encrypted, {_csv_sql(COLUMNS[:MY_NUMBER])}, {_csv_sql(COLUMNS[MY_NUMBER + 1 :])}"
)


def rows_for(atena_nos: Iterable[str] | None = None) -> contextlib.AbstractContextManager[Iterator[tuple]]:
    """Current rows (live and archived 除票) as line parts (see ``_LINE``), in one 宛名番号 order;
    use as ``with rows_for() as rows:``.

    The two tables are merged rather than concatenated, so the file does not depend on which
    除票 the 5-year archive job has moved yet (an export → import → export round trip gives the
    same bytes).
    """
    where, params = "", []
    if atena_nos is not None:
        where, params = " WHERE atena_no = ANY(%s)", [list(atena_nos)] * 2
    return stream(
        f"SELECT {_LINE} FROM registry_resident{where}"
        f" UNION ALL SELECT {_LINE} FROM registry_resident_archive{where} ORDER BY 1",
        params,
    )


# Each person's row valid at the end of a day (``%s``): the highest 履歴番号 whose 異動日 is on or
# before it — the registry as it stood that day, 除票 included. Aliased ``h``.
ROWS_ON_DAY = (
    "(SELECT DISTINCT ON (atena_no) * FROM registry_resident_history"
    " WHERE move_date <= %s ORDER BY atena_no, history_no DESC) h"
)


def rows_as_of(as_of: date) -> contextlib.AbstractContextManager[Iterator[tuple]]:
    """Each person's row valid on ``as_of`` (the highest 履歴番号 whose 異動日 is on or before
    it), 除票 included, in 宛名番号 order — the registry as it stood that day."""
    return stream(f"SELECT {_LINE} FROM {ROWS_ON_DAY} ORDER BY 1", [as_of])


@contextlib.contextmanager
def stream(sql: str, params: list | dict) -> Iterator[Iterator[tuple]]:
    """The rows of ``sql`` through COPY: the server keeps producing while Python writes (a
    cursor's fetches would leave each side waiting for the other in turn).

    A context manager, not a generator, because the COPY holds the connection until it ends:
    a generator left unclosed after an error kept it, and the rollback that followed waited
    for it forever. Leaving the block early cancels the COPY, which aborts the transaction:
    callers leave early only on an error.
    """
    connection = connections[require_tenant().alias]
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT", params) as copy:
        yield copy.rows()


class Unencodable(ValueError):
    """A character the chosen encoding cannot hold (never replaced silently)."""


def export_residents(
    path: str,
    *,
    encoding: str = "utf-8",
    as_of: date | None = None,
    include_protected: bool = False,
    include_my_number: bool = True,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Write the registry to ``path`` in the 住民記録 layout; returns (rows written, left out).

    Written to a temporary file and renamed at the end, so a reader never sees half a file;
    mode 0600 from the start, as it carries 個人番号, 住民票コード and 本籍 (``private_files``).
    Persons under 支援措置 are left out unless ``include_protected`` (an authorized override
    the caller records with its reason).
    """
    import os

    hidden = set() if include_protected else protected_atena_nos()
    partial = f"{path}.partial"
    try:
        with (
            rows_as_of(as_of) if as_of else rows_for() as source,
            open_private(partial, encoding=encoding) as out,
        ):
            written, left_out = write_csv(
                out, source, include_my_number=include_my_number, hidden=hidden, progress=progress
            )
    except UnicodeEncodeError as exc:
        os.unlink(partial)
        raise Unencodable(
            f"{encoding} で表せない文字があります（{exc.object[exc.start : exc.end]!r}）。UTF-8 で出力してください"
        ) from None
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise
    os.replace(partial, path)
    return written, left_out


def write_csv(
    out: TextIO,
    rows: Iterable[tuple],
    *,
    include_my_number: bool,
    hidden: set[str] | frozenset[str] = frozenset(),
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Write the header and ``rows`` (line parts from ``rows_for``) except those of ``hidden``
    宛名番号; returns (rows written, rows left out). ``progress(n)`` hears of every ``CHUNK``
    rows read, not of each one (a per-row callback was a tenth of the export's time)."""
    csv.writer(out, lineterminator="\r\n").writerow(HEADERS)
    write = out.write
    decrypt, context = crypto.decrypt, my_number_context
    lg_code = require_tenant().lg_code
    written = left_out = 0
    for atena, token, head, tail in rows:
        if atena in hidden:
            left_out += 1
            continue
        number = decrypt(token, context=context(lg_code, atena)) if token and include_my_number else ""
        write(f"{head},{number},{tail}\r\n")
        written += 1
        if progress and written % CHUNK == 0:
            progress(CHUNK)
    if progress:
        progress(written % CHUNK)
    return written, left_out
