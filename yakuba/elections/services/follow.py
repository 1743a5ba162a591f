"""The 選挙人名簿 consumer: the registry's resident events, read as an outside vendor reads them
(docs/linkage.md), through the platform's shared consumer (one transaction per page with its
cursor, resumable after a kill) — so the roll follows the registry between runs (civil-facts
§1.8; 住基法15条2項: the 市町村長 tells the 選管 of every change that matters).

- 転出 (and 国外転出) → 表示 with the 転出日 at once (法27条1項; the roll shows it from that day);
  a person not on the roll is noted (``Departure``) for the 旧住所地 registration of the next
  runs (法21条2項).
- 死亡 → 抹消 from the death date (法28条1号).
- 転居 → the 投票区 of the new address under today's plan (``precincts``), a ``MOVED`` line on
  the 異動日; the three months do not restart (civil-facts §1.5).
- 職権消除 says no reason in the event (``removal_reason`` is ``ex_officio`` whether the person
  lost Japanese nationality or does not live at the address), so it is left for the clerk: a
  国籍喪失 抹消 needs the 選管's own source (帰化・国籍喪失 通知). 氏名・住所の修正 store nothing
  (the roll keeps no 氏名 or 住所: a 抄本 reads them at print).

Each page loads the open entries of its persons in one query and writes each kind of change in
one statement, its events included (one INSERT … SELECT into the outbox per kind).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from yakuba.elections.codes import StruckOff
from yakuba.elections.models import Departure, Entry, FeedPosition
from yakuba.elections.services import precincts
from yakuba.elections.services.register import JAPANESE, RESOURCE, announce, write_marks, write_strikes
from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage.consumer import Consumer, Followed, resident_change
from yakuba.platform.tenancy.context import require_tenant, tenant_context

PREFIX = "jp.yakuba.registry.resident."
TYPES = tuple(f"{PREFIX}{verb}." for verb in ("moved-out", "died", "moved-within"))
# The 選管 follows every voter, 支援措置 or not (their address places them in a 投票区).
SCOPES = frozenset({"registry:read", "registry:protected"})
PURPOSE = "選挙人名簿の表示・抹消・投票区の変更（住民記録の異動）"

__all__ = ["CONSUMER", "Followed", "follow"]


def _left_on(data: dict, move_date: date) -> date:
    """The 転出日: the 転出予定日 of a 転出 filed ahead, else the day the record was removed."""
    planned = data.get("planned_move_out_on") or data.get("removed_on")
    return date.fromisoformat(planned) if planned else move_date


def _handle(events: list[dict], detail: dict) -> int:
    changes = [(resident_change(e), e["data"]) for e in events]
    entries = {
        atena_no: (entry_id, moved_out)
        for atena_no, entry_id, moved_out in Entry.objects.filter(
            struck_off_on__isnull=True, atena_no__in={c.atena_no for c, _d in changes}
        ).values_list("atena_no", "id", "moved_out_on")
    }
    marks: dict[int, date] = {}
    strikes: dict[int, tuple[date, str]] = {}
    moves: dict[str, tuple[str, date]] = {}
    departures: dict[tuple[str, date], None] = {}
    places = None
    for change, data in changes:
        entry = entries.get(change.atena_no)
        if change.event == "moved-out":
            if entry is None:
                if int(data.get("resident_type") or 0) == JAPANESE:
                    departures[(change.atena_no, _left_on(data, change.move_date))] = None
            elif entry[1] is None and entry[0] not in marks:
                marks[entry[0]] = _left_on(data, change.move_date)
        elif change.event == "died" and entry is not None:
            strikes[entry[0]] = (
                date.fromisoformat(data.get("removed_on") or change.move_date.isoformat()),
                StruckOff.DIED,
            )
        elif change.event == "moved-within" and entry is not None:
            places = places or precincts.placer(timezone.localdate())
            moves[change.atena_no] = (places.name(data.get("address", "")), change.move_date)
    moved = precincts.move(moves, {"reason": "moved_within"})
    write_marks(None, [(i, d) for i, d in marks.items() if i not in strikes])
    write_strikes(None, [(i, on, reason) for i, (on, reason) in strikes.items()])
    now, lg_code = timezone.now(), require_tenant().lg_code
    Departure.objects.bulk_create(
        [Departure(lg_code=lg_code, atena_no=a, left_on=d, created_at=now) for a, d in departures],
        ignore_conflicts=True,
    )
    written = moved + len(marks) + len(strikes) + len(departures)
    if written:
        record(
            Action.UPDATE,
            RESOURCE,
            purpose=PURPOSE,
            subjects=sorted({c.atena_no for c, _d in changes}),
            detail={
                **detail,
                "marked": len(marks),
                "struck_off": len(strikes),
                "moved": moved,
                "departures": len(departures),
            },
        )
    return written


CONSUMER = Consumer("elections.roll", FeedPosition, _handle, TYPES, SCOPES)


def follow(lg_code: str, **pages) -> Followed:
    """Handle pages until the feed is caught up (call with an audit actor bound), then send the
    REGISTERED events a run left to send (``register.announce``)."""
    done = CONSUMER.follow(lg_code, **pages)
    with tenant_context(lg_code):
        announce()
    return done
