"""The 附票 opened, closed and renamed with its 戸籍 (registry-facts §17.5; 住民基本台帳法 第16条:
the 附票 is made "for each 戸籍", so it is made and closed with it).

The 戸籍's ``notification.accepted`` event names the 戸籍 a 受理 made (``formed``: a 婚姻, a
分籍, a 転籍 into this town …) and closed (``closed``: the last person's 除籍, or a 管外転籍 with
its new 本籍 elsewhere); a 管内転籍 keeps its 戸籍 under the new 本籍 (``moved``: from, to).

- **closed** here: everyone still on its 附票 leaves it on the event's day (``Departure`` with
  the 消除事由): the 附票 is a 除附票, kept; the new 本籍地 makes its own 附票 (a 管外転籍's new
  本籍地 learns the 住所 from the 住所地, not from here).
- **formed** here: each person the event places in it who lives in this town gets the first row
  of the new 附票 at once — their 住所 and 住所を定めた年月日 as the registry holds them now
  (the 住民記録 standard's direct linkage for 管内本籍人, §7.2.4) — instead of waiting for the
  registry's 本籍 to be corrected. One who lives elsewhere is written when their 住所地's
  附票記載事項通知 comes (notices-in).
- **管内転籍**: the 附票 keeps its rows under the new 本籍 (the 戸籍 itself is not remade;
  戸籍法 第108条・第109条 — only the 本籍 in its 戸籍事項 changes); the event names both 本籍
  (``moved``), so the 附票 reads nothing of the 戸籍 for it.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from yakuba.koseki_annex.codes import Source
from yakuba.koseki_annex.models import Annex, Departure, Entry
from yakuba.koseki_annex.rules.domicile import is_local, koseki_key
from yakuba.koseki_annex.rules.entries import AddressLine, full_address
from yakuba.koseki_annex.services.rows import Candidate, Person, append
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

PURPOSE = "戸籍の附票の記載（戸籍の編製・消除・転籍）"
# What the 附票 must read of a resident to open their row: the 住所, the 住民票コード, and persons
# under 支援措置 too (their rows carry the flag).
RESIDENT = registry.Visibility(juminhyo_code=True, protected=True)


def close(events: list[dict], detail: dict) -> int:
    """The 附票 of each 戸籍 closed here: every person still on it leaves it (a 除附票)."""
    lg_code = require_tenant().lg_code
    closing = [
        (event, c)
        for event in events
        for c in event["data"].get("closed", [])
        if is_local(c["honseki"], lg_code)
    ]
    if not closing:
        return 0
    annexes = annexes_of({koseki_key(c["honseki"], c["hittosha"]) for _, c in closing})
    on_annex: dict[int, set[str]] = {}
    for annex_id, code in Entry.objects.filter(annex__in=list(annexes.values())).values_list(
        "annex_id", "juminhyo_code"
    ):
        on_annex.setdefault(annex_id, set()).add(code)
    gone = set(
        Departure.objects.filter(annex__in=list(annexes.values())).values_list("annex_id", "juminhyo_code")
    )
    now, actor = timezone.now(), current_actor().name
    departures = [
        Departure(
            lg_code=lg_code,
            annex=annex,
            juminhyo_code=code,
            left_on=date.fromisoformat(event["data"]["event_on"]),
            reason=c.get("reason", ""),
            source_event=event["id"],
            created_at=now,
            created_by=actor,
        )  # fmt: skip
        for event, c in closing
        if (annex := annexes.get(koseki_key(c["honseki"], c["hittosha"]))) is not None
        for code in sorted(on_annex.get(annex.pk, set()) - {c for a, c in gone if a == annex.pk})
    ]
    if departures:
        Departure.objects.bulk_create(departures, ignore_conflicts=True)  # a second closing event: once
        record(
            Action.UPDATE,
            "koseki_annex.annex",
            purpose=PURPOSE,
            subjects=sorted({d.juminhyo_code for d in departures}),
            detail={**detail, "closed": sorted({d.annex.pk for d in departures})},
        )
    return len(departures)


def open_formed(events: list[dict], detail: dict) -> int:
    """The first rows of the 附票 of each 戸籍 formed here, for its persons who live in this town:
    one read of the registry for the page (audited), one append."""
    lg_code = require_tenant().lg_code
    placed = [
        (event, formed, p)
        for event in events
        for formed in event["data"].get("formed", [])
        if is_local(formed["honseki"], lg_code)
        for p in event["data"].get("persons", [])
        if p.get("koseki_id") == formed["koseki_id"] and not p.get("removed") and p.get("atena_no")
    ]
    if not placed:
        return 0
    atena_nos = sorted({p["atena_no"] for _, _, p in placed})
    records = registry.residents_of(atena_nos, visibility=RESIDENT)
    record(Action.READ, "registry.address", purpose=PURPOSE, subjects=atena_nos, detail=detail)
    candidates = []
    for event, formed, p in placed:
        current = records.get(p["atena_no"])
        if current is None or not current.juminhyo_code or not current.address:
            continue
        since = current.address_set_on or date.fromisoformat(event["data"]["event_on"])
        candidates.append(
            Candidate(
                formed["honseki"],
                formed["hittosha"],
                Person(
                    current.juminhyo_code,
                    current.name,
                    current.birth_date,
                    current.sex,
                    atena_no=current.atena_no,
                    protected=current.protected,
                ),  # fmt: skip
                AddressLine(full_address(current.address, current.address_extra), since),
                Source.KOSEKI,
                f"{event['id']}:{p['person_id']}",
            )
        )
    return append(candidates, purpose=PURPOSE, detail=detail)


def rename_within(events: list[dict], detail: dict) -> int:
    """A 管内転籍 (the event's ``moved``: the same 戸籍 from one 本籍 here to another): the 附票
    of the old 本籍 takes the new one."""
    lg_code = require_tenant().lg_code
    renamed = 0
    for event in events:
        data = event["data"]
        moved, persons = data.get("moved"), data.get("persons")
        if not moved or not persons or not is_local(moved["to"], lg_code):
            continue
        hittosha = persons[0]["hittosha"]
        before, after = koseki_key(moved["from"], hittosha), koseki_key(moved["to"], hittosha)
        if Annex.objects.filter(honseki=after[0], hittosha=after[1]).exists():
            continue  # already under the new 本籍 (the event read again)
        changed = Annex.objects.filter(honseki=before[0], hittosha=before[1]).update(honseki=after[0])
        if changed:
            record(
                Action.UPDATE,
                "koseki_annex.annex",
                purpose=PURPOSE,
                detail={**detail, "transfer": {"from": before[0], "to": after[0]}},
            )
        renamed += changed
    return renamed


def annexes_of(keys: set[tuple[str, str]]) -> dict[tuple[str, str], Annex]:
    """The 附票 kept under each of ``keys`` (本籍, 筆頭者), in one query."""
    rows = Annex.objects.filter(honseki__in={h for h, _ in keys}, hittosha__in={f for _, f in keys})
    return {(a.honseki, a.hittosha): a for a in rows if (a.honseki, a.hittosha) in keys}
