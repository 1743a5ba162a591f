"""Import step 1b: one file row to its staged form, checked by every rule a row has by itself.

The rules and their messages are the 異動's (``validation``: check digits, 続柄 grammar, 不詳
birth dates, codes, required items, 外国人 items, lengths), run here on the file's text at a few
microseconds a row, where the same checks as SQL over the staged rows cost more than the
staging. The row leaves in its stored form — typed as the registry's columns, 個人番号 encrypted
and hashed (the plain number never reaches the database), search keys, 町字 split — so that
publishing is a plain copy (住民記録システム標準仕様書 §1: 中間標準レイアウト,
docs/reference/contract.md#resident-csv). A value that breaks its rule is reported and staged
as NULL: the file is then refused whole, and the staged row only serves the cross checks.

When the municipality has a 住所辞書, the 町字 is split off by its names and the number the
番地・号 starts with is staged too (``block_number``, the address door's rule), so that every
address is then checked against the master in one statement (``import_checks``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import date

from django.db import connections

from yakuba.address import services as address
from yakuba.platform import crypto
from yakuba.registry.addresses import address_splitter
from yakuba.registry.codes import RemovalReason
from yakuba.registry.layout import COLUMNS
from yakuba.registry.models import PersonRecord, Resident
from yakuba.registry.rules import RelationshipError, validate_relationship
from yakuba.registry.services import validation as rule
from yakuba.registry.services.bulk import COPY_ESCAPE
from yakuba.registry.services.import_read import POSITION, WIDTH, Issue
from yakuba.registry.services.records import my_number_context, my_number_lookup
from yakuba.registry.services.store import SEARCH_KEY_COLUMNS, search_keys

# The staging table's columns: the file's (but 個人番号) and what is derived from them.
DERIVED = (
    "birth_date_text",
    "birth_sort_date",
    "my_number_encrypted",
    "my_number_hash",
    *SEARCH_KEY_COLUMNS,
    "town_area",
    "block",
    "block_number",
)
STAGED = tuple(c.attr for c in COLUMNS if c.kind != "my_number") + DERIVED
NULL = "\\N"
_CHECK_ONLY = {"block_number": "integer"}  # staged for the checks, not a registry column


def staged_type(name: str) -> str:
    """The staging column's SQL type: the registry's, but text without a length (a value too
    long is reported, not refused by COPY)."""
    if name in _CHECK_ONLY:
        return _CHECK_ONLY[name]
    field = Resident._meta.get_field(name)
    return (
        "text"
        if field.get_internal_type() in ("CharField", "TextField")
        else field.db_type(connections["default"])
    )


_I = POSITION
_REMOVAL_CODES = {r.label: r.value for r in RemovalReason} | {r.value: r.value for r in RemovalReason}
_REMOVAL_REASONS = frozenset(RemovalReason.values)
_DATE_POSITIONS = tuple(i for i, c in enumerate(COLUMNS) if c.kind == "date")
_CODES = (
    (_I["resident_type"], rule.RESIDENT_TYPE_CODES, rule.BAD_RESIDENT_TYPE),
    (_I["status"], rule.STATUS_CODES, rule.BAD_STATUS),
    (_I["sex"], rule.SEX_CODES, rule.BAD_SEX),
)
_TEXT_LIMITS = tuple(
    (i, PersonRecord._meta.get_field(c.attr).max_length) for i, c in enumerate(COLUMNS) if c.kind == "text"
)
_POSTAL_CODE = re.compile(r"(?:[0-9]{7})?")
_KANA_POSITIONS = tuple(_I[a] for a in ("name_kana", "former_surname_kana", "alias_kana"))
_FOREIGN = "2"


@functools.lru_cache(maxsize=4096)
def _relationship(value: str, foreign: bool) -> str | None:
    """The 続柄 rule's message, or None (cached: a file has few distinct 続柄)."""
    try:
        validate_relationship(value, foreign=foreign, documented=True)
    except RelationshipError as exc:
        return str(exc)
    return None


# Cached: members of a 世帯 follow each other, and birth dates repeat.
_block_number = functools.lru_cache(maxsize=65536)(address.block_number)
_setai_problem = functools.lru_cache(maxsize=65536)(functools.partial(rule.m11_problem, "世帯番号"))
_birth = functools.lru_cache(maxsize=65536)(functools.partial(rule.read_birth_date, strict=True))


def _status_issues(f: list[str]) -> Iterator[tuple[int, str]]:
    """(0-based column, message) for the items a 住民状態 requires or excludes (§1.1 転出予定・消除)."""
    status = f[_I["status"]]
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


def _item_issues(f: list[str]) -> Iterator[tuple[int, str]]:
    """(0-based column, message) for the rules of single items (``validation``)."""
    if not f[_I["name"]].strip(" "):
        yield _I["name"], rule.NAME_REQUIRED
    if not f[_I["name_kana"]]:
        yield _I["name_kana"], rule.KANA_REQUIRED
    for index in _KANA_POSITIONS:
        value = f[index]
        if value and (problem := rule.kana_problem(value)):
            yield index, problem
    if not _POSTAL_CODE.fullmatch(f[_I["postal_code"]]):
        yield _I["postal_code"], "郵便番号は7桁の数字です"
    if not f[_I["address"]].strip(" "):
        yield _I["address"], "住所を入力してください"
    kind = f[_I["resident_type"]]
    for key, message in rule.resident_type_problems(
        kind == _FOREIGN, kind == "1", f[_I["nationality"]], f[_I["residence_status"]], f[_I["alias"]]
    ):
        yield _I[key], message
    yield from _status_issues(f)
    for index, limit in _TEXT_LIMITS:
        if len(f[index]) > limit:
            yield index, rule.too_long(f[index], limit)


class Stager:
    """Turns file rows into COPY lines of the staging table; reports the rules Python owns."""

    def __init__(self, lg_code: str, issues: list[Issue], today: date, towns: frozenset[str] | None):
        """``towns``: the names of the municipality's 住所辞書 (None: it has none, so addresses
        are split by Japan Post's 町字 and not checked)."""
        self.lg_code = lg_code
        self.issues = issues
        self.today = today
        self.split = address_splitter(lg_code, towns)
        self.checked = towns is not None

    def stage(self, line: int, fields: list[str]) -> str | None:
        if len(fields) < WIDTH:
            self.issues.append(Issue(line, 0, f"列が足りません（{len(fields)}列。{WIDTH}列必要です）"))
            return None
        f = fields[:WIDTH]
        text = "\t".join(f)
        escape = "\\" in text or "\n" in text or "\r" in text or text.count("\t") != WIDTH - 1
        found: list[tuple[int, str]] = []
        add = found.append
        atena, setai = f[_I["atena_no"]], f[_I["setai_no"]]
        if problem := rule.m11_problem("宛名番号", atena):
            add((_I["atena_no"], problem))
        if problem := _setai_problem(setai):
            add((_I["setai_no"], problem))
        if problem := _relationship(f[_I["relationship"]], f[_I["resident_type"]] == _FOREIGN):
            add((_I["relationship"], problem))
        for index, codes, message in _CODES:
            if f[index] not in codes:
                add((index, message))
                f[index] = NULL
        birth_text, birth_sort = self._birth(f, add)
        encrypted, lookup = self._my_number(f, atena, add)
        if (code := f[_I["juminhyo_code"]]) and (problem := rule.juminhyo_code_problem(code)):
            add((_I["juminhyo_code"], problem))
        reason = f[_I["removal_reason"]]
        f[_I["removal_reason"]] = _REMOVAL_CODES.get(reason, reason)
        found.extend(_item_issues(f))
        for index in _DATE_POSITIONS:
            value = f[index]
            if not value:
                f[index] = NULL
            elif problem := rule.iso_date_problem(value):
                add((index, problem))
                f[index] = NULL
        if found:
            self.issues.extend(Issue(line, index + 1, message) for index, message in found)
        town_area, block = self.split(f[_I["address"]])
        number = _block_number(block) if self.checked else None
        keys = search_keys(f[_I["name"]], f[_I["name_kana"]], f[_I["alias_kana"]])
        del f[_I["my_number"]]
        f += (
            birth_text,
            birth_sort,
            encrypted,
            lookup,
            *keys,
            town_area,
            block,
            NULL if number is None else str(number),
        )
        if escape:  # rare; NULL is the marker itself, never a file value (identity)
            f = [v if v is NULL else v.translate(COPY_ESCAPE) for v in f]
        return f"{line}\t" + "\t".join(f) + "\n"

    def _birth(self, f: list[str], add) -> tuple[str, str]:
        """(不詳 text, sort date) of the row's 生年月日; its column becomes the exact date or NULL."""
        index = _I["birth_date"]
        value = f[index]
        if not value:
            add((index, rule.BIRTH_REQUIRED))
            f[index] = NULL
            return "", NULL
        read = _birth(value)
        if isinstance(read, str):
            add((index, read))
            f[index] = NULL
            return "", NULL
        exact, text, sort = read
        if sort > self.today:
            add((index, rule.FUTURE_BIRTH))
        f[index] = exact.isoformat() if exact else NULL
        return text, sort.isoformat()

    def _my_number(self, f: list[str], atena: str, add) -> tuple[str, str]:
        """(ciphertext, keyed hash) of the row's 個人番号, or empty."""
        number = f[_I["my_number"]]
        if not number:
            return "", ""
        if problem := rule.my_number_problem(number):
            add((_I["my_number"], problem))
            return "", ""
        encrypted = crypto.encrypt(number, context=my_number_context(self.lg_code, atena))
        return encrypted, my_number_lookup(self.lg_code, number)


def stage_chunk(
    job: tuple[str, date, frozenset[str] | None, list[tuple[int, list[str]]]],
) -> tuple[int, str, list[Issue]]:
    """(records, COPY text, findings) of one chunk of records; runs in a worker process."""
    lg_code, today, towns, records = job
    issues: list[Issue] = []
    stager = Stager(lg_code, issues, today, towns)
    text = "".join(staged for line, fields in records if (staged := stager.stage(line, fields)) is not None)
    return len(records), text, issues
