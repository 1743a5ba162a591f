"""Import step 1a: the file's lines and CSV records, and the findings' shape (docs/reference/contract.md#resident-csv).

A bad byte, broken quoting or a wrong header is reported with its line, never guessed at: a
vendor change moves a whole registry (住民記録システム標準仕様書 §1: 中間標準レイアウト).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from yakuba.registry.layout import COLUMNS, HEADERS

ENCODINGS = {"utf-8": "utf-8", "cp932": "cp932"}
WIDTH = len(COLUMNS)
POSITION = {c.attr: i for i, c in enumerate(COLUMNS)}  # attr -> 0-based column


class ImportRejected(Exception):
    """The file broke rules; every one was reported and nothing was imported.

    ``unlisted_addresses``: how many of the rows were refused because the 住所辞書 lacks their
    address (the operator may then import them with ``allow_unlisted_addresses``)."""

    def __init__(self, count: int, unlisted_addresses: int = 0):
        super().__init__(f"{count:,} 件の誤りがあるため、取り込みませんでした")
        self.count = count
        self.unlisted_addresses = unlisted_addresses


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


# --- Step 1: reading ------------------------------------------------------------------------------


class Lines:
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


def records(lines: Lines, issues: list[Issue]) -> Iterator[tuple[int, list[str]]]:
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


def check_header(fields: list[str] | None) -> Issue | None:
    if fields is None:
        return Issue(1, 0, "見出し行がありません（空のファイルです）")
    if len(fields) < WIDTH:
        return Issue(1, 0, f"見出しの列が足りません（{len(fields)}列。{WIDTH}列必要です）")
    for i, (got, want) in enumerate(zip(fields, HEADERS, strict=False)):
        if got.strip() != want:
            return Issue(1, i + 1, f"見出しが住民記録レイアウトと異なります（「{want}」のはずが「{got}」）")
    return None
