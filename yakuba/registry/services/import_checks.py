"""Import step 2: the staging tables, the rules across rows checked as sets in SQL, and the report.

Duplicate 宛名番号/個人番号/住民票コード (in the file and against the registry), exactly one 世帯主
per 世帯, one address per 世帯 (住民記録システム標準仕様書 §1.1.11, §2.2), and conflicts with rows
already registered: every broken rule goes into an error table with its line and column, and the
report reads it back in line order (docs/reference/contract.md#resident-csv). Then every
address against the 住所辞書, as the 異動 checks one (docs/address.md): one call of the
address door over the whole staging table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from yakuba.address import services as address
from yakuba.registry.layout import COLUMNS
from yakuba.registry.services.import_read import POSITION, Issue
from yakuba.registry.services.import_stage import STAGED, staged_type

STAGING_DDL = (
    # A second import in the same transaction (ON COMMIT DROP has not run yet) starts afresh.
    "DROP TABLE IF EXISTS pg_temp.imp_row, pg_temp.imp_chunk, pg_temp.imp_error, pg_temp.imp_member,"
    " pg_temp.imp_unlisted",
    "CREATE TEMP TABLE imp_row (line integer NOT NULL, "
    + ", ".join(f"{name} {staged_type(name)}" for name in STAGED)
    + ", state text NOT NULL DEFAULT 'new') ON COMMIT DROP",
    # One chunk on its way into imp_row, when it is published while the next ones are staged.
    "CREATE TEMP TABLE imp_chunk (LIKE imp_row INCLUDING DEFAULTS) ON COMMIT DROP",
    "CREATE TEMP TABLE imp_error (line integer, position integer, message text) ON COMMIT DROP",
    # Addresses the 住所辞書 lacks, imported anyway by the operator's override.
    "CREATE TEMP TABLE imp_unlisted (LIKE imp_error) ON COMMIT DROP",
)


def _col(attr: str) -> int:
    return POSITION[attr] + 1


# The items a row of the file carries, compared with a registered row (the ciphertext of
# 個人番号 differs at every encryption: its keyed hash is compared).
_COMPARED = list(
    dict.fromkeys([c.attr for c in COLUMNS if c.kind != "my_number"] + ["birth_date_text", "my_number_hash"])
)
_EXISTING = (
    f"SELECT {', '.join(_COMPARED)} FROM registry_resident"
    f" UNION ALL SELECT {', '.join(_COMPARED)} FROM registry_resident_archive"
)
_SAME_AS_REGISTERED = f"({', '.join(f'r.{c}' for c in _COMPARED)}) IS NOT DISTINCT FROM ({', '.join(f's.{c}' for c in _COMPARED)})"


def _repeated(column: str, condition: str = "") -> str:
    """The values of ``column`` found twice or more: one hash aggregate, so that only the rare
    duplicates are sorted to name their first line."""
    return f"SELECT {column} FROM imp_row WHERE true {condition} GROUP BY {column} HAVING count(*) > 1"


def _registered_sql() -> list[str]:
    """Rows already registered: identical ones are a re-run, different ones a conflict."""
    return [
        f"""UPDATE imp_row s SET state = CASE WHEN {_SAME_AS_REGISTERED} THEN 'same' ELSE 'differs' END
        FROM ({_EXISTING}) r WHERE r.atena_no = s.atena_no""",
        f"""INSERT INTO imp_error SELECT line, {_col("atena_no")},
        format('宛名番号 %%s は登録済みで、記載内容が異なります（変更は異動として入力してください）', atena_no)
        FROM imp_row WHERE state = 'differs'""",
        f"""INSERT INTO imp_error SELECT s.line, {_col("my_number")}, format('個人番号が登録済みの住民（宛名番号 %%s）と重複しています', r.atena_no)
        FROM imp_row s JOIN registry_resident r ON r.my_number_hash = s.my_number_hash AND r.status <> 3
        WHERE s.state = 'new' AND s.my_number_hash <> '' AND s.status <> 3 AND r.atena_no <> s.atena_no""",
        f"""INSERT INTO imp_error SELECT s.line, {_col("juminhyo_code")}, format('住民票コード %%s は登録済みの住民（宛名番号 %%s）のものです', s.juminhyo_code, r.atena_no)
        FROM imp_row s JOIN registry_resident r ON r.juminhyo_code = s.juminhyo_code
        WHERE s.state = 'new' AND s.juminhyo_code <> '' AND r.atena_no <> s.atena_no""",
    ]


def _member_sql(registered: bool) -> str:
    """世帯: the members living in it (file rows, and registered ones the file does not name)."""
    sql = """CREATE TEMP TABLE imp_member ON COMMIT DROP AS
        SELECT setai_no, atena_no, relationship, line, postal_code, address, address_extra
        FROM imp_row WHERE status IN (1, 2)"""
    if registered:
        sql += """ UNION ALL
        SELECT r.setai_no, r.atena_no, r.relationship, NULL, r.postal_code, r.address, r.address_extra
        FROM registry_resident r WHERE r.status IN (1, 2)
        AND r.setai_no IN (SELECT setai_no FROM imp_row)
        AND NOT EXISTS (SELECT 1 FROM imp_row s WHERE s.atena_no = r.atena_no)"""
    return sql


def _cross_sql(registered: bool) -> list[str]:
    """The statements, for a registry with rows already (``registered``) or an empty one."""
    return [
        # Duplicates inside the file: every occurrence after the first is reported.
        f"""INSERT INTO imp_error SELECT line, {_col("atena_no")}, format('宛名番号 %%s が %%s行目と重複しています', atena_no, first)
        FROM (SELECT line, atena_no, min(line) OVER (PARTITION BY atena_no) AS first FROM imp_row
              WHERE atena_no IN ({_repeated("atena_no")})) d WHERE line <> first""",
        f"""INSERT INTO imp_error SELECT line, {_col("my_number")}, format('個人番号が %%s行目の住民と重複しています', first)
        FROM (SELECT line, min(line) OVER (PARTITION BY my_number_hash) AS first FROM imp_row
              WHERE my_number_hash <> '' AND status <> 3
              AND my_number_hash IN ({_repeated("my_number_hash", "AND my_number_hash <> '' AND status <> 3")})) d WHERE line <> first""",
        f"""INSERT INTO imp_error SELECT line, {_col("juminhyo_code")}, format('住民票コード %%s が %%s行目と重複しています', juminhyo_code, first)
        FROM (SELECT line, juminhyo_code, min(line) OVER (PARTITION BY juminhyo_code) AS first FROM imp_row
              WHERE juminhyo_code <> '' AND juminhyo_code IN ({_repeated("juminhyo_code", "AND juminhyo_code <> ''")})) d WHERE line <> first""",
        *(_registered_sql() if registered else []),
        _member_sql(registered),
        f"""INSERT INTO imp_error SELECT m.line, {_col("relationship")},
        format('世帯番号 %%s に世帯主が%%s人います（%%s行目）', m.setai_no, h.heads, h.lines)
        FROM imp_member m JOIN (
            SELECT setai_no, count(*) AS heads, string_agg(coalesce(line::text, '登録済み'), '・' ORDER BY line) AS lines
            FROM imp_member WHERE relationship = '世帯主' GROUP BY setai_no HAVING count(*) > 1
        ) h USING (setai_no) WHERE m.relationship = '世帯主' AND m.line IS NOT NULL""",
        f"""INSERT INTO imp_error SELECT min(line), {_col("relationship")}, format('世帯番号 %%s に世帯主がいません', setai_no)
        FROM imp_member GROUP BY setai_no
        HAVING count(*) FILTER (WHERE relationship = '世帯主') = 0 AND min(line) IS NOT NULL""",
        f"""INSERT INTO imp_error SELECT m.line, {_col("address")},
        format('同じ世帯の世帯主（%%s）と住所・方書・郵便番号が異なります', coalesce(h.line::text || '行目', '宛名番号 ' || h.atena_no))
        FROM imp_member m JOIN (
            SELECT DISTINCT ON (setai_no) * FROM imp_member WHERE relationship = '世帯主' ORDER BY setai_no, line
        ) h USING (setai_no)
        WHERE m.line IS NOT NULL AND m.relationship <> '世帯主'
        AND (m.address, m.address_extra, m.postal_code) IS DISTINCT FROM (h.address, h.address_extra, h.postal_code)""",
    ]


CROSS_SQL = {registered: _cross_sql(registered) for registered in (True, False)}


def validate(cursor, today: date, *, registered: bool) -> None:
    """Run the checks; ``registered``: the municipality had rows before this import (else the
    checks against registered rows have nothing to find and are skipped)."""
    for sql in CROSS_SQL[registered]:
        cursor.execute(sql, {"today": today})  # a dict: the statements' %% are placeholders' escapes


# The rows whose address is checked, as the address door reads them: a 住民 (or 転出予定) on
# the day of the import — 住居表示 may have renamed its 町字 since 住所を定めた年月日, which it
# leaves alone — and a 除票 on its 消除年月日, the last day it lived there.
_ADDRESS_ROWS = """(SELECT line AS key, town_area, block_number, postal_code,
    CASE WHEN status = 3 THEN coalesce(removed_on, %(today)s) ELSE %(today)s END AS on_date
    FROM imp_row WHERE state = 'new')"""
_ADDRESS_COLUMN = {"town_area": _col("address"), "block": _col("address"), "postal_code": _col("postal_code")}


def check_addresses(cursor, today: date, *, allow_unlisted: bool) -> int:
    """Check every new row's address against the 住所辞書 on its date (``_ADDRESS_ROWS``);
    returns how many rows it refused. A refusal is an error of the row, or, when the operator
    allows addresses the master lacks (migrating history it does not hold), a note in
    ``imp_unlisted`` that the summary counts."""
    table = "imp_unlisted" if allow_unlisted else "imp_error"
    found: list[Issue] = []
    refused = 0
    for row in address.refused_addresses(_ADDRESS_ROWS, {"today": today}):
        refused += 1
        found.extend(Issue(row.key, _ADDRESS_COLUMN[name], message) for name, message in row.problems)
        if len(found) >= 5000:
            flush_issues(cursor, found, table)
    flush_issues(cursor, found, table)
    return refused


def unlisted_counts(cursor) -> tuple[int, int]:
    """(persons, distinct addresses) imported although the 住所辞書 lacks their address."""
    cursor.execute(
        "SELECT count(*), count(DISTINCT s.address) FROM imp_row s"
        " WHERE s.line IN (SELECT line FROM imp_unlisted)"
    )
    return cursor.fetchone()


def flush_issues(cursor, issues: list[Issue], table: str = "imp_error") -> None:
    """Move the findings so far into the error table (memory stays flat for any number)."""
    if not issues:
        return
    with cursor.copy(f"COPY {table} (line, position, message) FROM STDIN") as copy:
        for issue in issues:
            copy.write_row((issue.line, issue.column, issue.message))
    issues.clear()


def report_issues(cursor, report: Callable[[Issue], None]) -> int:
    """Hand every finding to ``report`` in line order; returns how many there were."""
    count = 0
    with cursor.connection.cursor(name="yakuba_import_errors") as errors:
        errors.itersize = 5000
        errors.execute(
            "SELECT DISTINCT line, position, message FROM imp_error ORDER BY line, position, message"
        )
        for line, position, message in errors:
            report(Issue(line, position, message))
            count += 1
    return count
