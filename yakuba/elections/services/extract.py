"""選挙人名簿の抄本 (docs/elections.md "抄本"): the roll as of a day, per 投票区, with each voter's
氏名, 住所, 性別 and 生年月日 (公職選挙法20条 and 施行令; civil-facts §1.1 "Contents", §1.6), as one
PDF (a section per 投票区 with its counts by sex, dates in 和暦) or CSV.

- Who: the entries registered by the end of the day and not struck off by it (as the roll);
  a 表示 is printed beside the person from its day (転出 with the 転出日, 選挙権を有しない旨).
- The persons are read through the registry's door, ``residents_of`` in pages of ``PAGE`` (three
  queries a page, whatever its size): today's 氏名 and 住所 — the 名簿 follows 氏名・住所 修正
  (civil-facts §1.8) — and for a person who moved out, the last address here (the 除票).
- A 旧住所地 registration (21条2項) prints its former address and the day the person stopped
  living here (施行令; civil-facts §1.1 "Contents").
- Order: 投票区 by its code in the plan in force on the day (else by name; unplaced entries last),
  then 住所 with its numbers compared as numbers (「2番」 before 「10番」), then 宛名番号.
- 支援措置: the 抄本 made for a 閲覧 leaves out every person under 支援措置 (their part of the
  抄本 is not shown), as municipalities' 閲覧 要綱 provide — 海南市 第3条第2項:
  https://www.city.kainan.lg.jp/section/reiki/reiki_honbun/r219RG00000528.html . The 選管's own
  抄本 (the 投票所's, the 検察審査員 lottery's) lists everyone: a protected person votes too.
- Every 抄本 made is one audit row (PRINT for a PDF, EXPORT for CSV) naming the day, the 投票区,
  how many were listed and withheld.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from yakuba.address import services as address
from yakuba.elections.codes import Basis, Change, StruckOff
from yakuba.elections.models import Entry, EntryChange, Precinct
from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, record
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.municipalities import lookup as municipality_of
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

RESOURCE = "elections.extract"
PAGE = 2000
ROWS_PER_PAGE = 30
UNPLACED = "（投票区未設定）"
SEX = {1: "男", 2: "女"}
# The 選管 reads every voter, 支援措置 or not; what is shown is decided per use below.
SEE_ALL = registry.Visibility(protected=True, juminhyo_code=False, domicile=False)
CSV_COLUMNS = ("投票区", "番号", "氏名", "住所", "性別", "生年月日", "備考")
ENTRY_COLUMNS = (
    "atena_no",
    "tohyoku",
    "marked_on",
    "moved_out_on",
    "lost_suffrage_on",
    "suffrage_restored_on",
    "basis",
    "former_address",
    "left_on",
    "id",
)
_TOKENS = re.compile(r"[0-9]+|[〇一二三四五六七八九十百千]+|[^0-9〇一二三四五六七八九十百千]+")


class ExtractRefused(ValueError):
    """The 抄本 cannot be made: ``field`` (the API's name; the CLI's ``--field``) and why."""

    def __init__(self, field: str, message: str):
        super().__init__(f"--{field.replace('_', '-')}: {message}")
        self.field, self.message = field, message


# 公職選挙法 (昭和25年法律第100号) came into force on 1950-05-01: no roll of this law before it.
FIRST_DAY = date(1950, 5, 1)


@dataclass(frozen=True, slots=True)
class ExtractLine:
    atena_no: str
    name: str
    address: str
    sex: str
    birth_date: date | None
    birth_text: str  # 和暦, or the registry's 不詳 text
    note: str  # 表示 or 旧住所地
    protected: bool


@dataclass(frozen=True)
class Section:
    tohyoku: str
    lines: list[ExtractLine]

    @cached_property
    def men(self) -> int:
        return sum(1 for x in self.lines if x.sex == "男")

    @cached_property
    def women(self) -> int:
        return sum(1 for x in self.lines if x.sex == "女")

    @cached_property
    def pages(self) -> list[list[tuple[int, ExtractLine]]]:
        """The numbered lines, ``ROWS_PER_PAGE`` a printed page: WeasyPrint lays out many short
        tables far faster than one long table split across pages."""
        numbered = list(enumerate(self.lines, 1))
        return [numbered[i : i + ROWS_PER_PAGE] for i in range(0, len(numbered), ROWS_PER_PAGE)] or [[]]


@dataclass(frozen=True)
class Extract:
    lg_code: str
    as_of: date
    sections: list[Section]
    for_viewing: bool
    withheld: int  # persons under 支援措置 left out of a 閲覧's 抄本

    @property
    def count(self) -> int:
        return sum(len(s.lines) for s in self.sections)


def address_key(text: str) -> tuple:
    """A 住所 as a sort key whose numbers (算用 or 漢数字) compare as numbers: 「一丁目2番」 <
    「一丁目10番」 < 「二丁目1番」."""
    key = []
    for token in _TOKENS.findall(unicodedata.normalize("NFKC", text)):
        number = address.block_number(token)
        key.append((0, number, "") if number is not None else (1, 0, token))
    return tuple(key)


def precinct_order(as_of: date) -> dict[str, str]:
    """{投票区名: its code} in the plan in force on ``as_of`` (one query; {} without a plan)."""
    rows = (
        Precinct.objects.filter(plan__effective_from__lte=as_of)
        .order_by("-plan__effective_from", "code")
        .values_list("plan_id", "name", "code")
    )
    order: dict[str, str] = {}
    plan = None
    for plan_id, name, code in rows:
        if plan is not None and plan_id != plan:
            break
        plan = plan_id
        order.setdefault(name, code)
    return order


def _section_key(order: dict[str, str]):
    """投票区 by their plan's code (numbers as numbers), those outside the plan by name, unplaced last."""
    return lambda n: (n == UNPLACED, n not in order, address_key(order.get(n, n)))


def precinct_names(as_of: date) -> list[str]:
    """The 投票区 a 抄本 or a 閲覧 may name on ``as_of``: the plan's and those on the roll (two queries)."""
    order = precinct_order(as_of)
    on_roll = Entry.objects.values_list("tohyoku", flat=True).distinct()
    return sorted(set(order) | {t or UNPLACED for t in on_roll}, key=_section_key(order))


def _entries(as_of: date, tohyokus: Iterable[str] | None, atena_nos: Iterable[str] | None) -> list[tuple]:
    """The entries on the roll at the end of ``as_of``, each with its 投票区 of that day (a row's
    second item): the one it is in now, unless a 投票区の変更 came after the day — then the
    ``from`` of the first such change (a 転居 or a new plan moves an entry: ``services.precincts``)."""
    rows = Entry.objects.filter(registered_on__lte=as_of).filter(
        Q(struck_off_on__isnull=True) | Q(struck_off_on__gt=as_of)
    )
    later = EntryChange.objects.filter(change=Change.MOVED, on__gt=as_of)
    if atena_nos is not None:
        rows = rows.filter(atena_no__in=list(atena_nos))
    wanted = None if tohyokus is None else {"" if t == UNPLACED else t for t in tohyokus}
    if wanted is not None:
        rows = rows.filter(Q(tohyoku__in=wanted) | Q(id__in=later.values("entry_id")))
    then: dict[int, str] = {}
    for entry_id, detail in later.order_by("entry_id", "on", "id").values_list("entry_id", "detail"):
        then.setdefault(entry_id, detail.get("from", ""))
    found = []
    for row in rows.values_list(*ENTRY_COLUMNS):
        tohyoku = then.get(row[-1], row[1])
        if wanted is None or tohyoku in wanted:
            found.append((row[0], tohyoku, *row[2:]))
    return found


def _records(atena_nos: list[str]) -> dict:
    found = {}
    for start in range(0, len(atena_nos), PAGE):
        found |= registry.residents_of(atena_nos[start : start + PAGE], visibility=SEE_ALL)
    return found


def _note(row: tuple, as_of: date) -> str:
    _a, _t, marked, moved, lost, restored, basis, _former, left, _id = row
    notes = []
    if basis == Basis.FORMER_ADDRESS:
        notes.append(
            f"旧住所地（法第21条第2項）、住所を有しなくなった日 {format_wareki(left)}" if left else "旧住所地"
        )
    if marked and marked <= as_of:
        notes.append(f"表示（転出 {format_wareki(moved or marked)}）")
    if lost and lost <= as_of and not (restored and restored <= as_of):
        notes.append("表示（選挙権を有しない旨）")
    return "、".join(notes)


def make_extract(
    as_of: date,
    *,
    tohyokus: Iterable[str] | None = None,
    atena_nos: Iterable[str] | None = None,
    for_viewing: bool = False,
) -> Extract:
    """The 抄本 at the end of ``as_of`` — of the 投票区 named in ``tohyokus`` (``UNPLACED``: the
    entries no plan line covered), of the named persons when ``atena_nos`` is (a 閲覧's check).
    Records nothing: the caller audits what it prints or shows (``print_extract``, the 閲覧)."""
    rows = _entries(as_of, tohyokus, atena_nos)
    people = _records(sorted({r[0] for r in rows}))
    order = precinct_order(as_of)
    by_tohyoku: dict[str, list[ExtractLine]] = {}
    withheld = 0
    for row in rows:
        rec = people.get(row[0])
        if rec is None:
            continue  # no record at all: nothing to print (never happens for a registered person)
        if for_viewing and rec.protected:
            withheld += 1
            continue
        former = row[6] == Basis.FORMER_ADDRESS and row[7]
        line = ExtractLine(
            rec.atena_no,
            rec.name,
            row[7] if former else " ".join(p for p in (rec.address, rec.address_extra) if p),
            SEX.get(rec.sex, ""),
            rec.birth_date,
            format_wareki(rec.birth_date) if rec.birth_date else rec.birth_date_text,
            _note(row, as_of),
            rec.protected,
        )
        by_tohyoku.setdefault(row[1] or UNPLACED, []).append(line)
    names = sorted(by_tohyoku, key=_section_key(order))
    sections = [
        Section(n, sorted(by_tohyoku[n], key=lambda x: (address_key(x.address), x.atena_no))) for n in names
    ]
    return Extract(require_tenant().lg_code, as_of, sections, for_viewing, withheld)


def check_day(as_of: date) -> None:
    """A 抄本 is of a day the roll has been kept on: not in the future, not before the law."""
    if as_of > timezone.localdate():
        raise ExtractRefused("as_of", f"未来の日の抄本は作れません（{as_of}）")
    if as_of < FIRST_DAY:
        raise ExtractRefused("as_of", f"公職選挙法の施行（昭和25年5月1日）より前の日です（{as_of}）")


def print_extract(
    as_of: date, *, tohyoku: str | None = None, output: str = "pdf", for_viewing: bool = False
) -> tuple[bytes, Extract]:
    """The 抄本 as PDF or CSV (BOM, CRLF) and what it holds; one audit row (PRINT / EXPORT)."""
    if output not in ("pdf", "csv"):
        raise ExtractRefused("format", f"pdf か csv を指定してください（{output}）")
    check_day(as_of)
    made = make_extract(as_of, tohyokus=None if tohyoku is None else [tohyoku], for_viewing=for_viewing)
    if tohyoku not in (None, UNPLACED) and not made.count and not made.withheld:
        if tohyoku not in precinct_names(as_of):
            raise ExtractRefused("tohyoku", f"投票区「{tohyoku}」はありません（{as_of} の選挙人名簿）")
    body = render_pdf(made) if output == "pdf" else render_csv(made)
    _audit(made, tohyoku=tohyoku, output=output)
    return body, made


def _audit(made: Extract, *, tohyoku: str | None, output: str, **more) -> None:
    record(
        Action.PRINT if output == "pdf" else Action.EXPORT,
        RESOURCE,
        purpose="選挙人名簿抄本の閲覧" if made.for_viewing else "選挙人名簿抄本の作成",
        detail={
            "as_of": made.as_of.isoformat(),
            "tohyoku": tohyoku or "",
            "format": output,
            "count": made.count,
            "withheld": made.withheld,
            "for_viewing": made.for_viewing,
            **more,
        },
    )


@dataclass(frozen=True)
class SectionFile:
    """One 投票区's 抄本 as a file of its own (``print_batch``: a print shop's one file per 投票区)."""

    filename: str
    extract: Extract


@dataclass(frozen=True)
class SectionFiles:
    """A page for ``platform.print_batch.print_pages``: every 投票区 at once, then nothing."""

    documents: list[SectionFile]
    withheld: list[str]
    heading: str
    last: str


def section_files(as_of: date, *, for_viewing: bool = False, after: str = "") -> SectionFiles:
    """The 抄本 as one PDF per 投票区 (``shohon-DAY-NNN-投票区名.pdf``, NNN the 投票区's order),
    rendered by the caller on forked workers: the first call reads it all with one audit row, the
    next (``after`` given) ends the batch."""
    if after:
        return SectionFiles([], [], "", "")
    made = make_extract(as_of, for_viewing=for_viewing)
    documents = [
        SectionFile(
            f"shohon-{as_of}-{n:03d}-{s.tohyoku.replace('/', '／')}.pdf",
            Extract(made.lg_code, as_of, [s], for_viewing, 0),
        )
        for n, s in enumerate(made.sections, 1)
    ]
    _audit(made, tohyoku=None, output="pdf", files=len(documents))
    # Persons under 支援措置 are left out of a 閲覧's copy without being listed (their 宛名番号
    # would name them on the operator's screen); the audit row counts them.
    return SectionFiles(documents, [], "", "end")


def render_section(document: SectionFile, _heading: str) -> bytes:
    """One 投票区's PDF (no database: runs on a forked worker)."""
    return render_pdf(document.extract)


def render_csv(made: Extract) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for section in made.sections:
        for n, x in enumerate(section.lines, 1):
            writer.writerow([section.tohyoku, n, x.name, x.address, x.sex, x.birth_text, x.note])
    return ("\ufeff" + out.getvalue()).encode()


def render_pdf(made: Extract) -> bytes:
    municipality = municipality_of(made.lg_code)
    return pdf.render(
        "elections/pdf/extract.html",
        {
            "title": "選挙人名簿抄本（閲覧用）" if made.for_viewing else "選挙人名簿抄本",
            "municipality": municipality.full_name,
            "board": f"{municipality.name}選挙管理委員会",
            "as_of": format_wareki(made.as_of),
            "sections": made.sections,
            "withheld": made.withheld,
        },
    )


# --- the screens' reads: a page of the roll with names, one person's entries ----------------

HIDDEN = "（支援措置対象のため表示しません）"


@dataclass(frozen=True, slots=True)
class RollLine:
    atena_no: str
    name: str
    address: str
    sex: str
    birth_text: str
    tohyoku: str
    note: str
    protected: bool


def roll_page(as_of: date, *, tohyoku: str | None, after: str, limit: int = 50) -> tuple[list[RollLine], str]:
    """A page of the roll at the end of ``as_of`` in 宛名番号 order (keyset: after ``after``), with
    the 氏名 etc. of its persons — four queries whatever the page, one audit row naming them. The
    address of a person under 支援措置 is not shown on a screen (as on the registry's screens)."""
    rows = Entry.objects.filter(registered_on__lte=as_of, atena_no__gt=after).filter(
        Q(struck_off_on__isnull=True) | Q(struck_off_on__gt=as_of)
    )
    if tohyoku is not None:
        rows = rows.filter(tohyoku="" if tohyoku == UNPLACED else tohyoku)
    page = list(rows.order_by("atena_no").values_list(*ENTRY_COLUMNS)[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    people = _records([r[0] for r in page])
    lines = []
    for row in page:
        rec = people.get(row[0])
        if rec is None:
            continue
        lines.append(
            RollLine(
                rec.atena_no,
                rec.name,
                HIDDEN if rec.protected else " ".join(p for p in (rec.address, rec.address_extra) if p),
                SEX.get(rec.sex, ""),
                format_wareki(rec.birth_date) if rec.birth_date else rec.birth_date_text,
                row[1] or UNPLACED,
                _note(row, as_of),
                rec.protected,
            )
        )
    record(
        Action.READ,
        RESOURCE,
        subjects=[x.atena_no for x in lines],
        purpose="選挙人名簿の参照",
        detail={"as_of": as_of.isoformat(), "tohyoku": tohyoku or ""},
    )
    return lines, (page[-1][0] if more else "")


@dataclass(frozen=True)
class EntryView:
    registered_on: date
    tohyoku: str
    basis: str
    note: str
    struck_off_on: date | None
    struck_off_reason: str
    changes: list[tuple[date, str, str]]  # (日, 種別, 内容)


@dataclass(frozen=True)
class PersonEntries:
    atena_no: str
    name: str
    address: str
    protected: bool
    entries: list[EntryView]


def _change_text(change: str, detail: dict) -> str:
    if change == Change.MOVED:
        return f"{detail.get('from') or UNPLACED} → {detail.get('to') or UNPLACED}"
    if change == Change.MARKED and detail.get("moved_out_on"):
        return f"転出日 {detail['moved_out_on']}"
    if change == Change.STRUCK_OFF and detail.get("reason") in StruckOff.values:
        return StruckOff(detail["reason"]).label
    return detail.get("tohyoku", "") or detail.get("reason", "")


def person_entries(atena_no: str) -> PersonEntries | None:
    """Every entry of a person (open or struck off, newest first) with its history lines — three
    queries and the registry's three; one audit row. None when the person was never on the roll."""
    entries = list(Entry.objects.filter(atena_no=atena_no).order_by("-registered_on", "-id"))
    if not entries:
        return None
    changes: dict[int, list] = {}
    for entry_id, change, on, detail in (
        EntryChange.objects.filter(entry__in=entries)
        .order_by("id")
        .values_list("entry_id", "change", "on", "detail")
    ):
        changes.setdefault(entry_id, []).append((on, Change(change).label, _change_text(change, detail)))
    rec = _records([atena_no]).get(atena_no)
    today = timezone.localdate()
    record(Action.READ, RESOURCE, subjects=[atena_no], purpose="選挙人名簿の参照")
    return PersonEntries(
        atena_no,
        rec.name if rec else "",
        HIDDEN
        if rec is None or rec.protected
        else " ".join(p for p in (rec.address, rec.address_extra) if p),
        bool(rec and rec.protected),
        [
            EntryView(
                e.registered_on,
                e.tohyoku or UNPLACED,
                Basis(e.basis).label,
                _note(tuple(getattr(e, c) for c in ENTRY_COLUMNS), today),
                e.struck_off_on,
                StruckOff(e.struck_off_reason).label if e.struck_off_reason else "",
                changes.get(e.id, []),
            )
            for e in entries
        ],
    )
