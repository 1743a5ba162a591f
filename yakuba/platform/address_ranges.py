"""Areas by address as data: a CSV of 町字 and 番地 ranges, each line naming coded values, and the
index that places a registered address on a line. Towns publish their 通学区域 (学校教育法施行令
第5条第2項; civil-facts §4.4) and their 投票区 (公職選挙法17条; civil-facts §1.5) as exactly such
tables — a 町字, or a 番地 range of it when a 丁目 is split — so 就学 and 選挙 read them with this
one module, each naming its value columns (``Coded``). Pure Python, no Django.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

ADDRESS_COLUMNS = ("町字", "番地から", "番地まで")
LAST_BANCHI = 99999
_CODE = re.compile(r"^[0-9A-Za-z]{1,10}$")
_BANCHI = re.compile(r"^(\d+)")
_DIGIT = re.compile(r"[0-9０-９]")


@dataclass(frozen=True)
class Coded:
    """A value named by a code: the columns ``{label}コード`` (1–10 letters or digits) and
    ``{label}名`` (required), then ``optional`` columns of the same code (a 投票区's 投票所) that a
    file may leave out when they come last. A code means one thing in a file: its name and its
    optional values are the same on every line."""

    label: str
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return (f"{self.label}コード", f"{self.label}名", *self.optional)


@dataclass(frozen=True)
class RangeRow:
    """One line: a 町字, its 番地 range (the whole 町字: 0 to ``LAST_BANCHI``) and the values of
    the ``Coded`` columns in file order ("" for an optional column the file leaves out)."""

    line: int
    town_area: str
    from_no: int
    to_no: int
    values: tuple[str, ...]


class RangeFileRejected(ValueError):
    """The CSV has errors: every one, each naming its line and column, in Japanese."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _number(text: str, line: int, column: str, errors: list[str], default: int) -> int:
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return default
    if not text.isdigit() or int(text) > LAST_BANCHI:
        errors.append(f"{line}行目 {column}: 0 から {LAST_BANCHI} の整数を入力してください（{text}）")
        return default
    return int(text)


def _header(reader, coded: tuple[Coded, ...]) -> tuple[int, int]:
    """The header's width, and the full width: every column, or all but the trailing optional
    ones."""
    full = ADDRESS_COLUMNS + tuple(c for group in coded for c in group.columns)
    short = full[: len(full) - len(coded[-1].optional)]
    header = tuple(h.strip() for h in next(reader, None) or ())
    if header not in (full, short):
        shown = ",".join(short) + "".join(f"[,{c}]" for c in full[len(short) :])
        raise RangeFileRejected([f"1行目: 見出しは「{shown}」にしてください"])
    return len(header), len(full)


def _check_values(line: int, cells: list[str], coded, seen: dict, errors: list[str]) -> None:
    """Each group's code, name and optional values, against what earlier lines gave the code."""
    at = 0
    for group in coded:
        code, name, *rest = cells[at : at + len(group.columns)]
        at += len(group.columns)
        if not _CODE.match(code):
            errors.append(f"{line}行目 {group.label}コード: 英数字10桁以内で入力してください（{code}）")
            continue
        if not name:
            errors.append(f"{line}行目 {group.label}名: 入力してください")
            continue
        for column, value in ((f"{group.label}名", name), *zip(group.optional, rest, strict=True)):
            key = (code, "名" if column.endswith("名") else column)
            earlier, first = seen.setdefault(key, (value, line))
            if earlier != value:
                errors.append(f"{line}行目 {column}: コード {code} は {first}行目で「{earlier}」です")


def read_ranges(data: bytes, coded: tuple[Coded, ...], *, what: str) -> list[RangeRow]:
    """The rows of a CSV (UTF-8, a BOM allowed) headed ``町字,番地から,番地まで`` then each group's
    columns. An empty 番地から/まで means the whole 町字. Ranges of one 町字 must not overlap (an
    address would fall in two areas). ``what`` names the file's rows in the message for an empty
    file (``通学区域``). Raises ``RangeFileRejected`` with all errors."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RangeFileRejected(["ファイル: UTF-8 で保存してください"]) from None
    reader = csv.reader(io.StringIO(text))
    width, full = _header(reader, coded)
    errors: list[str] = []
    rows: list[RangeRow] = []
    seen: dict = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != width:
            errors.append(f"{line}行目: 列の数が {len(cells)} です（{width} 列にしてください）")
            continue
        cells = [c.strip() for c in cells] + [""] * (full - width)
        town, start, end = cells[:3]
        if not town:
            errors.append(f"{line}行目 町字: 入力してください")
        from_no = _number(start, line, "番地から", errors, 0)
        to_no = _number(end, line, "番地まで", errors, LAST_BANCHI)
        if from_no > to_no:
            errors.append(f"{line}行目 番地まで: 番地から（{from_no}）以上にしてください")
        _check_values(line, cells[3:], coded, seen, errors)
        rows.append(RangeRow(line, town, from_no, to_no, tuple(cells[3:])))
    errors += _overlaps(rows)
    if not rows and not errors:
        errors.append(f"ファイル: {what}の行がありません")
    if errors:
        raise RangeFileRejected(errors)
    return rows


def _overlaps(rows: list[RangeRow]) -> list[str]:
    by_town: dict[str, list[RangeRow]] = {}
    for row in rows:
        by_town.setdefault(row.town_area, []).append(row)
    errors = []
    for town, ranges in by_town.items():
        ranges.sort(key=lambda r: r.from_no)
        for before, after in zip(ranges, ranges[1:], strict=False):
            if after.from_no <= before.to_no:
                errors.append(
                    f"{after.line}行目 番地から: {town} の番地が {before.line}行目の範囲と重なっています"
                )
    return errors


@dataclass(frozen=True, slots=True)
class Found:
    """Where an address falls: its 町字 and 番地 ("" and None when no 町字 of the table begins it)
    and the values of the line whose range holds it (None when no line does — never guessed)."""

    town_area: str = ""
    banchi: int | None = None
    values: tuple | None = None


class AddressRanges:
    """The lines in memory, to place registered addresses: the registry writes an address as the
    municipality's full name, the 町字 and the 番地・号 (``東栄町3番46号``). The 町字 is the longest
    one of the table the rest begins with (``栄町`` and ``東栄町`` both exist) — a set lookup per
    distinct length, not a scan of every 町字 — the 番地 its leading number (NFKC: ３ is 3, none:
    0), the line the one whose range holds it (ranges of a 町字 never overlap: ``read_ranges``).
    When no 町字 of the table holds a digit, the text before the address's first digit is tried
    first: one dict lookup for most addresses (a run places a million). ``lines`` are (町字,
    番地から, 番地まで, *values)."""

    def __init__(self, municipality: str, lines: Iterable[tuple]):
        self.municipality = municipality
        self.lines: dict[str, list[tuple]] = {}
        for town, from_no, to_no, *values in sorted(lines):
            self.lines.setdefault(town, []).append((from_no, to_no, tuple(values)))
        self.starts = {town: [line[0] for line in lines] for town, lines in self.lines.items()}
        self.lengths = sorted({len(t) for t in self.lines}, reverse=True)
        self.digit_free = not any(_DIGIT.search(t) for t in self.lines)

    def find(self, address: str) -> Found:
        rest = address.removeprefix(self.municipality)
        if self.digit_free:
            # No longer 町字 can match: it would hold the digit.
            cut = _DIGIT.search(rest)
            head = rest[: cut.start()] if cut else rest
            if head in self.lines:
                return self._in(head, rest[len(head) :])
        for length in self.lengths:
            town = rest[:length]
            if town in self.lines:
                return self._in(town, rest[length:])
        return Found()

    def _in(self, town: str, block: str) -> Found:
        found = _BANCHI.match(unicodedata.normalize("NFKC", block))
        banchi = int(found.group(1)) if found else None
        at = bisect.bisect_right(self.starts[town], banchi or 0) - 1
        if at >= 0 and self.lines[town][at][1] >= (banchi or 0):
            return Found(town, banchi, self.lines[town][at][2])
        return Found(town, banchi)
