"""Importing a 住民記録 file (docs/reference/contract.md#resident-csv): strict, all or nothing, idempotent, streaming.

A vendor change moves a whole registry (住民記録システム標準仕様書 §1: 中間標準レイアウト), so
the load has to be fast and must never leave half a registry behind. Three steps, all in the
caller's one tenant transaction:

1. **Stream into staging.** The file is read line by line in its encoding (a line that does not
   decode is reported, not guessed), parsed as CSV, checked against every rule a row can be
   checked against by itself (check digits, 続柄 grammar, 不詳 birth dates — the same functions
   as a counter 異動 — dates, codes, required items, 外国人 items, lengths: a few microseconds a
   row here, where the same checks as SQL over the staged rows cost more than the staging) and
   turned into the stored form, typed as the registry's columns (個人番号 encrypted and hashed at
   once, so the plain number never reaches the database; search keys; 町字 split):
   ``import_read`` and ``import_stage``. Rows go with COPY into a temporary table —
   PostgreSQL refuses COPY into tables under row-level security, and staging keeps the check
   apart from the registry anyway.
2. **Validate as sets, in SQL**, the rules across rows: duplicate 宛名番号/個人番号/住民票コード
   (in the file and against the registry), exactly one 世帯主 per 世帯, one address per 世帯,
   and conflicts with rows already registered; then, when the municipality has a 住所辞書, every
   row's 町字 and 番地 against it on the row's date, the rule every 異動 applies (one call of the
   address door over the whole staging table). Every broken rule goes into an error table with
   its line and column (``import_checks``). The operator migrating history the master does not
   hold may let such addresses through (``allow_unlisted_addresses``): they are counted in the
   summary and the audit row.
3. **Publish** with one ``INSERT … SELECT`` per table (current rows, history 1, 世帯: the
   registry's one writer, ``store``), one 異動
   record of kind データ移行, counters raised past the loaded numbers, one audit row, one event.

Any error: the report is produced from the error table, in line order, and the transaction is
rolled back — nothing is written, whatever the size. A killed process leaves nothing either,
for the same reason. Re-running the same file is harmless: a row identical to the registered
one (same 宛名番号 and items) is counted as unchanged, so only the rest is added.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connections
from django.utils import timezone
from psycopg import DataError, IntegrityError
from psycopg.types.json import Jsonb

from yakuba.address import services as address
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.audit.models import ActorType
from yakuba.platform.forked import can_fork, ordered_map
from yakuba.platform.ids import uuid7
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import numbering
from yakuba.registry.codes import IMPORT_KIND
from yakuba.registry.events import RESIDENTS_IMPORTED
from yakuba.registry.services import store
from yakuba.registry.services.bulk import analyze_registry
from yakuba.registry.services.import_checks import (
    STAGING_DDL,
    check_addresses,
    flush_issues,
    report_issues,
    unlisted_counts,
    validate,
)
from yakuba.registry.services.import_read import (
    ENCODINGS,
    ImportRejected,
    Issue,
    Lines,
    check_header,
    records,
)
from yakuba.registry.services.import_stage import STAGED, stage_chunk

__all__ = ["ImportRejected", "ImportSummary", "Issue", "import_residents"]

CHUNK_ROWS = 5_000
PARALLEL_FROM = 4 << 20  # bytes (about 10,000 rows): below this, forking costs more than it saves
TERMINAL = "yakuba import"
# Sorts and hashes over the staged rows (duplicates, 世帯) stay in memory up to this size.
WORK_MEM = "256MB"


@dataclass
class ImportSummary:
    rows: int  # data rows in the file
    inserted: int
    unchanged: int  # already registered with the same items (a re-run)
    households: int
    sha256: str
    seconds: float
    addresses_checked: bool = False  # the municipality has a 住所辞書, so every address was checked
    unlisted_persons: int = 0  # imported although the 住所辞書 lacks their address (override)
    unlisted_addresses: int = 0  # ... and how many distinct addresses those are


def import_residents(
    path: str,
    *,
    encoding: str = "utf-8",
    report: Callable[[Issue], None],
    check_only: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    parallel: bool | None = None,
    allow_unlisted_addresses: bool = False,
) -> ImportSummary:
    """Import ``path`` into the current tenant; see the module docstring.

    ``allow_unlisted_addresses``: import rows whose address the 住所辞書 lacks (history the
    master does not hold) instead of refusing them; only the operator's command may (the
    system actor: ``yakuba import residents --allow-unlisted-addresses``), as only a 管理者
    may record such an address in a 異動 (docs/address.md).

    ``parallel``: stage rows in forked worker processes (default: for files over
    ``PARALLEL_FROM`` bytes when ``fork`` is available). The result is the same either way.

    ``report`` receives every broken rule (line order) before ``ImportRejected`` is raised;
    ``check_only`` validates and then raises nothing but imports nothing either (the caller
    rolls back). ``progress(stage, done, total)`` follows the reading in bytes.
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"文字コードは {', '.join(ENCODINGS)} のいずれかです")
    if allow_unlisted_addresses and current_actor().type != ActorType.SYSTEM:
        raise PermissionError("住所辞書にない住所の取込みは運用管理者のコマンドだけができます")
    tenant = require_tenant()
    started = time.perf_counter()
    today = timezone.localdate()
    connection = connections[tenant.alias]
    connection.ensure_connection()
    raw = connection.connection
    size = os.path.getsize(path)
    digest = hashlib.sha256()
    read = 0

    def on_bytes(n: int) -> None:
        nonlocal read
        read += n
        if progress and read % (1 << 20) < n:
            progress("読み込み", read, size)

    issues: list[Issue] = []
    with open(path, "rb") as stream, raw.cursor() as cursor:
        numbering.lock_counters(cursor, tenant.lg_code)
        cursor.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
        for ddl in STAGING_DDL:
            cursor.execute(ddl)
        towns = address.town_area_names() or None  # None: no 住所辞書, nothing to check
        request = {"file": os.path.basename(path), "encoding": encoding}
        writer = _Writer(
            cursor,
            tenant.lg_code,
            today,
            request,
            early=not check_only and _registry_empty(cursor, tenant.lg_code),
        )
        lines = Lines(_hashing(stream, digest), ENCODINGS[encoding], on_bytes)
        found = records(lines, issues)
        header = next(found, None)
        problem = check_header(header[1] if header else None)
        rows = 0
        if problem:
            # Columns are unknown: only report what needs no column (encoding, quoting).
            issues.append(problem)
            for _record in found:
                if len(issues) >= CHUNK_ROWS:
                    flush_issues(cursor, issues)
        else:
            if parallel is None:
                parallel = size > PARALLEL_FROM and can_fork()
            workers = min(2, os.cpu_count() or 1) if parallel else 0
            rows = _stage_all(cursor, found, (tenant.lg_code, today, towns), issues, workers, writer)
        if progress:
            progress("読み込み", size, size)
        if not problem:
            if progress:
                progress("検証", 0, 1)
            validate(cursor, today, registered=not writer.early)
        flush_issues(cursor, issues)
        refused = 0
        if towns and not problem:
            refused = check_addresses(cursor, today, allow_unlisted=allow_unlisted_addresses)
        errors = report_issues(cursor, report)
        if errors:
            writer.undo()
            raise ImportRejected(errors, 0 if allow_unlisted_addresses else refused)
        summary = ImportSummary(rows, 0, 0, 0, digest.hexdigest(), 0.0, addresses_checked=bool(towns))
        if refused and allow_unlisted_addresses:
            summary.unlisted_persons, summary.unlisted_addresses = unlisted_counts(cursor)
        if not check_only:
            if progress:
                progress("登録", 0, 1)
            writer.publish(summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _hashing(stream, digest) -> Iterator[bytes]:
    for raw in stream:
        digest.update(raw)
        yield raw


def _batches(records: Iterator, size: int) -> Iterator[list]:
    while batch := list(itertools.islice(records, size)):
        yield batch


def _stage_all(cursor, records, context: tuple, issues: list[Issue], workers: int, writer) -> int:
    """Stage the records chunk by chunk (on ``workers`` processes, here when 0), COPY each
    chunk (and write it into the registry when ``writer.early``) and flush the findings so far;
    returns the number of records. ``context``: what every chunk is staged with (``stage_chunk``)."""
    names = "line, " + ", ".join(STAGED)
    table = "imp_chunk" if writer.early else "imp_row"
    rows = 0
    jobs = ((*context, batch) for batch in _batches(records, CHUNK_ROWS))
    for count, text, found in ordered_map(stage_chunk, jobs, workers=workers):
        rows += count
        if text:
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                copy.write(text.encode())
            if writer.early:
                writer.chunk(clean=not found)
        issues.extend(found)
        flush_issues(cursor, issues)
    if not writer.early:  # joins with the registry follow: temporary tables get no autovacuum
        cursor.execute("ANALYZE imp_row")
    return rows


# --- Step 3: publishing ---------------------------------------------------------------------------


def _new(table: str) -> str:
    """Every new row of ``table`` as the store writes it: history 1 of a データ移行 異動, valid
    from the latest date the file gives (or today), and the current row at version 1."""
    return f"""(SELECT s.*, %(lg)s AS lg_code, %(move)s AS move_id, '{IMPORT_KIND}' AS move_kind,
    coalesce(greatest(s.became_resident_on, s.address_set_on, s.removed_on), %(today)s) AS move_date,
    %(now)s AS processed_at, 1 AS history_no, 1 AS version
    FROM {table} s WHERE s.state = 'new') AS v"""


PERSON_SQL = {
    table: (store.insert_history(_new(table)), store.insert_current(_new(table)))
    for table in ("imp_row", "imp_chunk")
}
# One 世帯 per new 世帯番号: the address of its 世帯主 (or, for a 世帯 with nobody left, of its
# last row); active while somebody lives in it.
_NEW_HOUSEHOLDS = """(SELECT DISTINCT ON (s.setai_no) %(lg)s AS lg_code, s.setai_no,
    CASE WHEN s.status <> 3 AND s.relationship = '世帯主' THEN s.atena_no ELSE '' END AS head_atena_no,
    s.postal_code, s.address, s.town_area, s.block, s.address_extra,
    bool_or(s.status <> 3) OVER (PARTITION BY s.setai_no) AS active, 1 AS version
    FROM imp_row s WHERE s.state = 'new'
    ORDER BY s.setai_no, (s.status <> 3 AND s.relationship = '世帯主') DESC, s.status <> 3 DESC, s.line DESC) AS v"""
HOUSEHOLD_SQL = (
    store.insert_households(_NEW_HOUSEHOLDS) + " ON CONFLICT (lg_code, setai_no) DO NOTHING",
    # Codes from the 住基ネット pool that the file already uses are no longer free.
    """UPDATE registry_juminhyo_code j SET assigned_atena_no = s.atena_no, assigned_at = %(now)s
    FROM imp_row s WHERE s.state = 'new' AND s.juminhyo_code <> '' AND j.code = s.juminhyo_code
    AND j.assigned_atena_no = ''""",
)


class _Writer:
    """Writes the file's persons into the registry through the store's statements.

    Into a municipality that has no rows yet (a vendor change: 住民記録システム標準仕様書 §1),
    every row is new, so each chunk is written as soon as it is staged (``early``), while the
    worker processes stage the next ones: the database's index work and Python's checks then
    use both cores instead of taking turns. A chunk whose rows collide (a 宛名番号, 個人番号 or
    住民票コード twice in the file) is undone to its savepoint and the writing stops: the checks
    report the duplicate and the whole transaction is rolled back. Otherwise every row is
    written after the checks, in one ``INSERT … SELECT`` per table.
    """

    def __init__(self, cursor, lg_code: str, today: date, request: dict, *, early: bool):
        self.cursor = cursor
        self.early = early
        self.complete = True  # every staged chunk was written (early)
        self.inserted = 0
        self.request = request
        self.move_uuid = None
        self.params = {"lg": lg_code, "now": timezone.now(), "today": today, "move": None}

    def move(self) -> None:
        """The データ移行 異動 the rows belong to (its request gets the file's digest at the end)."""
        if self.params["move"] is not None:
            return
        if self.early:  # undone whole if the file is refused, whatever the caller does then
            self.cursor.execute("SAVEPOINT yakuba_import")
        self.cursor.execute(
            "INSERT INTO registry_move (lg_code, move_id, kind, move_date, notified_date, processed_at, actor,"
            " terminal, request, ex_officio) VALUES (%s, %s, %s, %s, NULL, %s, %s, %s, %s, false)"
            " RETURNING id, move_id",
            [
                self.params["lg"],
                uuid7(),
                IMPORT_KIND,
                self.params["today"],
                self.params["now"],
                current_actor().name,
                TERMINAL,
                Jsonb(self.request),
            ],
        )
        self.params["move"], self.move_uuid = self.cursor.fetchone()

    def chunk(self, *, clean: bool) -> None:
        """Write the chunk in ``imp_chunk`` (early; not once a row broke a rule: ``clean``), then
        move it to ``imp_row``."""
        cursor = self.cursor
        self.complete = self.complete and clean
        if self.complete:
            self.move()
            cursor.execute("SAVEPOINT yakuba_import_chunk")
            try:
                history, current = PERSON_SQL["imp_chunk"]
                cursor.execute(history, self.params)
                cursor.execute(current, self.params)
                self.inserted += cursor.rowcount
            except (IntegrityError, DataError):
                cursor.execute("ROLLBACK TO SAVEPOINT yakuba_import_chunk")
                self.complete = False
            cursor.execute("RELEASE SAVEPOINT yakuba_import_chunk")
        cursor.execute("INSERT INTO imp_row SELECT * FROM imp_chunk")
        cursor.execute("TRUNCATE imp_chunk")

    def undo(self) -> None:
        """Take back what was written early: the file was refused."""
        if self.early and self.params["move"] is not None:
            self.cursor.execute("ROLLBACK TO SAVEPOINT yakuba_import")

    def publish(self, summary: ImportSummary) -> None:
        """Whatever is left to write once the checks passed; fills in ``summary``."""
        cursor = self.cursor
        if self.early:
            if not self.complete:
                raise RuntimeError("import: rows collided without a reported error")
            summary.inserted, summary.unchanged = self.inserted, 0
        else:
            cursor.execute(
                "SELECT count(*) FILTER (WHERE state = 'new'), count(*) FILTER (WHERE state = 'same') FROM imp_row"
            )
            summary.inserted, summary.unchanged = cursor.fetchone()
        if not summary.inserted:
            record(
                Action.CREATE,
                "resident",
                detail={"imported": 0, "unchanged": summary.unchanged, "sha256": summary.sha256},
            )
            return
        self.request.update(sha256=summary.sha256, rows=summary.rows)
        # The operator let addresses the 住所辞書 lacks through: the 異動 and the audit row say
        # how many (a 異動 that does so names its one address: docs/address.md).
        unlisted = (
            {"unlisted_addresses": summary.unlisted_addresses, "unlisted_persons": summary.unlisted_persons}
            if summary.unlisted_persons
            else {}
        )
        self.request.update(unlisted)
        if self.early:
            cursor.execute(
                "UPDATE registry_move SET request = %s WHERE id = %s",
                [Jsonb(self.request), self.params["move"]],
            )
        else:
            self.move()
            for sql in PERSON_SQL["imp_row"]:
                cursor.execute(sql, self.params)
        for sql in HOUSEHOLD_SQL:
            cursor.execute(sql, self.params)
        cursor.execute(
            "SELECT count(DISTINCT setai_no), max(left(atena_no, -1)::bigint), max(left(setai_no, -1)::bigint)"
            " FROM imp_row WHERE state = 'new'"
        )
        summary.households, atena_last, setai_last = cursor.fetchone()
        numbering.raise_counters(cursor, self.params["lg"], atena_last or 0, setai_last or 0)
        detail = {
            "imported": summary.inserted,
            "unchanged": summary.unchanged,
            "households": summary.households,
            "file": self.request["file"],
            "sha256": summary.sha256,
            "move_id": str(self.move_uuid),
        }
        record(Action.CREATE, "resident", detail={**detail, **unlisted})
        emit(RESIDENTS_IMPORTED.type, subject=str(self.move_uuid), data=detail)
        analyze_registry(cursor)


def _registry_empty(cursor, lg_code: str) -> bool:
    """True when the municipality has no 住民票 and no 除票 yet (the code lets the index answer)."""
    cursor.execute(
        "SELECT NOT EXISTS (SELECT FROM registry_resident WHERE lg_code = %(lg)s)"
        " AND NOT EXISTS (SELECT FROM registry_resident_archive WHERE lg_code = %(lg)s)",
        {"lg": lg_code},
    )
    return cursor.fetchone()[0]
