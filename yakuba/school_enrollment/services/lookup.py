"""Reading the kept 学齢簿 (docs/school_enrollment.md, "Screens and exports"): a page of children
with their 指定学校 (keyset on 宛名番号, filtered by school and 学年), one child's record with its
history and designations, the whole list for CSV/XLSX. Every read is one audit row.

The 指定学校 of a child on a day (学校教育法施行令 第5条第2項, 第8条, 第9条): the school of the
latest 指定校変更 or 区域外就学 record covering the day for the child's level (小学校 up to the
6th school year, then 中学校), else the 通学区域's. It is worked in the page's one query.

The 学齢簿 on a day: the entries added by then and not closed by then (a 転出 written ahead closes
on its 転出予定日, so the child is listed until that day); a child whose compulsory schooling
ended before the day is not listed, though the next 編製 is what closes the entry.

支援措置: a protected child is listed (the school must expect the child) without the address,
unless the caller may see protected persons (``Visibility.protected``) — as ``services/roll.py``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.db import connections
from django.utils import timezone

from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.school_enrollment.codes import Added, Change, Closed, DesignationKind, WorkKind, WorkStatus
from yakuba.school_enrollment.models import Designation, RollChange, RollEntry, WorkItem
from yakuba.school_enrollment.services import districts

RESOURCE = "school_enrollment.book"
PURPOSE = "学齢簿の照会"
HIDDEN_ADDRESS = "（支援措置対象のため表示しません）"
EXPORT_COLUMNS = (
    "宛名番号",
    "氏名",
    "氏名カナ",
    "生年月日",
    "学年",
    "入学年",
    "住所",
    "保護者宛名番号",
    "指定学校",
    "指定の根拠",
    "支援措置",
)

_SQL = """
SELECT e.atena_no, e.name, e.name_kana, e.birth_date, e.address, e.guardian_atena_no, e.entry_year,
       e.elementary_code, e.junior_code, d.kind, d.school_code, d.school_name
  FROM school_enrollment_roll_entry e
  LEFT JOIN LATERAL (
        SELECT kind, school_code, school_name FROM school_enrollment_designation d
         WHERE d.lg_code = e.lg_code AND d.atena_no = e.atena_no
           AND d.level = CASE WHEN %(school_year)s - e.entry_year >= 6 THEN 'junior' ELSE 'elementary' END
           AND d.starts_on <= %(on)s AND (d.ends_on IS NULL OR d.ends_on >= %(on)s)
         ORDER BY d.approved_on DESC, d.id DESC LIMIT 1) d ON true
 WHERE e.lg_code = %(lg)s AND (e.closed_on IS NULL OR e.closed_on > %(on)s) AND e.added_on <= %(on)s
   AND e.compulsory_until >= %(on)s AND e.atena_no > %(after)s
   AND (%(entry_year)s::int IS NULL OR e.entry_year = %(entry_year)s)
   AND (%(atena_nos)s::text[] IS NULL OR e.atena_no = ANY(%(atena_nos)s))
   AND (%(school)s::text IS NULL OR %(school)s = CASE
            WHEN d.kind IS NOT NULL THEN d.school_code
            WHEN %(school_year)s - e.entry_year >= 6 THEN e.junior_code ELSE e.elementary_code END)
 ORDER BY e.atena_no
 LIMIT %(limit)s
"""


@dataclass(frozen=True, slots=True)
class Line:
    atena_no: str
    name: str
    name_kana: str
    birth_date: date
    grade: int  # 0 就学予定者, 1–6 小学校, 7–9 中学校
    entry_year: int
    address: str  # HIDDEN_ADDRESS for a protected child unless the caller may see them
    guardian_atena_no: str
    school_code: str
    school_name: str  # "" when no district line and no designation: the clerk designates
    designation: str  # "" (通学区域), 指定校変更, 区域外就学
    protected: bool

    @property
    def grade_label(self) -> str:
        if self.grade <= 0:
            return "就学予定"
        return f"小{self.grade}" if self.grade <= 6 else f"中{self.grade - 6}"


def school_year(on: date) -> int:
    return on.year if on.month >= 4 else on.year - 1


def entry_year_of_grade(grade: int, on: date) -> int:
    """The entry year of the children in ``grade`` (0 = 就学予定者) on ``on``."""
    return school_year(on) - grade + 1


def _lines(rows, on: date, visibility: registry.Visibility) -> list[Line]:
    names = districts.school_names()
    protected = registry.protected_among([r[0] for r in rows]) if rows else set()  # today's 支援措置
    out = []
    for (
        atena_no,
        name,
        kana,
        birth,
        address,
        guardian,
        entry_year,
        e_code,
        j_code,
        kind,
        d_code,
        d_name,
    ) in rows:
        grade = school_year(on) - entry_year + 1
        code = d_code if kind else (j_code if grade >= 7 else e_code)
        hidden = atena_no in protected and not visibility.protected
        out.append(
            Line(
                atena_no, name, kana, birth, max(grade, 0), entry_year, HIDDEN_ADDRESS if hidden else address,
                guardian, code, d_name if kind else names.get(code, ""),
                DesignationKind(kind).label if kind else "",
                atena_no in protected,
            )
        )  # fmt: skip
    return out


def _query(
    on: date,
    *,
    after: str = "",
    limit: int,
    school: str | None = None,
    entry_year: int | None = None,
    atena_nos=None,
):
    params = {
        "lg": require_tenant().lg_code,
        "on": on,
        "school_year": school_year(on),
        "after": after,
        "limit": limit,
        "entry_year": entry_year,
        "school": school or None,
        "atena_nos": list(atena_nos) if atena_nos is not None else None,
    }
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(_SQL, params)
        return cursor.fetchall()


def page(
    *,
    after: str = "",
    limit: int = 50,
    school: str | None = None,
    grade: int | None = None,
    on: date | None = None,
    visibility: registry.Visibility,
) -> tuple[list[Line], str]:
    """A page of open entries after ``after`` (宛名番号) and the key of the next page ("" at the end)."""
    day = on or timezone.localdate()
    year = entry_year_of_grade(grade, day) if grade is not None else None
    rows = _query(day, after=after, limit=limit + 1, school=school, entry_year=year)
    lines = _lines(rows[:limit], day, visibility)
    record(
        Action.READ,
        RESOURCE,
        purpose=PURPOSE,
        subjects=[line.atena_no for line in lines],
        detail={"school": school or "", "grade": grade, "after": after},
    )
    return lines, (lines[-1].atena_no if len(rows) > limit else "")


def page_for_print(entry_year: int, *, after: str, limit: int, on: date) -> tuple[list[Line], str]:
    """A page of the cohort entering on ``entry_year``-04-01 with the address of every child (the
    caller leaves out the protected ones and records its print)."""
    rows = _query(on, after=after, limit=limit + 1, entry_year=entry_year)
    lines = _lines(rows[:limit], on, registry.Visibility(protected=True))
    return lines, (lines[-1].atena_no if len(rows) > limit else "")


def schools_of(atena_nos: list[str], *, on: date) -> dict[str, str]:
    """{宛名番号: 指定学校名} of the children named who are on the kept 学齢簿 (the on-demand roll's
    ``school``) — two queries, no personal data read beyond the school."""
    if not atena_nos:
        return {}
    names = districts.school_names()
    found = {}
    for row in _query(on, limit=len(atena_nos), atena_nos=atena_nos):
        atena_no, entry_year, e_code, j_code, kind, d_code, d_name = row[0], *row[6:]
        code = d_code if kind else (j_code if school_year(on) - entry_year >= 6 else e_code)
        found[atena_no] = d_name if kind else names.get(code, "")
    return found


def lines_of(atena_nos: list[str], *, on: date, visibility: registry.Visibility) -> list[Line]:
    """The lines of the children named (a notice page); the caller records its own print."""
    return _lines(_query(on, limit=len(atena_nos) or 1, atena_nos=atena_nos), on, visibility)


@dataclass(frozen=True)
class HistoryLine:
    on: date
    change: str  # Change label
    summary: str  # in Japanese


@dataclass(frozen=True)
class Record:
    line: Line | None  # None: no open entry (moved out, graduated)
    entries: list[RollEntry]  # every entry of the child, newest first
    history: list[HistoryLine]
    designations: list[Designation]


_ITEMS = {
    "address": "住所",
    "setai_no": "世帯番号",
    "name": "氏名",
    "guardian_atena_no": "保護者",
    "reason": "根拠",
}


def _summary(change: RollChange) -> str:
    """A history line in words (the detail is stored as data)."""
    d = change.detail
    if change.change == Change.ADDED:
        return f"記載事由: {Added(d['reason']).label}　住所: {d.get('address', '')}"
    if change.change == Change.CLOSED:
        return f"消除事由: {Closed(d['reason']).label}"
    if change.change == Change.DESIGNATED:
        period = f"{d['ends_on']}まで" if d.get("ends_on") else "卒業まで"
        return f"{DesignationKind(d['kind']).label}: {d['school']}（{d['reason']}、承認日 {d['approved_on']}、{period}）"
    return "　".join(
        f"{_ITEMS.get(k, k)}: {v[0] or '—'} → {v[1]}" if isinstance(v, list) else f"{_ITEMS.get(k, k)}: {v}"
        for k, v in d.items()
    )


def child(atena_no: str, *, visibility: registry.Visibility) -> Record | None:
    """One child's 学齢簿 record with its history (None: never on the 学齢簿, or hidden from the
    caller by 支援措置 — as the registry's own reads)."""
    entries = list(RollEntry.objects.filter(atena_no=atena_no).order_by("-id"))
    if not entries:
        return None
    today = timezone.localdate()
    protected = atena_no in registry.protected_among([atena_no], today)
    if protected and not visibility.protected:
        return None
    lines = _lines(_query(today, limit=1, atena_nos=[atena_no]), today, visibility)
    history = [
        HistoryLine(c.on, c.get_change_display(), _summary(c))
        for c in RollChange.objects.filter(entry__atena_no=atena_no).order_by("id")
    ]
    designations = list(Designation.objects.filter(atena_no=atena_no).order_by("-approved_on", "-id"))
    record(Action.READ, RESOURCE, purpose=PURPOSE, subjects=[atena_no])
    return Record(lines[0] if lines else None, entries, history, designations)


def export(
    *, fmt: str, school: str | None = None, grade: int | None = None, visibility: registry.Visibility
) -> bytes:
    """The whole list (filtered) as CSV (UTF-8 with a BOM, CRLF) or XLSX — one query, one audit row
    (``export``) with the count."""
    today = timezone.localdate()
    year = entry_year_of_grade(grade, today) if grade is not None else None
    lines = _lines(_query(today, limit=10_000_000, school=school, entry_year=year), today, visibility)
    rows = [
        (x.atena_no, x.name, x.name_kana, x.birth_date.isoformat(), x.grade_label, x.entry_year, x.address,
         x.guardian_atena_no, x.school_name, x.designation or "通学区域", "対象" if x.protected else "")
        for x in lines
    ]  # fmt: skip
    record(
        Action.EXPORT,
        RESOURCE,
        purpose="学齢簿の出力",
        detail={"format": fmt, "school": school or "", "grade": grade, "count": len(rows)},
    )
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("学齢簿")
        sheet.append(EXPORT_COLUMNS)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(rows)
    return ("\ufeff" + text.getvalue()).encode()


def open_work_count() -> int:
    return WorkItem.objects.filter(status=WorkStatus.OPEN).count()


def open_work(limit: int = 200) -> list[dict]:
    """The oldest open work items (a late 転入's notice to send), each with its label."""
    labels = dict(WorkKind.choices)
    items = WorkItem.objects.filter(status=WorkStatus.OPEN).order_by("due_on", "id")
    return [
        {**item, "label": labels[item["kind"]]}
        for item in items.values("kind", "atena_no", "entry_year", "due_on")[:limit]
    ]
