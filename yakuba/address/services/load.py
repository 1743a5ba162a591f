"""Changing the address master: from the municipality's file or from Japan Post's data.

A load is all-or-nothing: a file with one bad line changes nothing and every bad line is
reported (line, column, reason). Entries are matched on the current 町字 name; a 町字 missing
from a ``replace`` load is abolished (kept with its 廃止日, never deleted — old 除票 name it).
Every load is audited and announced with one event, so that other areas refresh what they
cached of the master.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yakuba.address import events
from yakuba.address.codes import Addressing, Source
from yakuba.address.models import TownArea
from yakuba.address.rules import clean_name, postal_code
from yakuba.address.services.postal import postal_town_areas
from yakuba.platform.audit.log import Action, record
from yakuba.platform.file_issues import FileRejected, Issue
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import require_tenant

# The file's columns (docs/address.md, "取り込みファイル"): 町字 is required, the others optional.
COLUMNS = ("町字", "町字カナ", "郵便番号", "住居表示", "番地開始", "番地終了", "町字ID", "施行日", "廃止日")
MAX_LINES = 100_000


@dataclass(frozen=True)
class Entry:
    """One 町字 as a load gives it."""

    name: str
    name_kana: str = ""
    postal_codes: tuple[str, ...] = ()
    addressing: Addressing = Addressing.LOT
    block_from: int | None = None
    block_to: int | None = None
    town_area_id: str = ""
    effective_on: date | None = None
    abolished_on: date | None = None


class MasterRejected(FileRejected):
    """The file or entries were refused as a whole; ``issues`` says why, line by line."""


@dataclass
class LoadSummary:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    abolished: int = 0


def _date(value: str, line: int, column: str, issues: list[Issue]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        issues.append(Issue(line, column, f"日付は YYYY-MM-DD で書いてください: {value}"))
        return None


def _number(value: str, line: int, column: str, issues: list[Issue]) -> int | None:
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        issues.append(Issue(line, column, f"番地は数字で書いてください: {value}"))
        return None
    return int(value)


def _entry(row: dict[str, str], line: int, issues: list[Issue]) -> Entry | None:
    before = len(issues)
    name = clean_name(row.get("町字") or "")
    if not name:
        issues.append(Issue(line, "町字", "町字がありません"))
    elif len(name) > 60:
        issues.append(Issue(line, "町字", "町字は60文字までです"))
    codes = []
    for text in (row.get("郵便番号") or "").replace("・", " ").split():
        number = postal_code(text)
        if number is None:
            issues.append(Issue(line, "郵便番号", f"郵便番号は7桁の数字です: {text}"))
        codes.append(number)
    flag = (row.get("住居表示") or "").strip()
    if flag not in ("", "1", "0"):
        issues.append(Issue(line, "住居表示", f"住居表示は 1（住居表示）か 0（地番）です: {flag}"))
    low = _number((row.get("番地開始") or "").strip(), line, "番地開始", issues)
    high = _number((row.get("番地終了") or "").strip(), line, "番地終了", issues)
    town_area_id = (row.get("町字ID") or "").strip()
    if town_area_id and not (len(town_area_id) == 7 and town_area_id.isascii() and town_area_id.isdigit()):
        issues.append(Issue(line, "町字ID", f"町字IDは7桁の数字です: {town_area_id}"))
    effective = _date((row.get("施行日") or "").strip(), line, "施行日", issues)
    abolished = _date((row.get("廃止日") or "").strip(), line, "廃止日", issues)
    if len(issues) > before:
        return None
    return Entry(
        name,
        clean_name(row.get("町字カナ") or ""),
        tuple(codes),
        Addressing.RESIDENCE if flag == "1" else Addressing.LOT,
        low,
        high,
        town_area_id,
        effective,
        abolished,
    )


def read_csv(data: bytes, *, encoding: str = "utf-8") -> list[Entry]:
    """The entries of a master file (CSV with a header line; UTF-8 with or without BOM, or cp932).

    Raises MasterRejected with every issue of the file; nothing is half-read.
    """
    try:
        text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MasterRejected([Issue(line, "", f"文字コードが {encoding} ではありません")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    unknown = [c for c in header if c not in COLUMNS]
    if "町字" not in header or unknown:
        reason = (
            f"見出しに不明な列があります: {'、'.join(unknown)}"
            if unknown
            else "見出しに「町字」の列がありません"
        )
        raise MasterRejected([Issue(1, "", f"{reason}（列: {'、'.join(COLUMNS)}）")])
    issues: list[Issue] = []
    entries: list[Entry] = []
    lines: list[int] = []
    try:
        for row in reader:
            line = reader.line_num
            if line > MAX_LINES:
                raise MasterRejected([Issue(line, "", f"{MAX_LINES:,} 行を超えています")])
            if None in row:
                issues.append(Issue(line, "", "列が多すぎます"))
                continue
            entry = _entry(row, line, issues)
            if entry is not None:
                entries.append(entry)
                lines.append(line)
    except csv.Error as exc:
        issues.append(Issue(reader.line_num, "", f"CSV として読めません（{exc}）"))
    columns = {"name": "町字", "block_to": "番地終了"}
    issues += [Issue(lines[i], columns[f], m) for i, f, m in entry_problems(entries)]
    issues.sort(key=lambda issue: issue.line)
    if issues:
        raise MasterRejected(issues)
    if not entries:
        raise MasterRejected([Issue(2, "", "町字が1件もありません")])
    return entries


def entry_problems(entries: list[Entry]) -> list[tuple[int, str, str]]:
    """(index, field, message) for what no single entry shows: a 番地 range upside down, a
    current 町字 given twice."""
    problems = []
    seen: set[str] = set()
    for i, e in enumerate(entries):
        if e.block_from is not None and e.block_to is not None and e.block_from > e.block_to:
            problems.append((i, "block_to", f"番地の範囲が逆です: {e.block_from}〜{e.block_to}"))
        if e.abolished_on is None:
            if e.name in seen:
                problems.append((i, "name", f"町字「{e.name}」が重複しています"))
            seen.add(e.name)
    return problems


def _values(entry: Entry, source: Source) -> dict:
    return {
        "name_kana": entry.name_kana,
        "postal_codes": list(entry.postal_codes),
        "addressing": entry.addressing.value,
        "block_from": entry.block_from,
        "block_to": entry.block_to,
        "town_area_id": entry.town_area_id,
        "effective_on": entry.effective_on,
        "abolished_on": entry.abolished_on,
        "source": source.value,
    }


def load(
    entries: Iterable[Entry], *, source: Source, replace: bool = False, today: date | None = None
) -> LoadSummary:
    """Apply entries to the current municipality's master, in the caller's transaction.

    A current 町字 of the same name is updated (abolished, if the entry says so and does not
    also list it as current); an abolished entry already kept is left alone, so loading the
    same file twice changes nothing. With ``replace``, current 町字 not in the input are
    abolished as of ``today``.
    """
    tenant = require_tenant()
    today = today or timezone.localdate()
    now = timezone.now()
    entries = list(entries)
    rows = TownArea.objects.select_for_update()
    current = {t.name: t for t in rows.filter(abolished_on__isnull=True)}
    kept = set(rows.filter(abolished_on__isnull=False).values_list("name", "abolished_on"))
    live = {e.name for e in entries if e.abolished_on is None}
    summary = LoadSummary()
    creates: list[TownArea] = []
    updates: list[TownArea] = []
    for entry in entries:
        values = _values(entry, source)
        row = current.get(entry.name)
        if entry.abolished_on is not None and (entry.name in live or row is None):
            row = None  # history: a 町字 abolished before the current one of that name
            if (entry.name, entry.abolished_on) in kept:
                summary.unchanged += 1
                continue
        if row is None:
            creates.append(TownArea(lg_code=tenant.lg_code, name=entry.name, **values))
            summary.added += 1
        elif any(getattr(row, k) != v for k, v in values.items() if k != "source"):
            for k, v in values.items():
                setattr(row, k, v)
            row.updated_at = now
            updates.append(row)
            summary.changed += 1
        else:
            summary.unchanged += 1
    if replace:
        for name, row in current.items():
            if name not in live and row.abolished_on is None:
                row.abolished_on, row.updated_at = today, now
                updates.append(row)
                summary.abolished += 1
    TownArea.objects.bulk_update(updates, [*_values(Entry(""), source), "updated_at"], batch_size=1000)
    TownArea.objects.bulk_create(creates, batch_size=1000)
    detail = {
        "source": source.value,
        "added": summary.added,
        "changed": summary.changed,
        "abolished": summary.abolished,
    }
    record(Action.UPDATE, "address-master", detail=detail)
    if summary.added or summary.changed or summary.abolished:
        emit(events.MASTER_CHANGED, data=detail)
    return summary


def load_postal(lg_code: str, *, today: date | None = None) -> LoadSummary:
    """Add the 町字 Japan Post's data knows for the municipality (never abolishes an entry: a
    municipality's own file is more exact than postal data)."""
    entries = [
        Entry(t.name, postal_codes=t.postal_codes, addressing=t.addressing)
        for t in postal_town_areas(lg_code)
    ]
    current = set(TownArea.objects.filter(abolished_on__isnull=True).values_list("name", flat=True))
    return load([e for e in entries if e.name not in current], source=Source.POSTAL, today=today)
