"""交付履歴: search, the daily 手数料 reconciliation as CSV, void and re-issue.

住民記録システム標準仕様書 §1 (管理項目: 交付履歴): who issued which certificate, when, for whom,
with which items, and the 手数料 collected or exempted. The ledger names persons only by
宛名番号 (its readers may not see everyone), and every read of it is audited.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from yakuba.certificates.codes import Kind, Requester
from yakuba.certificates.models import Certificate
from yakuba.platform.audit import log as audit_log
from yakuba.platform.audit.log import Action, current_actor
from yakuba.registry.services import NotFound, RuleViolation

PAGE = 100
CSV_COLUMNS = [
    ("number", "証明書番号"),
    ("issued_at", "発行日時"),
    ("kind", "種類"),
    ("pages", "枚数"),
    ("requester", "請求者の区分"),
    ("requester_name", "請求者"),
    ("official_use", "公用"),
    ("fee", "手数料"),
    ("fee_exempt_reason", "免除の理由"),
    ("actor", "発行者"),
    ("terminal", "端末"),
    ("atena_nos", "記載した住民（宛名番号）"),
    ("voided", "取消し"),
]


@dataclass(frozen=True)
class Entry:
    number: str
    kind: str
    layout: str
    issued_at: datetime
    pages: int
    requester: str
    requester_name: str
    purpose: str
    official_use: bool
    fee: int
    fee_exempt_reason: str
    actor: str
    terminal: str
    atena_nos: list[str]
    setai_no: str
    reissue_of: str
    voided_at: datetime | None
    void_reason: str

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label if self.kind in Kind.values else self.kind

    @property
    def requester_label(self) -> str:
        return Requester(self.requester).label if self.requester in Requester.values else self.requester


def _entry(row: Certificate) -> Entry:
    return Entry(
        number=row.number,
        kind=row.kind,
        layout=row.layout,
        issued_at=row.issued_at,
        pages=row.pages,
        requester=row.requester,
        requester_name=row.requester_name,
        purpose=row.purpose,
        official_use=row.official_use,
        fee=row.fee,
        fee_exempt_reason=row.fee_exempt_reason,
        actor=row.actor,
        terminal=row.terminal,
        atena_nos=list(row.atena_nos),
        setai_no=row.setai_no,
        reissue_of=row.reissue_of.number if row.reissue_of_id else "",
        voided_at=row.voided_at,
        void_reason=row.void_reason,
    )


def _day_range(first: date, last: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return start, end


def search(
    first: date, last: date, *, kind: str = "", actor: str = "", atena_no: str = "", after: str = ""
) -> list[Entry]:
    """Certificates issued from ``first`` to ``last`` (local days), newest first, a page at a
    time (keyset on the number: ``after`` is the last number of the page before)."""
    if last < first or (last - first).days > 366:
        raise RuleViolation([("last", "期間は1年以内で、終わりの日は始めの日以後にしてください")])
    start, end = _day_range(first, last)
    rows = Certificate.objects.filter(issued_at__gte=start, issued_at__lt=end).select_related("reissue_of")
    if kind:
        rows = rows.filter(kind=kind)
    if actor:
        rows = rows.filter(actor=actor)
    if atena_no:
        rows = rows.filter(atena_nos__contains=[atena_no])
    if after:
        rows = rows.filter(number__lt=after)
    found = [_entry(r) for r in rows.order_by("-number")[:PAGE]]
    audit_log.record(
        Action.SEARCH,
        "certificate",
        subjects=sorted({a for e in found for a in e.atena_nos}),
        detail={"first": first.isoformat(), "last": last.isoformat(), "kind": kind, "actor": actor},
    )
    return found


def daily_csv(day: date) -> str:
    """The day's certificates for the 手数料 reconciliation (UTF-8 with BOM, Excel opens it)."""
    start, end = _day_range(day, day)
    rows = Certificate.objects.filter(issued_at__gte=start, issued_at__lt=end).order_by("number")
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _key, label in CSV_COLUMNS])
    subjects: set[str] = set()
    total = 0
    for row in rows.iterator():
        e = _entry(row)
        subjects |= set(e.atena_nos)
        if not e.voided_at:
            total += e.fee
        writer.writerow(
            [
                e.number,
                timezone.localtime(e.issued_at).strftime("%Y-%m-%d %H:%M:%S"),
                e.kind_label,
                e.pages,
                e.requester_label,
                e.requester_name,
                "公用" if e.official_use else "",
                e.fee,
                e.fee_exempt_reason,
                e.actor,
                e.terminal,
                " ".join(e.atena_nos),
                "取消し" if e.voided_at else "",
            ]
        )
    writer.writerow(["合計", "", "", "", "", "", "", total, "", "", "", "", ""])
    audit_log.record(Action.EXPORT, "certificate", subjects=sorted(subjects), detail={"day": day.isoformat()})
    return out.getvalue()


def get(number: str) -> Certificate:
    row = Certificate.objects.filter(number=number).select_related("reissue_of").first()
    if row is None:
        raise NotFound(number)
    return row


def void(number: str, *, reason: str) -> Entry:
    """取消し of a certificate handed back or printed wrongly: it stays in the ledger, marked,
    and verification no longer answers genuine for it."""
    if not reason.strip():
        raise RuleViolation([("reason", "取消しの理由を入力してください")])
    row = get(number)
    if row.voided_at:
        raise RuleViolation([("number", f"証明書 {number} はすでに取り消されています")])
    row.voided_at = timezone.now()
    row.voided_by = current_actor().name
    row.void_reason = reason.strip()[:200]
    row.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_log.record(
        Action.UPDATE, "certificate", subjects=row.atena_nos, detail={"number": number, "void": reason}
    )
    return _entry(row)
