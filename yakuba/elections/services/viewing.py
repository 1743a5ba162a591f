"""選挙人名簿抄本の閲覧 (公職選挙法28条の2〜28条の4; docs/elections.md "閲覧"; civil-facts §1.6):
申出 → 審査 (承認・不承認) → 閲覧, each step one transaction, one ``Viewing`` row and one audit line.

- The 申出 is checked by ``rules.viewing`` (purpose, required items per purpose, office day, the
  blackout from the 公示・告示日 to the 5th day after the 選挙期日 read from ``periods``, the
  異議申出 days of the runs for a 選挙人's check) and names only 投票区 that exist.
- The 閲覧 is on the 閲覧日, of an approved 申出, after the viewer's photo ID: it shows the 抄本
  made for a 閲覧 (``extract.make_extract(for_viewing=True)``: no person under 支援措置) of the
  chosen 投票区, or — for a check — the lines of the named persons that are on the roll.
  The blackout is checked again that day (an election announced after the 承認 closes it).
- The 閲覧の状況 (28条の4第7項) is published from these rows: per political or research 閲覧,
  the 申出者's 氏名・名称 (and 代表者), the purpose and its summary, the 閲覧日 and the 投票区.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from yakuba.elections.codes import ViewingDecision, ViewingPurpose
from yakuba.elections.models import Viewing
from yakuba.elections.rules import viewing as rules
from yakuba.elections.services import extract, periods
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.tenancy.context import require_tenant

RESOURCE = "elections.viewing"
PUBLISHED_COLUMNS = (
    "申出者の氏名・名称",
    "代表者",
    "閲覧の目的",
    "利用目的の概要",
    "閲覧日",
    "閲覧した投票区",
)
Request = rules.Request


class ViewingRefused(ValueError):
    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(m for _f, m in errors))
        self.errors = errors


class ViewingNotFound(LookupError):
    pass


@dataclass(frozen=True)
class ViewingRecord:
    id: int
    requester_name: str
    requester_address: str
    representative: str
    viewers: list[str]
    purpose: str
    purpose_label: str
    purpose_detail: str
    persons: list[str]
    precincts: list[str]
    identity: str
    requested_on: date
    viewing_on: date
    decision: str
    decision_label: str
    decided_on: date | None
    refusal_reason: str
    shown: int
    viewed: bool


def _record(v: Viewing) -> ViewingRecord:
    return ViewingRecord(
        v.id,
        v.requester_name,
        v.requester_address,
        v.representative,
        list(v.viewers),
        v.purpose,
        ViewingPurpose(v.purpose).label,
        v.purpose_detail,
        list(v.persons),
        list(v.precincts),
        v.identity,
        v.requested_on,
        v.viewing_on,
        v.decision,
        ViewingDecision(v.decision).label,
        v.decided_on,
        v.refusal_reason,
        v.shown,
        bool(v.identity),
    )


def _objection_days() -> list[date]:
    """The 異議申出 days of every run (one query)."""
    return [day for run in periods.runs() for day in rules.objection_days(run.kind, run.registered_on)]


def check_request(req: Request) -> list[tuple[str, str]]:
    """Every broken rule of the 申出 (no writes)."""
    errors = rules.check_request(req, periods=periods.periods(), objection_days=_objection_days())
    if req.precincts and req.viewing_on:
        known = set(extract.precinct_names(req.viewing_on))
        unknown = [p for p in req.precincts if p not in known]
        if unknown:
            errors.append(("precincts", f"投票区「{'」「'.join(unknown)}」はありません"))
    return errors


def apply_request(req: Request) -> ViewingRecord:
    """Record the 申出 (審査中); one transaction and one audit row."""
    tenant = require_tenant()
    with transaction.atomic(using=tenant.alias):
        errors = check_request(req)
        if errors:
            raise ViewingRefused(errors)
        row = Viewing.objects.create(
            lg_code=tenant.lg_code,
            requester_name=req.requester_name.strip(),
            requester_address=req.requester_address.strip(),
            representative=req.representative.strip(),
            viewers=[v.strip() for v in req.viewers if v.strip()],
            purpose=req.purpose,
            purpose_detail=req.purpose_detail.strip(),
            persons=list(req.persons),
            precincts=list(req.precincts),
            requested_on=timezone.localdate(),
            viewing_on=req.viewing_on,
            created_at=timezone.now(),
            created_by=current_actor().name,
        )
        record(
            Action.CREATE,
            RESOURCE,
            subjects=list(req.persons),
            detail={"viewing": row.id, "purpose": req.purpose, "viewing_on": req.viewing_on.isoformat()},
        )
    return _record(row)


def get(viewing_id: int) -> ViewingRecord:
    row = Viewing.objects.filter(id=viewing_id).first()
    if row is None:
        raise ViewingNotFound(viewing_id)
    return _record(row)


def listing(*, after: int | None = None, limit: int = 50) -> tuple[list[ViewingRecord], int | None]:
    """The 申出, newest first, a keyset page (one query) and the id to continue after."""
    rows = Viewing.objects.order_by("-id")
    if after is not None:
        rows = rows.filter(id__lt=after)
    page = list(rows[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return [_record(v) for v in page], (page[-1].id if more else None)


def decide(viewing_id: int, *, allowed: bool, reason: str = "") -> ViewingRecord:
    """承認 or 不承認 (with its reason, 28条の2第5項・28条の3: 不当な目的 etc.); once, one audit row."""
    tenant = require_tenant()
    with transaction.atomic(using=tenant.alias):
        row = Viewing.objects.select_for_update().filter(id=viewing_id).first()
        if row is None:
            raise ViewingNotFound(viewing_id)
        errors = []
        if row.decision != ViewingDecision.PENDING:
            errors.append(("decision", f"この申出は審査済みです（{ViewingDecision(row.decision).label}）"))
        if not allowed and not reason.strip():
            errors.append(("refusal_reason", "不承認の理由を入力してください"))
        if errors:
            raise ViewingRefused(errors)
        row.decision = ViewingDecision.ALLOWED if allowed else ViewingDecision.REFUSED
        row.decided_on = timezone.localdate()
        row.refusal_reason = "" if allowed else reason.strip()
        row.save(update_fields=["decision", "decided_on", "refusal_reason"])
        record(Action.UPDATE, RESOURCE, detail={"viewing": row.id, "decision": row.decision})
    return _record(row)


def view(viewing_id: int, *, identity: str) -> tuple[ViewingRecord, extract.Extract]:
    """The 閲覧 itself: what the viewer is shown, once, on the 閲覧日; one audit row naming the
    persons checked or the 投票区 and the count shown."""
    tenant = require_tenant()
    today = timezone.localdate()
    with transaction.atomic(using=tenant.alias):
        row = Viewing.objects.select_for_update().filter(id=viewing_id).first()
        if row is None:
            raise ViewingNotFound(viewing_id)
        errors = rules.check_at_viewing(identity, row.decision, row.viewing_on, today)
        if row.identity:
            errors.append(("identity", "この申出の閲覧は済んでいます"))
        errors += rules.blackout_errors(row.purpose, today, periods.periods(), _objection_days())
        if errors:
            raise ViewingRefused(errors)
        if row.purpose == ViewingPurpose.CHECK:
            made = extract.make_extract(today, atena_nos=row.persons, for_viewing=True)
        else:
            made = extract.make_extract(today, tohyokus=row.precincts, for_viewing=True)
        row.identity = identity.strip()
        row.shown = made.count
        row.save(update_fields=["identity", "shown"])
        record(
            Action.READ,
            RESOURCE,
            subjects=list(row.persons),
            purpose=f"選挙人名簿抄本の閲覧（{ViewingPurpose(row.purpose).label}）",
            detail={
                "viewing": row.id,
                "precincts": list(row.precincts),
                "shown": made.count,
                "withheld": made.withheld,
            },
        )
    return _record(row), made


def published(start: date, end: date) -> bytes:
    """The 閲覧の状況 for publication (28条の4第7項) over [start, end] as CSV (BOM, CRLF): the
    political and research 閲覧 made, in 閲覧日 order (one query, one audit row)."""
    rows = (
        Viewing.objects.filter(
            viewing_on__range=(start, end),
            decision=ViewingDecision.ALLOWED,
            purpose__in=list(rules.PUBLISHED_PURPOSES),
        )
        .exclude(identity="")
        .order_by("viewing_on", "id")
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PUBLISHED_COLUMNS)
    count = 0
    for v in rows:
        count += 1
        writer.writerow(
            [
                v.requester_name,
                v.representative,
                ViewingPurpose(v.purpose).label,
                v.purpose_detail,
                v.viewing_on.isoformat(),
                "・".join(v.precincts),
            ]
        )
    record(
        Action.EXPORT,
        RESOURCE,
        purpose="選挙人名簿抄本の閲覧の状況の公表（公職選挙法第28条の4）",
        detail={"from": start.isoformat(), "to": end.isoformat(), "count": count},
    )
    return ("\ufeff" + out.getvalue()).encode()


def open_counts() -> tuple[int, int]:
    """(申出 waiting for their 審査, approved 閲覧 due today and not yet made) — one query."""
    counts = Viewing.objects.aggregate(
        pending=Count("id", filter=Q(decision=ViewingDecision.PENDING)),
        today=Count(
            "id",
            filter=Q(decision=ViewingDecision.ALLOWED, viewing_on=timezone.localdate(), identity=""),
        ),
    )
    return counts["pending"], counts["today"]
