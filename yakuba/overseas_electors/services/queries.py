"""Reads of the 在外選挙人名簿 for the screens, the API and the CLI: the book as of a day (keyset
pages by 在外選挙人証番号), one entry with its history and notices, the applications waiting, the
出国時申請 work items and the 附票 notices to send. Each read of personal data is one audit row;
each list is a fixed number of queries whatever its length.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from yakuba.overseas_electors.codes import Basis, Change, LeadStatus, Status
from yakuba.overseas_electors.models import AnnexNotice, Application, DepartureLead, Entry, EntryChange
from yakuba.overseas_electors.services import entries
from yakuba.overseas_electors.services.applications import Refused
from yakuba.overseas_electors.services.entries import PURPOSE, RESOURCE
from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, record
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.tenancy.context import require_tenant

PAGE = 50


@dataclass(frozen=True, slots=True)
class Line:
    card_no: str
    atena_no: str
    name: str
    birth_date: date
    basis: str
    mission: str
    registered_on: date
    came_home_on: date | None


@dataclass(frozen=True)
class EntryView:
    entry: Entry
    history: list[EntryChange]
    notices: list[AnnexNotice]


COLUMNS = ("card_no", "atena_no", "name", "birth_date", "basis", "mission", "registered_on", "came_home_on")
CSV_COLUMNS = (
    "在外選挙人証番号",
    "宛名番号",
    "氏名",
    "生年月日",
    "登録の根拠",
    "在外公館",
    "登録日",
    "国内住所を定めた日",
)


def _on_book(as_of: date):
    """Entries registered by the end of ``as_of`` and not struck off by it, by 在外選挙人証番号."""
    return (
        Entry.objects.filter(registered_on__lte=as_of)
        .filter(Q(struck_off_on__isnull=True) | Q(struck_off_on__gt=as_of))
        .order_by("card_no")
        .values_list(*COLUMNS)
    )


def book(as_of: date, *, after: str = "", limit: int = PAGE) -> tuple[list[Line], str]:
    """A page of the book as of ``as_of``: ``limit`` entries after the 在外選挙人証番号 ``after``, and
    the number to continue after ("" at the end)."""
    rows = list(_on_book(as_of).filter(card_no__gt=after)[: limit + 1])
    lines = [Line(*row) for row in rows[:limit]]
    record(Action.READ, RESOURCE, purpose=PURPOSE, subjects=sorted({x.atena_no for x in lines if x.atena_no}),
           detail={"as_of": as_of.isoformat(), "after": after, "count": len(lines)})  # fmt: skip
    return lines, lines[-1].card_no if len(rows) > limit else ""


def book_csv(as_of: date) -> str:
    """The whole book as of ``as_of`` as CSV (UTF-8 with a BOM, CRLF, ``CSV_COLUMNS``): one query,
    one audit row (EXPORT)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in _on_book(as_of).iterator(chunk_size=2000):
        line = Line(*row)
        writer.writerow([line.card_no, line.atena_no, line.name, line.birth_date, Basis(line.basis).label,
                         line.mission, line.registered_on, line.came_home_on or ""])  # fmt: skip
        count += 1
    record(Action.EXPORT, RESOURCE, purpose=PURPOSE, detail={"as_of": as_of.isoformat(), "count": count})
    return "\ufeff" + out.getvalue()


def entry(card_no: str) -> EntryView:
    row = Entry.objects.filter(card_no=card_no).select_related("application").first()
    if row is None:
        raise Refused([("card_no", f"在外選挙人証番号 {card_no} の登録は見つかりません")])
    record(Action.READ, RESOURCE, purpose=PURPOSE, subjects=[row.atena_no] if row.atena_no else [],
           detail={"card_no": card_no})  # fmt: skip
    return EntryView(row, list(row.changes.order_by("id")), list(row.notices.order_by("id")))


def pending() -> list[Application]:
    """Applications waiting (oldest first)."""
    rows = list(Application.objects.filter(status=Status.PENDING).order_by("id"))
    record(Action.READ, "overseas_electors.application", purpose=PURPOSE,
           subjects=sorted({a.atena_no for a in rows if a.atena_no}), detail={"pending": len(rows)})  # fmt: skip
    return rows


def open_leads(today: date) -> list[DepartureLead]:
    """国外転出 whose 出国時申請 window is still open on ``today`` (the 転出予定日 not passed)."""
    return list(
        DepartureLead.objects.filter(status=LeadStatus.OPEN, planned_on__gte=today).order_by(
            "planned_on", "id"
        )
    )


def open_lead_count(today: date) -> int:
    return DepartureLead.objects.filter(status=LeadStatus.OPEN, planned_on__gte=today).count()


def notices_to_send_count() -> int:
    return AnnexNotice.objects.filter(sent_on__isnull=True).count()


def notices_to_send() -> list[AnnexNotice]:
    return list(AnnexNotice.objects.filter(sent_on__isnull=True).select_related("entry").order_by("id"))


def mark_sent(ids: list[int], on: date) -> int:
    """The clerk sent these 附票 notices to their 本籍地 on ``on``."""
    done = AnnexNotice.objects.filter(pk__in=ids, sent_on__isnull=True).update(sent_on=on)
    record(
        Action.UPDATE,
        "overseas_electors.notice",
        purpose=PURPOSE,
        detail={"sent": done, "on": on.isoformat()},
    )
    return done


NOTICE_WORDS = {
    Change.REGISTERED: "在外選挙人名簿に登録した旨",
    Change.STRUCK_OFF: "在外選挙人名簿から抹消した旨",
}
NOTICE_TITLE = "戸籍の附票記載事項通知（在外選挙人名簿）"


def notices_pdf(ids: list[int]) -> bytes:
    """The chosen unsent 附票 notices, one page each, to mail to their 本籍地 (住基法17条の2): the
    person's 氏名・生年月日・本籍, what to write and its day (和暦); one PRINT audit row. Refused when
    none of them is left to send."""
    rows = list(
        AnnexNotice.objects.filter(pk__in=ids, sent_on__isnull=True).select_related("entry").order_by("id")
    )
    if not rows:
        raise Refused([("notice", "印刷する通知を選んでください（未送付のもの）")])
    notices = [
        {"name": n.entry.name, "birth": format_wareki(n.entry.birth_date), "domicile": n.domicile,
         "what": NOTICE_WORDS[n.change], "on": format_wareki(n.on)}
        for n in rows
    ]  # fmt: skip
    record(Action.PRINT, "overseas_electors.notice", purpose=PURPOSE,
           subjects=sorted({n.entry.atena_no for n in rows if n.entry.atena_no}), detail={"notices": len(rows)})  # fmt: skip
    context = {"title": NOTICE_TITLE, "municipality": entries.municipality_name(require_tenant().lg_code),
               "notices": notices, "issued_on": format_wareki(timezone.localdate())}  # fmt: skip
    return pdf.render("overseas_electors/pdf/annex_notice.html", context, stylesheets=(pdf.NOTICE_CSS,))


CARD_TITLE = "在外選挙人証"


def card_pdf(card_no: str) -> bytes:
    """The 在外選挙人証 of an entry not struck off (公職選挙法30条の6: sent to the voter through the
    在外公館): number, 氏名, 生年月日, the registering municipality, the 在外公館 and the 登録日 (和暦);
    one PRINT audit row."""
    entry = Entry.objects.filter(card_no=card_no, struck_off_on__isnull=True).first()
    if entry is None:
        raise Refused(
            [("card_no", f"在外選挙人証番号 {card_no} の登録（抹消されていないもの）は見つかりません")]
        )
    record(Action.PRINT, RESOURCE, purpose=PURPOSE, subjects=[entry.atena_no] if entry.atena_no else [],
           detail={"card_no": card_no, "document": "在外選挙人証"})  # fmt: skip
    card = {"card_no": entry.card_no, "name": entry.name, "birth": format_wareki(entry.birth_date),
            "mission": entry.mission, "registered_on": format_wareki(entry.registered_on)}  # fmt: skip
    context = {"title": CARD_TITLE, "municipality": entries.municipality_name(entry.lg_code), "card": card,
               "issued_on": format_wareki(timezone.localdate())}  # fmt: skip
    return pdf.render("overseas_electors/pdf/card.html", context, stylesheets=(pdf.NOTICE_CSS,))
