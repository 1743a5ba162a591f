"""The 戸籍の附票記載事項通知 as a file: one CSV layout for the notices this town sends to other
本籍地 and for those it takes in from other 住所地 (docs/koseki_annex.md, "The notice file").

住民基本台帳法 第19条1項: the 住所地 that records a 住民票 change the 附票 must follow notifies the
本籍地, which writes its 附票 by 職権 (第18条). The national path is 住基ネット's CS; this file is
the same content for a town that exchanges it otherwise (and the CS re-send and manual fallback
the 住民記録 standard asks for). The file is taken in all or nothing: every bad line is named at
once by line and column (docs/reference/contract.md §3.2), and nothing is written until none is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from yakuba.koseki_annex.rules.domicile import municipality_of
from yakuba.koseki_annex.rules.entries import AddressLine
from yakuba.platform.file_issues import FileRejected, Issue
from yakuba.platform.japanese.checkdigits import is_valid_juminhyo_code, is_valid_lg_code

COLUMNS = (
    "送付元団体コード",
    "送付先団体コード",
    "本籍",
    "筆頭者",
    "住民票コード",
    "氏名",
    "生年月日",
    "性別",
    "住所",
    "住所を定めた年月日",
    "国外転出者",
    "転出先国名",
    "支援措置",
)
MAX_LINES = 100_000
_FLAG = {"0": False, "1": True}
_SEX = {"1": 1, "2": 2}
_LENGTHS = {"本籍": 200, "筆頭者": 100, "氏名": 100, "住所": 300, "転出先国名": 100}


@dataclass(frozen=True)
class Notice:
    """One line of the file: a person of a 附票 and their new 住所 (or 国外転出者 entry)."""

    line_no: int
    sender: str
    receiver: str
    honseki: str
    hittosha: str
    juminhyo_code: str
    name: str
    birth_date: date | None  # 生年月日 as the registry holds it; None when it holds 不詳
    sex: int
    line: AddressLine
    protected: bool


def read_notices(data: bytes, *, receiver: str, today: date) -> list[Notice]:
    """Every line of a notice file addressed to ``receiver`` (UTF-8, with or without BOM; a
    header line of ``COLUMNS``). Raises FileRejected naming every bad line; nothing half-read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRejected([Issue(line, "", "文字コードが UTF-8 ではありません")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
        if tuple(header) != COLUMNS:
            raise FileRejected([Issue(1, "", f"見出しは「{','.join(COLUMNS)}」にしてください")])
        issues: list[Issue] = []
        notices: list[Notice] = []
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(notices) + len(issues) >= MAX_LINES:
                issues.append(Issue(line, "", f"{MAX_LINES:,} 行を超えています"))
                break
            if len(cells) != len(COLUMNS):
                issues.append(
                    Issue(
                        line, "", f"列の数が見出しと違います（{len(COLUMNS)} 列、この行は {len(cells)} 列）"
                    )
                )
                continue
            notice = _notice(
                line, dict(zip(COLUMNS, (c.strip() for c in cells), strict=True)), receiver, today, issues
            )
            if notice is not None:
                notices.append(notice)
    except csv.Error as exc:
        raise FileRejected([Issue(reader.line_num, "", f"CSV として読めません（{exc}）")]) from None
    if issues:
        raise FileRejected(issues)
    if not notices:
        raise FileRejected([Issue(2, "", "通知がありません")])
    return notices


def _notice(line: int, row: dict[str, str], receiver: str, today: date, issues: list[Issue]) -> Notice | None:
    before = len(issues)

    def bad(column: str, reason: str) -> None:
        issues.append(Issue(line, column, reason))

    for column, limit in _LENGTHS.items():
        if len(row[column]) > limit:
            bad(column, f"{limit} 文字以内にしてください")
    for column in ("本籍", "筆頭者", "氏名"):
        if not row[column]:
            bad(column, "入力してください")
    if not is_valid_lg_code(row["送付元団体コード"]):
        bad("送付元団体コード", "6桁の全国地方公共団体コード（検査数字付き）にしてください")
    if row["送付先団体コード"] != receiver:
        bad("送付先団体コード", f"この団体（{receiver}）あての通知ではありません")
    elif row["本籍"]:
        info = municipality_of(row["本籍"])
        if info is None or info.lg_code != receiver:
            bad("本籍", "本籍がこの団体にありません")
    if not is_valid_juminhyo_code(row["住民票コード"]):
        bad("住民票コード", "11桁の住民票コード（検査数字付き）にしてください")
    birth = _day(row["生年月日"], "生年月日", today, bad) if row["生年月日"] else None
    if row["性別"] not in _SEX:
        bad("性別", "1（男）か 2（女）にしてください")
    overseas, protected = (_flag(row[c], c, bad) for c in ("国外転出者", "支援措置"))
    # A 国外転出者 is dated by the 転出予定年月日, which may be ahead (the 届 is filed before leaving).
    set_on = _day(row["住所を定めた年月日"], "住所を定めた年月日", None if overseas else today, bad)
    if overseas and row["住所"]:
        bad("住所", "国外転出者の住所は空欄にしてください（転出先国名に国名を）")
    if overseas and not row["転出先国名"]:
        bad("転出先国名", "国外転出者は転出先国名を入力してください")
    if overseas is False and not row["住所"]:
        bad("住所", "入力してください")
    if overseas is False and row["転出先国名"]:
        bad("転出先国名", "国外転出者でなければ空欄にしてください")
    if len(issues) > before:
        return None
    return Notice(
        line_no=line,
        sender=row["送付元団体コード"],
        receiver=receiver,
        honseki=row["本籍"],
        hittosha=row["筆頭者"],
        juminhyo_code=row["住民票コード"],
        name=row["氏名"],
        birth_date=birth,
        sex=_SEX[row["性別"]],
        line=AddressLine(row["住所"], set_on, overseas=bool(overseas), country=row["転出先国名"]),
        protected=bool(protected),
    )


def _day(text: str, column: str, latest: date | None, bad) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        bad(column, "YYYY-MM-DD の日付にしてください")
        return None
    if latest is not None and day > latest:
        bad(column, "未来の日付です")
        return None
    return day


def _flag(text: str, column: str, bad) -> bool | None:
    if text not in _FLAG:
        bad(column, "0 か 1 にしてください")
        return None
    return _FLAG[text]


def write_notices(notices: Iterable[Notice]) -> str:
    """The file of ``notices`` (UTF-8 text with the header line; the caller adds no BOM)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for n in notices:
        writer.writerow(
            [
                n.sender,
                n.receiver,
                n.honseki,
                n.hittosha,
                n.juminhyo_code,
                n.name,
                n.birth_date.isoformat() if n.birth_date else "",
                str(n.sex),
                n.line.address,
                n.line.address_set_on.isoformat(),
                "1" if n.line.overseas else "0",
                n.line.country,
                "1" if n.protected else "0",
            ]
        )
    return out.getvalue()
