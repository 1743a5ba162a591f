"""The 保育 consumer: a child in care who leaves the municipality or dies, from the registry's
resident events, read as an outside vendor reads them (``platform.linkage.consumer``: one
transaction per page with its cursor in ``FeedPosition``, resumable after a kill).

The 支給認定 is the municipality's, of a child resident in it (子ども・子育て支援法 §19, §20: the
市町村 of the child's 居住地); on **転出** (moved-out, the 転出予定日 when the 届 gave one) or
**死亡** (died) each 認定 still valid on that day gets a new version ending on it, and the
利用者負担 ends after that month — fees are monthly, the month of the 異動 stays as decided: a
決定 of 0円 from the next month to the last month a 決定 covered records it (the latest 決定 of a
month is the one in force). A work item tells the clerk (the 施設 and the family are told by
hand; a child moving within the municipality changes nothing here). 異動の取消し is left to the
clerk, as in 児童手当.

The consumer holds ``registry:protected``: a protected child's 認定 ends like anyone's.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from yakuba.childcare.models import Certification, FeeDetermination, FeedPosition, WorkItem
from yakuba.childcare.rules.ages import next_month, tax_year_for
from yakuba.childcare.services.certification import certified_event
from yakuba.childcare.services.common import PURPOSE, latest_versions, parent_atenas
from yakuba.childcare.services.fees import Decided, FeeRange, record_decisions
from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage.consumer import Consumer, resident_change
from yakuba.platform.linkage.outbox import emit_many
from yakuba.platform.tenancy.context import require_tenant

TYPES = ("jp.yakuba.registry.resident.moved-out.", "jp.yakuba.registry.resident.died.")
SCOPES = frozenset({"registry:read", "registry:protected"})
ENDING = {"moved-out": "転出", "died": "死亡"}

__all__ = ["CONSUMER", "follow"]


def _ended_day(change, data: dict) -> date:
    planned = data.get("planned_move_out_on") if change.event == "moved-out" else None
    return date.fromisoformat(planned) if planned else change.move_date


def _fee_end(on: date, label: str, decided: list[tuple]) -> list[FeeRange]:
    """0円 from the month after ``on`` through the last month a 決定 of the 認定 covers, one range
    per tax year (``decided``: its rows (until_month, tax_year) — none past ``on``: nothing)."""
    last = max((until for until, _year in decided), default=None)
    ranges: list[FeeRange] = []
    month = next_month(on)
    while last is not None and month <= last:
        text = f"{month:%Y-%m}"
        year = tax_year_for(month.year, month.month)
        if ranges and ranges[-1].tax_year == year:
            ranges[-1].until_month = text
        else:
            step = f"{on:%Y年%m月%d日} {label}により支給認定が終了: {month.year}年{month.month}月分から利用者負担なし"
            ranges.append(
                FeeRange(
                    from_month=text,
                    until_month=text,
                    tax_year=year,
                    tier="終了",
                    base=0,
                    rank=0,
                    free=f"支給認定の終了（{label}）",
                    amount=0,
                    steps=[step],
                )
            )
        month = next_month(month)
    return ranges


def _handle(events: list[dict], detail: dict) -> int:
    """Each 転出 or 死亡 of a child with a 認定 valid on the day: a new version ending on it, the
    利用者負担 ended after the month, a work item; a page in a fixed number of statements."""
    changes = [(resident_change(e), e["data"]) for e in events]
    certs = {}
    for cert in latest_versions().filter(child_atena_no__in={c.atena_no for c, _d in changes}):
        certs.setdefault(cert.child_atena_no, []).append(cert)
    fees: dict[str, list[tuple]] = {}
    rows = FeeDetermination.objects.filter(
        certificate_no__in=[c.certificate_no for g in certs.values() for c in g]
    ).order_by("decision_no")
    for certificate_no, until, year, welfare in rows.values_list(
        "certificate_no", "until_month", "tax_year", "welfare"
    ):
        fees.setdefault(certificate_no, []).append((until, year, welfare))
    versions, decisions, work = [], [], []
    lg_code, now, today = require_tenant().lg_code, timezone.now(), timezone.localdate()
    for change, data in changes:
        on, label = _ended_day(change, data), ENDING[change.event]
        for cert in certs.get(change.atena_no, []):
            if cert.valid_until <= on:
                continue  # already ends by then
            cert.pk, cert.version, cert.recorded_at = None, cert.version + 1, now
            # A 認定 not yet begun ends before its first day: cancelled, no month left.
            cert.valid_until = max(on, cert.valid_from - timedelta(days=1))
            cert.steps = [*cert.steps, f"{on:%Y年%m月%d日} {label}により終了"]
            cert.note = f"{label}により終了"
            versions.append(cert)
            decided = [(until, year) for until, year, _w in fees.get(cert.certificate_no, [])]
            ranges = _fee_end(on, label, decided)
            if ranges:
                welfare = fees[cert.certificate_no][-1][2]  # the latest 決定's
                decisions.append(Decided(cert, parent_atenas(cert), ranges, welfare))
            work.append(
                WorkItem(
                    lg_code=lg_code,
                    atena_no=change.atena_no,
                    certificate_no=cert.certificate_no,
                    event=change.event,
                    event_date=on,
                    last_month=on.replace(day=1),
                    source_event=change.event_id,
                    created_at=now,
                )
            )
    if not versions:
        return 0
    Certification.objects.bulk_create(versions)
    emit_many([certified_event(c) for c in versions])
    if decisions:
        record_decisions(decisions, today, ended_by=[c.event_id for c, _d in changes])
    WorkItem.objects.bulk_create(work, ignore_conflicts=True)
    record(
        Action.CREATE,
        "childcare.certification",
        subjects=sorted({a for c in versions for a in (c.child_atena_no, *parent_atenas(c))}),
        purpose=PURPOSE,
        detail={"ended": [c.certificate_no for c in versions], **detail},
    )
    return len(versions) + len(decisions) + len(work)


CONSUMER = Consumer("childcare.certification", FeedPosition, _handle, TYPES, SCOPES)


# Pages until the feed is caught up (``pages=`` to stop earlier); call with an audit actor bound.
follow = CONSUMER.follow
