"""Files out to the 広域連合: 被保険者異動 and 所得 (docs/late_elderly_medical.md, 広域連合とのファイル;
layouts in docs/reference/contract.md#kouki-files).

The 広域連合 is the insurer and decides the premium (facts §3.1); the municipality reports what it
knows: who joined or left its 被保険者 (the 資格 rows this app keeps from the registry's events)
and, for the 賦課 of a 年度, the 所得 of each 被保険者 and of their 世帯主 — the persons the 軽減判定
counts (施行令 §18 ⑧; facts §3.3: the 世帯主 and every 被保険者 of the 世帯). The other members
of the 世帯 count in nothing the 広域連合 decides, so their 所得 is not sent (個人情報保護法 §61:
no more than the work needs). Persons come through the registry's
door (``residents_of``, ``inhabitants_page``), 所得 through the tax app's (``figures_of``), never
their tables.

Each file is written to a private temporary file and renamed when whole, remembered in ``Export``
(kind, range, rows, SHA-256) with one audit row, in one transaction: the next 異動 file starts
after the last 資格 row the previous one carried (keyset on the append-only rows; the table is
locked against writers while the range is read, so no row of a transaction still open can be
skipped). Persons under 支援措置 are in the files — they are insured like anyone — flagged in
the column 支援措置 so that the 広域連合 guards them as the municipality does.

Encoding: Shift_JIS (cp932) by default — the exchange files of the 国保連合会・広域連合 standard
systems are Shift_JIS (インタフェース仕様書 共通編, its 使用不可能文字 listed by their Shift_JIS
codes) — or UTF-8 with BOM (``encoding="utf-8"``). A character cp932 cannot hold refuses the file
naming the person and the column, never replaced silently.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connections, transaction
from django.utils import timezone

from yakuba.late_elderly_medical.codes import AcquiredReason, ExportKind, LostReason
from yakuba.late_elderly_medical.models import Export, Qualification, SentRecord
from yakuba.late_elderly_medical.services.qualification import BOOK
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.private_files import open_private
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.tax import services as tax

PURPOSE = "後期高齢者医療広域連合への報告（被保険者の異動・所得）"
RESOURCE = "late_elderly_medical.export"
PAGE = 1000
ENCODINGS = {"cp932": "cp932", "utf-8": "utf-8-sig"}

IDOU_COLUMNS = (
    "宛名番号",
    "氏名",
    "氏名カナ",
    "生年月日",
    "性別",
    "郵便番号",
    "住所",
    "異動区分",
    "異動事由",
    "異動日",
    "届出日",
    "支援措置",
)
SHOTOKU_COLUMNS = (
    "年度",
    "宛名番号",
    "世帯番号",
    "続柄",
    "被保険者",
    "生年月日",
    "総所得金額等",
    "公的年金等収入",
    "公的年金等所得",
    "給与収入",
    "給与所得",
    "課税区分",
    "支援措置",
)
CHANGE_LABEL = {"acquired": "取得", "lost": "喪失"}
CHANGED, CHANGED_REASON = "変更", "氏名・住所等の変更"
EVERYONE = registry.Visibility(protected=True)  # the 広域連合 insures them all (flagged: 支援措置)
REASON_LABEL = {**dict(AcquiredReason.choices), **dict(LostReason.choices)}
# 課税区分: 1 課税 (均等割が課される), 2 非課税, empty: no assessment of the 年度 (not registered on
# 1月1日 — the 所得 is the former municipality's, asked by the 広域連合 itself).
TAXED, NON_TAXED = "1", "2"
HEAD = "世帯主"


class ExchangeRejected(ValueError):
    """A file that cannot be written or read as asked (the message is for the operator)."""


@dataclass(frozen=True)
class Exported:
    kind: str
    rows: int
    file_name: str
    after_id: int = 0
    through_id: int = 0


def _encoding(encoding: str) -> str:
    if encoding not in ENCODINGS:
        raise ExchangeRejected(f"文字コード {encoding} は使えません（cp932 か utf-8）")
    return ENCODINGS[encoding]


class _File:
    """A CSV written whole or not at all: a private ``.partial`` renamed when whole."""

    def __init__(self, path: str, encoding: str, header: tuple[str, ...]):
        self.path, self.partial, self.header = path, f"{path}.partial", header
        self.encoding = _encoding(encoding)
        self.rows = 0
        try:
            self.out = open_private(self.partial, encoding=self.encoding)
        except OSError as exc:
            raise ExchangeRejected(f"{path} に書き込めません（{exc.strerror}）") from None
        self.writer = csv.writer(self.out, lineterminator="\r\n")
        self.writer.writerow(header)

    def write(self, lines: list[tuple], who: list[str]) -> None:
        """The rows of a page; a character the encoding cannot hold names its person and column."""
        if self.encoding == "cp932":
            for line, atena_no in zip(lines, who, strict=True):
                for column, cell in zip(self.header, line, strict=True):
                    try:
                        str(cell).encode("cp932")
                    except UnicodeEncodeError as exc:
                        bad = exc.object[exc.start : exc.end]
                        raise ExchangeRejected(
                            f"宛名番号 {atena_no} の{column}に Shift_JIS（cp932）で表せない文字 {bad!r} があります。"
                            "--encoding utf-8 で出力してください"
                        ) from None
        self.writer.writerows(lines)
        self.rows += len(lines)

    def finish(self) -> tuple[str, str]:
        """(the file's name, its SHA-256) once renamed into place."""
        self.out.close()
        digest = hashlib.sha256()
        with open(self.partial, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        os.replace(self.partial, self.path)
        return os.path.basename(self.path), digest.hexdigest()

    def abandon(self) -> None:
        self.out.close()
        if os.path.exists(self.partial):
            os.unlink(self.partial)


def _remember(kind: str, file: _File, written: tuple[str, str], **fields) -> None:
    name, digest = written
    Export.objects.create(
        lg_code=require_tenant().lg_code,
        kind=kind,
        rows=file.rows,
        file_name=name,
        encoding=file.encoding.replace("-sig", ""),
        sha256=digest,
        created_at=timezone.now(),
        created_by=current_actor().name,
        **fields,
    )
    record(
        Action.EXPORT,
        RESOURCE,
        purpose=PURPOSE,
        detail={"kind": kind, "file": name, "rows": file.rows, **{k: str(v) for k, v in fields.items()}},
    )


def exports(limit: int = 50) -> list[Export]:
    """The latest files sent to the 広域連合, newest first (kind, range, rows, when, by whom)."""
    return list(Export.objects.order_by("-id")[:limit])


def _flag(protected: bool) -> str:
    return "1" if protected else ""


# --- 被保険者異動 --------------------------------------------------------------------------------


def export_idou(
    path: str, *, encoding: str = "cp932", progress: Callable[[int], None] | None = None
) -> Exported:
    """The 資格 取得・喪失 recorded since the last 異動 file (all of them for the first), one row
    each in the order they were recorded, with the person's current record (the 除票 for a
    person who left: where they lived); then a row 変更 for each 被保険者 whose 氏名・住所 changed
    since the last file (``_changes``). One transaction; ``progress(n)`` after each page."""
    alias = require_tenant().alias
    with transaction.atomic(using=alias):
        last = Export.objects.filter(kind=ExportKind.IDOU).order_by("-through_id").first()
        after = last.through_id if last else 0
        # The walk over every 被保険者 comes first, before the lock below (held to the commit).
        changes = _changes(set(Qualification.objects.filter(id__gt=after).values_list("atena_no", flat=True)))
        with connections[alias].cursor() as cursor:
            # Writers wait while the range is read: a row of a transaction still open would
            # otherwise commit below ``through_id`` and never be sent.
            cursor.execute(f"LOCK TABLE {Qualification._meta.db_table} IN SHARE MODE")
        file = _File(path, encoding, IDOU_COLUMNS)
        try:
            through = after
            for page in _qualification_pages(after):
                people = registry.residents_of([row[1] for row in page], visibility=EVERYONE)
                file.write(
                    [_idou_line(atena_no, people.get(atena_no), *rest) for _id, atena_no, *rest in page],
                    [row[1] for row in page],
                )
                through = page[-1][0]
                if progress is not None:
                    progress(len(page))
            file.write(*changes)
            written = file.finish()
        except BaseException:
            file.abandon()
            raise
        _remember(ExportKind.IDOU, file, written, after_id=after, through_id=through)
    return Exported(ExportKind.IDOU, file.rows, written[0], after, through)


def _changes(in_file: set[str]) -> tuple[list[tuple], list[str]]:
    """The rows 変更 (and their 宛名番号): each 被保険者 of today whose 氏名・住所 (or 生年月日・性別)
    is not what the 広域連合 was last told (a 転居, a 氏名 change) — the current record digested
    and compared with the digest kept from the last file, in pages of ``PAGE`` (five queries
    each), the digests kept anew. A person first seen, or with a 資格 row in this file, has the
    digest kept without a row (a 資格 row committed meanwhile may give a 変更 row too: harmless)."""
    insured = sorted(BOOK.insured_on(timezone.localdate()))
    lg_code = require_tenant().lg_code
    lines, who = [], []
    for start in range(0, len(insured), PAGE):
        page = insured[start : start + PAGE]
        people = registry.residents_of(page, visibility=EVERYONE)
        known = dict(SentRecord.objects.filter(atena_no__in=page).values_list("atena_no", "digest"))
        kept = []
        for atena_no, person in sorted(people.items()):
            digest = _digest(person)
            if known.get(atena_no) == digest:
                continue
            if atena_no in known and atena_no not in in_file:
                lines.append(_idou_line(atena_no, person, CHANGED, person.move_date, CHANGED_REASON, None))
                who.append(atena_no)
            kept.append(SentRecord(lg_code=lg_code, atena_no=atena_no, digest=digest))
        SentRecord.objects.bulk_create(
            kept,
            update_conflicts=True,
            unique_fields=["lg_code", "atena_no"],
            update_fields=["digest", "updated_at"],
        )
    return lines, who


def _digest(person) -> str:
    """What the 異動 file tells of a person, digested (no copy of the registry's record kept)."""
    told = (person.name, person.name_kana, str(person.birth_date or person.birth_date_text), str(person.sex))
    return hashlib.sha256("\x1f".join((*told, person.postal_code, person.address)).encode()).hexdigest()


def _qualification_pages(after: int) -> Iterator[list[tuple]]:
    while True:
        page = list(
            Qualification.objects.filter(id__gt=after)
            .order_by("id")
            .values_list("id", "atena_no", "change", "effective_on", "reason", "notified_on")[:PAGE]
        )
        if not page:
            return
        yield page
        after = page[-1][0]


def _idou_line(atena_no, person, change, on, reason, notified_on) -> tuple:
    born = (
        person.birth_date.isoformat()
        if person and person.birth_date
        else (person.birth_date_text if person else "")
    )
    return (
        atena_no,
        person.name if person else "",
        person.name_kana if person else "",
        born,
        person.sex if person else "",
        person.postal_code if person else "",
        person.address if person else "",
        CHANGE_LABEL.get(change, change),
        REASON_LABEL.get(reason, reason),
        on.isoformat(),
        notified_on.isoformat() if notified_on else "",
        _flag(bool(person and person.protected)),
    )


# --- 所得 ------------------------------------------------------------------------------------


def assessment_day(fiscal_year: int) -> date:
    """The 賦課期日 of the 後期 premium, 4月1日 of the 年度: each 広域連合's 条例 says 「保険料の賦課
    期日は、当該年度の初日とする」 [the usual wording; not checked against every 広域連合]. The 世帯
    and the 被保険者 of that day; a person joining later is 月割 by the 広域連合."""
    return date(fiscal_year, 4, 1)


def insured_households(
    day: date, *, purpose: str, progress: Callable[[int], None] | None = None
) -> Iterator[list]:
    """Pages of ``(Inhabitant, insured)``: the persons registered at the end of ``day`` who are
    被保険者 that day or 世帯主 of a 世帯 with one — those the 軽減判定 counts. Two walks of the
    day's persons in keyset pages: the first collects the 世帯 of the 被保険者, the second hands
    out their 世帯主 and 被保険者. Memory holds the 世帯番号 of those 世帯 only; each page is a
    bounded number of queries and one audit row (the registry's)."""
    insured = BOOK.insured_on(day)
    households: set[str] = set()
    for page in _inhabitants(day, purpose):
        households.update(p.setai_no for p in page if p.atena_no in insured)
        if progress is not None:
            progress(len(page))
    for page in _inhabitants(day, purpose):
        yield [
            (p, p.atena_no in insured)
            for p in page
            if p.atena_no in insured or (p.setai_no in households and p.relationship == HEAD)
        ]
        if progress is not None:
            progress(len(page))


def _inhabitants(day: date, purpose: str) -> Iterator[list]:
    after = ""
    while True:
        page, after = registry.inhabitants_page(day, after=after, limit=PAGE, purpose=purpose)
        if page:
            yield page
        if not after:
            return


def require_assessed(fiscal_year: int) -> None:
    """The 所得 of ``fiscal_year`` are the 個人住民税's of the same 年度: refused before its 当初課税
    has finished (a file of empty 所得 would tell the 広域連合 that no one earned anything)."""
    status = tax.assessment.run_status(fiscal_year)
    if status is None or status.state != "done":
        raise ExchangeRejected(
            f"{fiscal_year}年度の個人住民税の当初課税が終わっていません（yakuba tax resident-tax assess の後に実行してください）"
        )


def count_walk(fiscal_year: int) -> int:
    """How far the 所得 file's walk goes (its progress bar): the persons of the 賦課期日, twice."""
    return 2 * registry.count_inhabitants_on(assessment_day(fiscal_year))


def export_shotoku(
    path: str, fiscal_year: int, *, encoding: str = "cp932", progress: Callable[[int], None] | None = None
) -> Exported:
    """The 所得 for the 賦課 of ``fiscal_year``: every 被保険者 on its 賦課期日 and the 世帯主 of
    their 世帯 that day, with the 所得 of the previous year from the latest assessment of the
    個人住民税 of the same 年度 (the tax door). One transaction; ``progress`` as the persons of
    the day are walked."""
    require_assessed(fiscal_year)
    day = assessment_day(fiscal_year)
    alias = require_tenant().alias
    with transaction.atomic(using=alias):
        file = _File(path, encoding, SHOTOKU_COLUMNS)
        try:
            for page in insured_households(day, purpose=PURPOSE, progress=progress):
                if not page:
                    continue
                figures = tax.assessment.figures_of([p.atena_no for p, _m in page], fiscal_year)
                file.write(
                    [_shotoku_line(fiscal_year, p, member, figures.get(p.atena_no)) for p, member in page],
                    [p.atena_no for p, _m in page],
                )
            written = file.finish()
        except BaseException:
            file.abandon()
            raise
        _remember(ExportKind.SHOTOKU, file, written, fiscal_year=fiscal_year, as_of=day)
    return Exported(ExportKind.SHOTOKU, file.rows, written[0])


def _shotoku_line(fiscal_year: int, person, member: bool, figures) -> tuple:
    amounts = (
        (
            figures.total_income,
            figures.public_pension_revenue,
            figures.pension_income,
            figures.salary_revenue,
            figures.salary_income,
            NON_TAXED if figures.non_taxable else TAXED,
        )
        if figures is not None
        else ("", "", "", "", "", "")
    )
    return (
        fiscal_year,
        person.atena_no,
        person.setai_no,
        person.relationship,
        "1" if member else "0",
        person.birth_date.isoformat() if person.birth_date else "",
        *amounts,
        _flag(person.protected),
    )
