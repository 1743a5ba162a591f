"""Writing residents in the CONTRACT 住民記録 layout (CSV, UTF-8 or CP932), streaming.

Rows come from a server-side cursor in 宛名番号 order, already as the text of each cell (the
SQL below writes dates as YYYY-MM-DD and codes as digits), so Python only decrypts 個人番号 —
when the caller may include it — and writes CSV; memory stays flat at any size.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TextIO

from django.db import connections

from yakuba.platform import crypto
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.layout import COLUMNS, HEADERS
from yakuba.registry.services.moves import my_number_context
from yakuba.registry.services.protection import protected_atena_nos

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


_CELLS = ", ".join(_cell_sql(c) for c in COLUMNS)


def rows_for(atena_nos: Iterable[str] | None = None) -> Iterator[tuple]:
    """Current rows (live and archived 除票) as cell tuples, in one 宛名番号 order.

    The two tables are merged rather than concatenated, so the file does not depend on which
    除票 the 5-year archive job has moved yet (an export → import → export round trip gives the
    same bytes).
    """
    where, params = "", []
    if atena_nos is not None:
        where, params = " WHERE atena_no = ANY(%s)", [list(atena_nos)] * 2
    return _stream(
        f"SELECT {_CELLS} FROM registry_resident{where}"
        f" UNION ALL SELECT {_CELLS} FROM registry_resident_archive{where} ORDER BY 1",
        params,
    )


def rows_as_of(as_of: date) -> Iterator[tuple]:
    """Each person's row valid on ``as_of`` (the highest 履歴番号 whose 異動日 is on or before
    it), 除票 included, in 宛名番号 order — the registry as it stood that day."""
    return _stream(
        f"SELECT DISTINCT ON (atena_no) {_CELLS} FROM registry_resident_history"
        " WHERE move_date <= %s ORDER BY atena_no, history_no DESC",
        [as_of],
    )


def _stream(sql: str, params: list) -> Iterator[tuple]:
    connection = connections[require_tenant().alias]
    connection.ensure_connection()
    with connection.connection.cursor(name="yakuba_export") as cursor:
        cursor.itersize = CHUNK
        cursor.execute(sql, params)
        yield from cursor


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
            if row[ATENA] in hidden:
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


def write_csv(out: TextIO, rows: Iterable[tuple], *, include_my_number: bool) -> int:
    """Write the header and ``rows`` (cell tuples from ``rows_for``); returns rows written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    lg_code = require_tenant().lg_code
    count = 0
    for row in rows:
        cells = list(row)
        token = cells[MY_NUMBER]
        cells[MY_NUMBER] = (
            crypto.decrypt(token, context=my_number_context(lg_code, cells[ATENA]))
            if include_my_number and token
            else ""
        )
        writer.writerow(cells)
        count += 1
    return count
