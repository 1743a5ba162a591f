"""通学区域 as data (docs/school_enrollment.md, "通学区域"): which 町字 and which 番地 ranges send a
child to which 小学校 and 中学校 — 学校教育法施行令 第5条第2項: where the town has two or more
schools, the 教育委員会 designates the school, and towns publish the designation as a table of
町字 and 番地 (civil-facts §4.4). Pure Python: the CSV check and the address reading."""

from __future__ import annotations

import bisect
import csv
import io
import re
import unicodedata
from dataclasses import dataclass

HEADER = ("町字", "番地から", "番地まで", "小学校コード", "小学校名", "中学校コード", "中学校名")
LAST_BANCHI = 99999
_CODE = re.compile(r"^[0-9A-Za-z]{1,10}$")
_BANCHI = re.compile(r"^(\d+)")


@dataclass(frozen=True)
class DistrictRow:
    line: int
    town_area: str
    from_no: int
    to_no: int
    elementary_code: str
    elementary_name: str
    junior_code: str
    junior_name: str


class DistrictFileRejected(ValueError):
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


def read_districts(data: bytes) -> list[DistrictRow]:
    """The rows of a 通学区域 CSV (UTF-8, a BOM allowed; header ``HEADER``). An empty 番地から/まで
    means the whole 町字. Ranges of one 町字 must not overlap (a child would have two schools); a
    school code names one school name everywhere. Raises ``DistrictFileRejected`` with all errors."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DistrictFileRejected(["ファイル: UTF-8 で保存してください"]) from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != HEADER:
        raise DistrictFileRejected([f"1行目: 見出しは「{','.join(HEADER)}」にしてください"])
    errors: list[str] = []
    rows: list[DistrictRow] = []
    names: dict[str, tuple[str, int]] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(HEADER):
            errors.append(f"{line}行目: 列の数が {len(cells)} です（{len(HEADER)} 列にしてください）")
            continue
        town, start, end, e_code, e_name, j_code, j_name = (c.strip() for c in cells)
        if not town:
            errors.append(f"{line}行目 町字: 入力してください")
        from_no = _number(start, line, "番地から", errors, 0)
        to_no = _number(end, line, "番地まで", errors, LAST_BANCHI)
        if from_no > to_no:
            errors.append(f"{line}行目 番地まで: 番地から（{from_no}）以上にしてください")
        for column, code, name in (("小学校", e_code, e_name), ("中学校", j_code, j_name)):
            if not _CODE.match(code):
                errors.append(f"{line}行目 {column}コード: 英数字10桁以内で入力してください（{code}）")
            elif not name:
                errors.append(f"{line}行目 {column}名: 入力してください")
            elif names.setdefault(code, (name, line))[0] != name:
                errors.append(
                    f"{line}行目 {column}名: コード {code} は {names[code][1]}行目で「{names[code][0]}」です"
                )
        rows.append(DistrictRow(line, town, from_no, to_no, e_code, e_name, j_code, j_name))
    by_town: dict[str, list[DistrictRow]] = {}
    for row in rows:
        by_town.setdefault(row.town_area, []).append(row)
    for town, ranges in by_town.items():
        ranges.sort(key=lambda r: r.from_no)
        for before, after in zip(ranges, ranges[1:], strict=False):
            if after.from_no <= before.to_no:
                errors.append(
                    f"{after.line}行目 番地から: {town} の番地が {before.line}行目の範囲と重なっています"
                )
    if not rows and not errors:
        errors.append("ファイル: 通学区域の行がありません")
    if errors:
        raise DistrictFileRejected(errors)
    return rows


@dataclass(frozen=True, slots=True)
class Place:
    """Where a registered address falls: its 町字 and 番地, and the 通学区域's schools ("" when no
    line covers it — the clerk designates)."""

    town_area: str = ""
    banchi: int | None = None
    elementary_code: str = ""
    junior_code: str = ""


class DistrictIndex:
    """The 通学区域 in memory, to place a registered address: the registry writes it as the
    municipality's full name, the 町字 and the 番地・号 (``東栄町3番46号``). The 町字 is the longest
    one of the 通学区域 the rest begins with (``栄町`` and ``東栄町`` both exist) — a set lookup per
    distinct length, not a scan of every 町字 — the 番地 its leading number (NFKC: ３ is 3, none:
    0), the line the one whose range holds it (ranges of a 町字 never overlap: ``read_districts``)."""

    def __init__(self, municipality: str, lines: list[tuple[str, int, int, str, str]]):
        self.municipality = municipality
        self.lines: dict[str, list[tuple[int, int, str, str]]] = {}
        for town, from_no, to_no, elementary, junior in sorted(lines):
            self.lines.setdefault(town, []).append((from_no, to_no, elementary, junior))
        self.starts = {town: [line[0] for line in lines] for town, lines in self.lines.items()}
        self.lengths = sorted({len(t) for t in self.lines}, reverse=True)

    def place(self, address: str) -> Place:
        rest = address.removeprefix(self.municipality)
        for length in self.lengths:
            town = rest[:length]
            if town in self.lines:
                found = _BANCHI.match(unicodedata.normalize("NFKC", rest[length:]))
                banchi = int(found.group(1)) if found else None
                at = bisect.bisect_right(self.starts[town], banchi or 0) - 1
                if at >= 0 and self.lines[town][at][1] >= (banchi or 0):
                    return Place(town, banchi, *self.lines[town][at][2:])
                return Place(town, banchi)
        return Place()
