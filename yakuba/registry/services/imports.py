"""Importing a 住民記録 file (docs/reference/contract.md#resident-csv): strict, all or nothing, idempotent, streaming.

A vendor change moves a whole registry (住民記録システム標準仕様書 §1: 中間標準レイアウト), so
the load has to be fast and must never leave half a registry behind. Three steps, all in the
caller's one tenant transaction:

1. **Stream into staging.** The file is read line by line in its encoding (a line that does not
   decode is reported, not guessed), parsed as CSV, checked against every rule a row can be
   checked against by itself (check digits, 続柄 grammar, 不詳 birth dates — the same functions
   as a counter 異動 — dates, codes, required items, 外国人 items, lengths: a few microseconds a
   row here, where the same checks as SQL over the staged rows cost more than the staging) and
   turned into the stored form (個人番号 encrypted and hashed at once, so the plain number never
   reaches the database; search keys; 町字 split). Rows go with COPY into a temporary table —
   PostgreSQL refuses COPY into tables under row-level security, and staging keeps the check
   apart from the registry anyway.
2. **Validate as sets, in SQL**, the rules across rows: duplicate 宛名番号/個人番号/住民票コード
   (in the file and against the registry), exactly one 世帯主 per 世帯, one address per 世帯,
   and conflicts with rows already registered. Every broken rule goes into an error table with its line and column.
3. **Publish** with one ``INSERT … SELECT`` per table (current rows, history 1, 世帯), one 異動
   record of kind データ移行, counters raised past the loaded numbers, one audit row, one event.

Any error: the report is produced from the error table, in line order, and the transaction is
rolled back — nothing is written, whatever the size. A killed process leaves nothing either,
for the same reason. Re-running the same file is harmless: a row identical to the registered
one (same 宛名番号 and items) is counted as unchanged, so only the rest is added.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import itertools
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connections
from django.utils import timezone
from psycopg.types.json import Jsonb

from yakuba.platform import crypto
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.forked import can_fork, ordered_map
from yakuba.platform.ids import uuid7
from yakuba.platform.japanese.checkdigits import is_valid_juminhyo_code, is_valid_m11, is_valid_my_number
from yakuba.platform.japanese.kana import KATAKANA_NAME_PATTERN, kana_search_key, name_search_key
from yakuba.platform.japanese.wareki import PartialDate, WarekiError, parse_partial_date
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import numbering
from yakuba.registry.addresses import split_address
from yakuba.registry.codes import IMPORT_KIND, RemovalReason
from yakuba.registry.events import RESIDENTS_IMPORTED
from yakuba.registry.layout import COLUMNS, HEADERS
from yakuba.registry.models import PersonRecord
from yakuba.registry.rules import RelationshipError, validate_relationship
from yakuba.registry.services.bulk import COPY_ESCAPE, analyze_registry
from yakuba.registry.services.records import my_number_context, my_number_lookup

CHUNK_ROWS = 5_000
PARALLEL_FROM = 4 << 20  # bytes (about 10,000 rows): below this, forking costs more than it saves
ENCODINGS = {"utf-8": "utf-8", "cp932": "cp932"}
WIDTH = len(COLUMNS)
POSITION = {c.attr: i for i, c in enumerate(COLUMNS)}  # attr -> 0-based column
TERMINAL = "yakuba import"


class ImportRejected(Exception):
    """The file broke rules; every one was reported and nothing was imported."""

    def __init__(self, count: int):
        super().__init__(f"{count:,} 件の誤りがあるため、取り込みませんでした")
        self.count = count


@dataclass(frozen=True)
class Issue:
    """One broken rule: the file line (1 = header), the column (1-based, 0 = the whole row)."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"{self.line}行目 {self.column}列目（{HEADERS[self.column - 1]}）: {self.message}"
        return f"{self.line}行目: {self.message}"


@dataclass
class ImportSummary:
    rows: int  # data rows in the file
    inserted: int
    unchanged: int  # already registered with the same items (a re-run)
    households: int
    sha256: str
    seconds: float


# --- Step 1: reading ------------------------------------------------------------------------------


class _Lines:
    """Physical lines of the file decoded one by one; remembers which ones did not decode.

    Neither UTF-8 nor CP932 has a line-feed byte inside a multi-byte character, so splitting
    the bytes at b"\\n" first is safe, and a bad byte is pinned to its line.
    """

    def __init__(self, stream, encoding: str, on_bytes: Callable[[int], None]):
        self._stream = stream
        self.encoding = encoding
        self._on_bytes = on_bytes
        self.number = 0
        self.undecodable: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        encoding = self.encoding
        for raw in self._stream:
            self.number += 1
            self._on_bytes(len(raw))
            if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # a UTF-8 BOM (allowed: contract.md#resident-csv)
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError:
                self.undecodable.add(self.number)
                yield raw.decode(encoding, "replace")


def _records(lines: _Lines, issues: list[Issue]) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, fields) for every CSV record; broken quoting is reported."""
    reader = csv.reader(lines, strict=True)
    previous = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            issues.append(Issue(previous + 1, 0, f"CSV の形式が正しくありません（{_csv_reason(exc)}）"))
            previous = reader.line_num
            continue
        start, previous = previous + 1, reader.line_num
        bad = [n for n in range(start, previous + 1) if n in lines.undecodable]
        if bad:
            issues.append(
                Issue(
                    start,
                    0,
                    f"{lines.encoding} として読めない文字があります（{bad[0]}行目）{_HINT[lines.encoding]}",
                )
            )
        yield start, fields


_HINT = {
    "utf-8": "。CP932（シフトJIS）のファイルなら --encoding cp932 を指定してください",
    "cp932": "。UTF-8 のファイルなら --encoding utf-8 を指定してください",
}


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "expected after" in text:
        return '引用符（"）の後に区切りがありません'
    if "unexpected end of data" in text:
        return '引用符（"）が閉じられていません'
    if "field larger than field limit" in text:
        return "項目が長すぎます（引用符が閉じられていない可能性があります）"
    return text


def _check_header(fields: list[str] | None) -> Issue | None:
    if fields is None:
        return Issue(1, 0, "見出し行がありません（空のファイルです）")
    if len(fields) < WIDTH:
        return Issue(1, 0, f"見出しの列が足りません（{len(fields)}列。{WIDTH}列必要です）")
    for i, (got, want) in enumerate(zip(fields, HEADERS, strict=False)):
        if got.strip() != want:
            return Issue(1, i + 1, f"見出しが住民記録レイアウトと異なります（「{want}」のはずが「{got}」）")
    return None


# --- Step 1: one row to its staged form -----------------------------------------------------------

STAGED = tuple(c.attr for c in COLUMNS if c.kind != "my_number") + (
    "birth_date_text",
    "birth_sort_date",
    "my_number_encrypted",
    "my_number_hash",
    "name_key",
    "kana_key",
    "alias_kana_key",
    "town_area",
    "block",
)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_REMOVAL_CODES = {r.label: r.value for r in RemovalReason} | {r.value: r.value for r in RemovalReason}
_I = POSITION


_DATE_POSITIONS = tuple(i for i, c in enumerate(COLUMNS) if c.kind == "date")
_BAD_DATE = "日付は YYYY-MM-DD の実在する日付で入力してください（{}）"


def _is_iso_date(value: str) -> bool:
    """YYYY-MM-DD of a day that exists (checked here, per row: far cheaper than in SQL)."""
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _relationship(value: str, foreign: bool) -> str | None:
    """The 続柄 rule's message, or None (cached: a file has few distinct 続柄)."""
    try:
        validate_relationship(value, foreign=foreign, documented=True)
    except RelationshipError as exc:
        return str(exc)
    return None


@functools.lru_cache(maxsize=65536)
def _birth(value: str) -> tuple[str, str] | str:
    """(不詳 text, sort date) of a non-ISO 生年月日, or a message.

    The file layout writes dates as YYYY-MM-DD; other text is accepted only for what a date
    cannot express — the 不詳 forms of 住民記録システム標準仕様書 §1.1.8 — never for an ordinary
    date written another way (that is a fault of the file, not a 不詳).
    """
    try:
        parsed = parse_partial_date(value)
    except (WarekiError, ValueError) as exc:
        return str(exc)
    if isinstance(parsed, PartialDate):
        return parsed.format(), parsed.sort_key().isoformat()
    return f"YYYY-MM-DD で入力してください（{parsed.isoformat()} のこと？）"


@functools.lru_cache(maxsize=65536)
def _m11(value: str) -> bool:
    """M11 of a 世帯番号 (cached: members of a 世帯 follow each other)."""
    return is_valid_m11(value)


_TEXT_LIMITS = tuple(
    (i, PersonRecord._meta.get_field(c.attr).max_length) for i, c in enumerate(COLUMNS) if c.kind == "text"
)
_KANA_NAME = re.compile(KATAKANA_NAME_PATTERN)
_POSTAL_CODE = re.compile(r"(?:[0-9]{7})?")
_REMOVAL_REASONS = frozenset(RemovalReason.values)
_KANA_POSITIONS = tuple(_I[a] for a in ("former_surname_kana", "alias_kana"))


def _field_issues(f: list[str], today: str) -> Iterator[tuple[int, str]]:
    """(0-based column, message) for every rule one row can be checked against by itself.

    The same rules as a counter 異動 (住民記録システム標準仕様書 §2.2 items, 外国人住民の記載事項
    per 住基法 第30条の45). Checked while reading, a few microseconds a row, where the same
    checks as one SQL statement over the staged rows cost more than the rest of staging.
    """
    kind, status = f[_I["resident_type"]], f[_I["status"]]
    if kind not in ("1", "2"):
        yield _I["resident_type"], "住民種別は 1（日本人）または 2（外国人）です"
    if status not in ("1", "2", "3"):
        yield _I["status"], "住民状態は 1（住民）、2（転出予定）、3（消除）です"
    if not f[_I["name"]].strip(" "):
        yield _I["name"], "氏名を入力してください"
    kana = f[_I["name_kana"]]
    if not kana:
        yield _I["name_kana"], "フリガナを入力してください"
    elif not _KANA_NAME.fullmatch(kana):
        yield _I["name_kana"], f"フリガナは全角カタカナで入力してください（{kana}）"
    for index in _KANA_POSITIONS:
        value = f[index]
        if value and not _KANA_NAME.fullmatch(value):
            yield index, f"フリガナは全角カタカナで入力してください（{value}）"
    birth = f[_I["birth_date"]]
    if not birth:
        yield _I["birth_date"], "生年月日を入力してください"
    elif birth > today and _ISO.fullmatch(birth) and _is_iso_date(birth):  # other forms: see _birth
        yield _I["birth_date"], "生年月日が未来の日付です"
    if f[_I["sex"]] not in ("1", "2"):
        yield _I["sex"], "性別は 1（男）または 2（女）です"
    if not _POSTAL_CODE.fullmatch(f[_I["postal_code"]]):
        yield _I["postal_code"], "郵便番号は7桁の数字です"
    if not f[_I["address"]].strip(" "):
        yield _I["address"], "住所を入力してください"
    foreign, japanese = kind == "2", kind == "1"
    if foreign and not f[_I["nationality"]]:
        yield _I["nationality"], "外国人住民は国籍・地域を入力してください"
    elif japanese and f[_I["nationality"]]:
        yield _I["nationality"], "日本人住民には国籍・地域を記載しません"
    if foreign and not f[_I["residence_status"]]:
        yield _I["residence_status"], "外国人住民は在留資格（法30条の45の区分）を入力してください"
    elif japanese and f[_I["residence_status"]]:
        yield _I["residence_status"], "日本人住民には在留資格を記載しません"
    if japanese and f[_I["alias"]]:
        yield _I["alias"], "日本人住民には通称を記載しません"
    if status == "2" and not f[_I["planned_move_out_on"]]:
        yield _I["planned_move_out_on"], "転出予定の住民は転出予定日を入力してください"
    reason = f[_I["removal_reason"]]
    if status == "3" and not reason:
        yield _I["removal_reason"], "消除された住民は消除事由を入力してください"
    elif status == "1" and reason:
        yield _I["removal_reason"], "住民には消除事由を記載しません"
    elif reason and reason not in _REMOVAL_REASONS:
        yield _I["removal_reason"], f"消除事由が正しくありません（{reason}）"
    removed = f[_I["removed_on"]]
    if status == "3" and not removed:
        yield _I["removed_on"], "消除された住民は消除年月日を入力してください"
    elif status == "1" and removed:
        yield _I["removed_on"], "住民には消除年月日を記載しません"
    for index, limit in _TEXT_LIMITS:
        if len(f[index]) > limit:
            yield index, f"{limit}文字を超えています"


# Names repeat across a town (and a 世帯 shares its surname): three Unicode normalizations a
# row are worth caching.
_kana_key = functools.lru_cache(maxsize=65536)(kana_search_key)


class _Stager:
    """Turns file rows into COPY lines of the staging table; reports the rules Python owns."""

    def __init__(self, lg_code: str, issues: list[Issue], today: date):
        self.lg_code = lg_code
        self.issues = issues
        self.today = today.isoformat()

    def stage(self, line: int, fields: list[str]) -> str | None:
        if len(fields) < WIDTH:
            self.issues.append(Issue(line, 0, f"列が足りません（{len(fields)}列。{WIDTH}列必要です）"))
            return None
        f = fields[:WIDTH]
        add = self.issues.append
        atena, setai = f[_I["atena_no"]], f[_I["setai_no"]]
        if not is_valid_m11(atena):
            add(Issue(line, 1, f"宛名番号の桁数または検査数字（M11）が正しくありません（{atena}）"))
        if not _m11(setai):
            add(Issue(line, 2, f"世帯番号の桁数または検査数字（M11）が正しくありません（{setai}）"))
        rel = f[_I["relationship"]]
        problem = _relationship(rel, f[_I["resident_type"]] == "2")
        if problem:
            add(Issue(line, _I["relationship"] + 1, problem))
        birth = f[_I["birth_date"]]
        birth_text = birth_sort = ""
        if _ISO.fullmatch(birth) and not _is_iso_date(birth):
            add(Issue(line, _I["birth_date"] + 1, _BAD_DATE.format(birth)))
        elif birth and not _ISO.fullmatch(birth):
            parsed = _birth(birth)
            if isinstance(parsed, str):
                add(Issue(line, _I["birth_date"] + 1, f"生年月日が正しくありません（{birth}）: {parsed}"))
            else:
                birth_text, birth_sort = parsed
        number = f[_I["my_number"]]
        encrypted = lookup = ""
        if number:
            if not is_valid_my_number(number):
                add(Issue(line, _I["my_number"] + 1, "個人番号の桁数または検査数字が正しくありません"))
            else:
                encrypted = crypto.encrypt(number, context=my_number_context(self.lg_code, atena))
                lookup = my_number_lookup(self.lg_code, number)
        code = f[_I["juminhyo_code"]]
        if code and not is_valid_juminhyo_code(code):
            add(
                Issue(
                    line,
                    _I["juminhyo_code"] + 1,
                    f"住民票コードの桁数または検査数字が正しくありません（{code}）",
                )
            )
        for index in _DATE_POSITIONS:
            value = f[index]
            if value and not _is_iso_date(value):
                add(Issue(line, index + 1, _BAD_DATE.format(value)))
        reason = f[_I["removal_reason"]]
        f[_I["removal_reason"]] = _REMOVAL_CODES.get(reason, reason)
        for index, message in _field_issues(f, self.today):
            add(Issue(line, index + 1, message))
        town_area, block = split_address(self.lg_code, f[_I["address"]])
        alias_kana = f[_I["alias_kana"]]
        del f[_I["my_number"]]
        f += (
            birth_text,
            birth_sort,
            encrypted,
            lookup,
            name_search_key(f[_I["name"]]),
            _kana_key(f[_I["name_kana"]]),
            _kana_key(alias_kana) if alias_kana else "",
            town_area,
            block,
        )
        text = "\t".join(f)
        if "\\" in text or "\n" in text or "\r" in text or text.count("\t") != len(f) - 1:
            text = "\t".join(v.translate(COPY_ESCAPE) for v in f)
        return f"{line}\t{text}\n"


# --- Step 2: SQL --------------------------------------------------------------------------------

STAGING_DDL = (
    # A second import in the same transaction (ON COMMIT DROP has not run yet) starts afresh.
    "DROP TABLE IF EXISTS pg_temp.imp_row, pg_temp.imp_error, pg_temp.imp_member",
    "CREATE TEMP TABLE imp_row (line integer PRIMARY KEY, "
    + ", ".join(f"{name} text" for name in STAGED)
    + ", state text NOT NULL DEFAULT 'new') ON COMMIT DROP",
    "CREATE TEMP TABLE imp_error (line integer, position integer, message text) ON COMMIT DROP",
)


def _col(attr: str) -> int:
    return POSITION[attr] + 1


# Rows in the file against each other and against the registry.
_COMPARED = ", ".join(
    dict.fromkeys([c.attr for c in COLUMNS if c.kind != "my_number"] + ["birth_date_text", "my_number_hash"])
)
_EXISTING = (
    f"SELECT {_COMPARED} FROM registry_resident UNION ALL SELECT {_COMPARED} FROM registry_resident_archive"
)


def _same_as_registered() -> str:
    """SQL true when staged row ``s`` has the same items as registered row ``r``."""
    parts = []
    for column in COLUMNS:
        a = column.attr
        if column.kind == "text":
            parts.append(f"r.{a} = s.{a}")
        elif column.kind == "int":
            parts.append(f"r.{a}::text = s.{a}")
        elif column.kind == "date":
            parts.append(f"coalesce(r.{a}::text, '') = s.{a}")
        elif column.kind == "birth":
            parts.append(
                "coalesce(r.birth_date::text, '') = CASE WHEN s.birth_date_text = '' THEN s.birth_date ELSE '' END"
            )
            parts.append("r.birth_date_text = s.birth_date_text")
        elif column.kind == "my_number":
            parts.append("r.my_number_hash = s.my_number_hash")
    return " AND ".join(parts)


def _cross_sql() -> list[str]:
    return [
        # Duplicates inside the file: every occurrence after the first is reported.
        f"""INSERT INTO imp_error SELECT line, {_col("atena_no")}, format('宛名番号 %%s が %%s行目と重複しています', atena_no, first)
        FROM (SELECT line, atena_no, min(line) OVER (PARTITION BY atena_no) AS first FROM imp_row) d WHERE line <> first""",
        f"""INSERT INTO imp_error SELECT line, {_col("my_number")}, format('個人番号が %%s行目の住民と重複しています', first)
        FROM (SELECT line, min(line) OVER (PARTITION BY my_number_hash) AS first FROM imp_row
              WHERE my_number_hash <> '' AND status <> '3') d WHERE line <> first""",
        f"""INSERT INTO imp_error SELECT line, {_col("juminhyo_code")}, format('住民票コード %%s が %%s行目と重複しています', juminhyo_code, first)
        FROM (SELECT line, juminhyo_code, min(line) OVER (PARTITION BY juminhyo_code) AS first FROM imp_row
              WHERE juminhyo_code <> '') d WHERE line <> first""",
        # Rows already registered: identical ones are a re-run, different ones a conflict.
        f"""UPDATE imp_row s SET state = CASE WHEN {_same_as_registered()} THEN 'same' ELSE 'differs' END
        FROM ({_EXISTING}) r WHERE r.atena_no = s.atena_no""",
        f"""INSERT INTO imp_error SELECT line, {_col("atena_no")},
        format('宛名番号 %%s は登録済みで、記載内容が異なります（変更は異動として入力してください）', atena_no)
        FROM imp_row WHERE state = 'differs'""",
        f"""INSERT INTO imp_error SELECT s.line, {_col("my_number")}, format('個人番号が登録済みの住民（宛名番号 %%s）と重複しています', r.atena_no)
        FROM imp_row s JOIN registry_resident r ON r.my_number_hash = s.my_number_hash AND r.status <> 3
        WHERE s.state = 'new' AND s.my_number_hash <> '' AND s.status <> '3' AND r.atena_no <> s.atena_no""",
        f"""INSERT INTO imp_error SELECT s.line, {_col("juminhyo_code")}, format('住民票コード %%s は登録済みの住民（宛名番号 %%s）のものです', s.juminhyo_code, r.atena_no)
        FROM imp_row s JOIN registry_resident r ON r.juminhyo_code = s.juminhyo_code
        WHERE s.state = 'new' AND s.juminhyo_code <> '' AND r.atena_no <> s.atena_no""",
        # 世帯: the members living in it (file rows, and registered ones the file does not name).
        """CREATE TEMP TABLE imp_member ON COMMIT DROP AS
        SELECT setai_no, atena_no, relationship, line, postal_code, address, address_extra
        FROM imp_row WHERE status IN ('1', '2')
        UNION ALL
        SELECT r.setai_no, r.atena_no, r.relationship, NULL, r.postal_code, r.address, r.address_extra
        FROM registry_resident r WHERE r.status IN (1, 2)
        AND r.setai_no IN (SELECT setai_no FROM imp_row)
        AND NOT EXISTS (SELECT 1 FROM imp_row s WHERE s.atena_no = r.atena_no)""",
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


# --- Step 3: publishing ---------------------------------------------------------------------------

_PERSON_COLUMNS = tuple(
    dict.fromkeys(
        [c.attr for c in COLUMNS if c.kind != "my_number"]
        + [
            "birth_date_text",
            "birth_sort_date",
            "my_number_encrypted",
            "my_number_hash",
            "town_area",
            "block",
        ]
    )
)


def _person_values() -> str:
    out = []
    for attr in _PERSON_COLUMNS:
        kind = next((c.kind for c in COLUMNS if c.attr == attr), "text")
        if attr == "birth_date":
            out.append("CASE WHEN s.birth_date_text = '' THEN s.birth_date::date END")
        elif attr == "birth_sort_date":
            out.append(
                "CASE WHEN s.birth_date_text = '' THEN s.birth_date::date ELSE s.birth_sort_date::date END"
            )
        elif kind == "int":
            out.append(f"s.{attr}::smallint")
        elif kind == "date":
            out.append(f"NULLIF(s.{attr}, '')::date")
        else:
            out.append(f"s.{attr}")
    return ", ".join(out)


_VALID_FROM = (
    "coalesce(greatest(NULLIF(s.became_resident_on, '')::date, NULLIF(s.address_set_on, '')::date,"
    " NULLIF(s.removed_on, '')::date), %(today)s)"
)
_COMMON = "lg_code, move_id, move_kind, move_date, processed_at, history_no"
_COMMON_VALUES = f"%(lg)s, %(move)s, '{IMPORT_KIND}', {_VALID_FROM}, %(now)s, 1"


def _publish_sql() -> list[str]:
    cols = ", ".join(_PERSON_COLUMNS)
    values = _person_values()
    return [
        f"INSERT INTO registry_resident_history ({cols}, {_COMMON})"
        f" SELECT {values}, {_COMMON_VALUES} FROM imp_row s WHERE s.state = 'new'",
        f"INSERT INTO registry_resident ({cols}, {_COMMON}, version, name_key, kana_key, alias_kana_key)"
        f" SELECT {values}, {_COMMON_VALUES}, 1, s.name_key, s.kana_key, s.alias_kana_key"
        " FROM imp_row s WHERE s.state = 'new'",
        # One 世帯 per new 世帯番号: the address of its 世帯主 (or, for a 世帯 with nobody left,
        # of its last row); active while somebody lives in it.
        """INSERT INTO registry_household
        (lg_code, setai_no, head_atena_no, postal_code, address, town_area, block, address_extra, active, version)
        SELECT DISTINCT ON (s.setai_no) %(lg)s, s.setai_no,
            CASE WHEN s.status <> '3' AND s.relationship = '世帯主' THEN s.atena_no ELSE '' END,
            s.postal_code, s.address, s.town_area, s.block, s.address_extra,
            bool_or(s.status <> '3') OVER (PARTITION BY s.setai_no), 1
        FROM imp_row s WHERE s.state = 'new'
        ORDER BY s.setai_no, (s.status <> '3' AND s.relationship = '世帯主') DESC, s.status <> '3' DESC, s.line DESC
        ON CONFLICT (lg_code, setai_no) DO NOTHING""",
        # Codes from the 住基ネット pool that the file already uses are no longer free.
        """UPDATE registry_juminhyo_code j SET assigned_atena_no = s.atena_no, assigned_at = %(now)s
        FROM imp_row s WHERE s.state = 'new' AND s.juminhyo_code <> '' AND j.code = s.juminhyo_code
        AND j.assigned_atena_no = ''""",
    ]


# --- The whole import -----------------------------------------------------------------------------


def import_residents(
    path: str,
    *,
    encoding: str = "utf-8",
    report: Callable[[Issue], None],
    check_only: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    parallel: bool | None = None,
) -> ImportSummary:
    """Import ``path`` into the current tenant; see the module docstring.

    ``parallel``: stage rows in forked worker processes (default: for files over
    ``PARALLEL_FROM`` bytes when ``fork`` is available). The result is the same either way.

    ``report`` receives every broken rule (line order) before ``ImportRejected`` is raised;
    ``check_only`` validates and then raises nothing but imports nothing either (the caller
    rolls back). ``progress(stage, done, total)`` follows the reading in bytes.
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"文字コードは {', '.join(ENCODINGS)} のいずれかです")
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
        for ddl in STAGING_DDL:
            cursor.execute(ddl)
        lines = _Lines(_hashing(stream, digest), ENCODINGS[encoding], on_bytes)
        records = _records(lines, issues)
        header = next(records, None)
        problem = _check_header(header[1] if header else None)
        rows = 0
        if problem:
            # Columns are unknown: only report what needs no column (encoding, quoting).
            issues.append(problem)
            for _record in records:
                if len(issues) >= CHUNK_ROWS:
                    _flush_issues(cursor, issues)
        else:
            if parallel is None:
                parallel = size > PARALLEL_FROM and can_fork()
            workers = min(2, os.cpu_count() or 1) if parallel else 0
            rows = _stage_all(cursor, records, tenant.lg_code, today, issues, workers)
        if progress:
            progress("読み込み", size, size)
        if not problem:
            if progress:
                progress("検証", 0, 1)
            _validate(cursor, today)
        _flush_issues(cursor, issues)
        errors = _report(cursor, report)
        if errors:
            raise ImportRejected(errors)
        summary = ImportSummary(rows, 0, 0, 0, digest.hexdigest(), 0.0)
        if not check_only:
            if progress:
                progress("登録", 0, 1)
            _publish(cursor, tenant.lg_code, today, summary, os.path.basename(path), encoding)
    summary.seconds = time.perf_counter() - started
    return summary


def _hashing(stream, digest) -> Iterator[bytes]:
    for raw in stream:
        digest.update(raw)
        yield raw


def _stage_chunk(job: tuple[str, date, list[tuple[int, list[str]]]]) -> tuple[int, str, list[Issue]]:
    """(records, COPY text, findings) of one chunk of records; runs in a worker process."""
    lg_code, today, records = job
    issues: list[Issue] = []
    stager = _Stager(lg_code, issues, today)
    text = "".join(staged for line, fields in records if (staged := stager.stage(line, fields)) is not None)
    return len(records), text, issues


def _batches(records: Iterator, size: int) -> Iterator[list]:
    while batch := list(itertools.islice(records, size)):
        yield batch


def _stage_all(cursor, records, lg_code: str, today: date, issues: list[Issue], workers: int) -> int:
    """Stage the records chunk by chunk (on ``workers`` processes, here when 0), COPY each
    chunk and flush the findings so far; returns the number of records."""
    names = "line, " + ", ".join(STAGED)
    rows = 0
    jobs = ((lg_code, today, batch) for batch in _batches(records, CHUNK_ROWS))
    for count, text, found in ordered_map(_stage_chunk, jobs, workers=workers):
        rows += count
        if text:
            with cursor.copy(f"COPY imp_row ({names}) FROM STDIN") as copy:
                copy.write(text.encode())
        issues.extend(found)
        _flush_issues(cursor, issues)
    return rows


def _flush_issues(cursor, issues: list[Issue]) -> None:
    """Move the findings so far into the error table (memory stays flat for any number)."""
    if not issues:
        return
    with cursor.copy("COPY imp_error (line, position, message) FROM STDIN") as copy:
        for issue in issues:
            copy.write_row((issue.line, issue.column, issue.message))
    issues.clear()


def _validate(cursor, today: date) -> None:
    for sql in _CROSS_SQL:
        cursor.execute(sql, {"today": today})  # a dict: the statements' %% are placeholders' escapes


def _report(cursor, report: Callable[[Issue], None]) -> int:
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


def _publish(cursor, lg_code: str, today: date, summary: ImportSummary, name: str, encoding: str) -> None:
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
    now = timezone.now()
    cursor.execute(
        "INSERT INTO registry_move (lg_code, move_id, kind, move_date, notified_date, processed_at, actor,"
        " terminal, request, ex_officio) VALUES (%s, %s, %s, %s, NULL, %s, %s, %s, %s, false)"
        " RETURNING id, move_id",
        [
            lg_code,
            uuid7(),
            IMPORT_KIND,
            today,
            now,
            _actor(),
            TERMINAL,
            Jsonb({"file": name, "sha256": summary.sha256, "encoding": encoding, "rows": summary.rows}),
        ],
    )
    move_pk, move_uuid = cursor.fetchone()
    params = {"lg": lg_code, "move": move_pk, "now": now, "today": today}
    for sql in _publish_sql():
        cursor.execute(sql, params)
    cursor.execute("SELECT count(DISTINCT setai_no) FROM imp_row WHERE state = 'new'")
    summary.households = cursor.fetchone()[0]
    cursor.execute(
        "SELECT max(left(atena_no, -1)::bigint), max(left(setai_no, -1)::bigint) FROM imp_row WHERE state = 'new'"
    )
    atena_last, setai_last = cursor.fetchone()
    numbering.raise_counters(cursor, lg_code, atena_last or 0, setai_last or 0)
    detail = {
        "imported": summary.inserted,
        "unchanged": summary.unchanged,
        "households": summary.households,
        "file": name,
        "sha256": summary.sha256,
        "move_id": str(move_uuid),
    }
    record(Action.CREATE, "resident", detail=detail)
    emit(RESIDENTS_IMPORTED.type, subject=str(move_uuid), data=detail)
    analyze_registry(cursor)


def _actor() -> str:
    return current_actor().name


_CROSS_SQL = _cross_sql()
