"""The 附票 consumer: the registry's resident events, read as an outside vendor reads them
(docs/linkage.md), through the platform's shared consumer (``platform/linkage/consumer.py``: one
transaction per page with its cursor, resumable after a kill).

What one 異動 writes is ``rules/entries.line_of`` (registry-facts §17.4). Where it goes depends on the
person's 本籍, which the events do not carry: it is read through the registry's door
(``residents_of`` with a visibility that shows the 本籍, one read per page, audited here):

- a 本籍 in this town (管内本籍人): the row goes straight on this town's 附票 (住民基本台帳法
  第19条1項; the 住民記録 standard's §7.2.4 direct linkage);
- a 本籍 elsewhere: a 附票記載事項通知 to that 本籍地 is queued (``notices.send_out`` writes it);
- no 本籍 (a foreign resident), no 筆頭者, or a 本籍 naming no known town: nothing.

The 本籍 read is the person's current one: a 転籍 filed between the 異動 and this read sends the
row to the new 本籍's 附票, which is where it now belongs.
"""

from __future__ import annotations

from django.utils import timezone

from yakuba.koseki_annex.codes import Source
from yakuba.koseki_annex.models import FeedPosition, OutgoingNotice
from yakuba.koseki_annex.rules.domicile import municipality_of
from yakuba.koseki_annex.rules.entries import AddressLine, line_of
from yakuba.koseki_annex.services.rows import Candidate, Person, append
from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage.consumer import Consumer, Followed
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

TYPES = ("jp.yakuba.registry.resident.",)
# The 附票 records every 本籍人, those under 支援措置 too (their rows carry the flag, and a copy
# is refused to the other party); the 本籍 is a restricted item of the registry.
SCOPES = frozenset({"registry:read", "registry:protected"})
DOMICILE = registry.Visibility(domicile=True, juminhyo_code=True, protected=True)
PURPOSE = "戸籍の附票の記載（住民基本台帳法第19条）"

__all__ = ["CONSUMER", "Followed", "follow"]


def _handle(events: list[dict], detail: dict) -> int:
    lines = [(e, line) for e in events if (line := line_of(e["data"])) is not None]
    if not lines:
        return 0
    atena_nos = sorted({e["data"]["atena_no"] for e, _ in lines})
    records = registry.residents_of(atena_nos, visibility=DOMICILE)
    record(Action.READ, "registry.domicile", purpose=PURPOSE, subjects=atena_nos, detail=detail)
    lg_code = require_tenant().lg_code
    local: list[Candidate] = []
    outgoing: list[tuple[str, Candidate]] = []
    for event, line in lines:
        data = event["data"]
        current = records.get(data["atena_no"])
        # A 附票 is the 戸籍's, named by 本籍 and 筆頭者 together: a record lacking either (or the
        # 住民票コード a person is known by) names none.
        if current is None or not (current.domicile and current.domicile_head and current.juminhyo_code):
            continue
        town = municipality_of(current.domicile)
        if town is None:
            continue
        candidate = Candidate(
            current.domicile,
            current.domicile_head,
            Person(
                current.juminhyo_code,
                data.get("name") or current.name,
                current.birth_date,
                current.sex,
                atena_no=current.atena_no,
                protected=bool(data.get("protected")) or current.protected,
            ),
            line,
            Source.REGISTRY,
            event["id"],
        )
        if town.lg_code == lg_code:
            local.append(candidate)
        else:
            outgoing.append((town.lg_code, candidate))
    return append(local, purpose=PURPOSE, detail=detail) + _queue(outgoing, detail)


def _queue(outgoing: list[tuple[str, Candidate]], detail: dict) -> int:
    """The 附票記載事項通知 to other 本籍地 (住民基本台帳法 第19条1項), those that repeat the
    person's last notice left out."""
    if not outgoing:
        return 0
    codes = {c.person.juminhyo_code for _, c in outgoing}
    last = {
        n.juminhyo_code: (
            n.receiver,
            n.honseki,
            n.hittosha,
            AddressLine(n.address, n.address_set_on, n.overseas, n.country),
        )
        for n in OutgoingNotice.objects.filter(juminhyo_code__in=codes)
        .order_by("juminhyo_code", "-id")
        .distinct("juminhyo_code")
    }
    now, lg_code = timezone.now(), require_tenant().lg_code
    queued: list[OutgoingNotice] = []
    for receiver, c in outgoing:
        key = (receiver, c.honseki, c.hittosha)
        before = last.get(c.person.juminhyo_code)
        if before is not None and before[:3] == key and c.line.same_as(before[3]):
            continue
        last[c.person.juminhyo_code] = (*key, c.line)
        p = c.person
        queued.append(
            OutgoingNotice(
                lg_code=lg_code, receiver=receiver, honseki=c.honseki, hittosha=c.hittosha,
                juminhyo_code=p.juminhyo_code, atena_no=p.atena_no, name=p.name, birth_date=p.birth_date, sex=p.sex,
                address=c.line.address, address_set_on=c.line.address_set_on, overseas=c.line.overseas,
                country=c.line.country, protected=p.protected, source_event=c.source_ref, created_at=now,
            )
        )  # fmt: skip
    if queued:
        OutgoingNotice.objects.bulk_create(queued)
        record(
            Action.CREATE,
            "koseki_annex.outgoing_notice",
            purpose=PURPOSE,
            subjects=sorted({n.atena_no for n in queued}),
            detail={**detail, "notices": len(queued)},
        )
    return len(queued)


CONSUMER = Consumer("koseki_annex.addresses", FeedPosition, _handle, TYPES, SCOPES)
# Handle pages until the feed is caught up (call with an audit actor bound).
follow = CONSUMER.follow
