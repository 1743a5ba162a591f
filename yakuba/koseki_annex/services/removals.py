"""The 附票 following the 戸籍: a person's 除籍 ends their rows on the 附票 of that 戸籍
(registry-facts §17.5: "a person's rows end when they leave the 戸籍; when everyone has left, the
附票 becomes a 除附票").

The 戸籍 tells it through its events (``jp.yakuba.koseki.notification.accepted.v1``: each person a
受理 touched, with the 戸籍's 本籍・筆頭者 and whether they were removed from it), read through the
platform's shared consumer as the registry's are. The same events make, rename and close whole
附票 with their 戸籍 (``services/following.py``: ``formed``, ``closed``, a 管内転籍).

A person of the 戸籍 is found on the 附票 by their 宛名番号 (a resident of this town), else by
氏名 and 生年月日 (spaces ignored: the 戸籍 and the registry space a name differently); one who is
on no row of it is left alone — nothing was recorded for them to end.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from yakuba.koseki_annex.models import Departure, Entry, KosekiFeedPosition
from yakuba.koseki_annex.rules.domicile import is_local, koseki_key
from yakuba.koseki_annex.services import following
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.linkage.consumer import Consumer
from yakuba.platform.tenancy.context import require_tenant

TYPES = ("jp.yakuba.koseki.notification.accepted.",)
# Every 本籍人, those under 支援措置 too (a guard on the 戸籍's events would withhold them otherwise).
SCOPES = frozenset({"koseki:read", "registry:protected"})
PURPOSE = "戸籍の附票の記載（除籍）"


def _plain(name: str) -> str:
    return "".join(name.split())


def _handle(events: list[dict], detail: dict) -> int:
    """A page of the 戸籍's events: the 附票 of a 管内転籍 renamed first (its persons are then
    found under the new 本籍), persons' 除籍, 戸籍 closed, 戸籍 formed."""
    return (
        following.rename_within(events, detail)
        + _removed(events, detail)
        + following.close(events, detail)
        + following.open_formed(events, detail)
    )


def _removed(events: list[dict], detail: dict) -> int:
    lg_code = require_tenant().lg_code
    leaving = [
        (event, p)
        for event in events
        for p in event["data"].get("persons", [])
        if p.get("removed") and is_local(p.get("honseki", ""), lg_code)
    ]
    if not leaving:
        return 0
    annexes = following.annexes_of({koseki_key(p["honseki"], p["hittosha"]) for _, p in leaving})
    by_atena: dict[tuple[int, str], str] = {}
    by_name: dict[tuple[int, str, date | None], str] = {}
    for annex_id, code, atena_no, name, born in Entry.objects.filter(
        annex__in=list(annexes.values())
    ).values_list("annex_id", "juminhyo_code", "atena_no", "name", "birth_date"):
        if atena_no:
            by_atena[annex_id, atena_no] = code
        by_name[annex_id, _plain(name), born] = code
    now, actor = timezone.now(), current_actor().name
    departures: list[Departure] = []
    for event, p in leaving:
        annex = annexes.get(koseki_key(p["honseki"], p["hittosha"]))
        if annex is None:
            continue
        code = by_atena.get((annex.pk, p.get("atena_no") or "")) or by_name.get(
            (
                annex.pk,
                _plain(p.get("name", "")),
                date.fromisoformat(p["birth_date"]) if p.get("birth_date") else None,
            )
        )
        if code is None:
            continue
        departures.append(
            Departure(
                lg_code=lg_code, annex=annex, juminhyo_code=code, left_on=date.fromisoformat(event["data"]["event_on"]),
                reason=event["data"].get("kind", ""), source_event=event["id"], created_at=now, created_by=actor,
            )
        )  # fmt: skip
    if not departures:
        return 0
    Departure.objects.bulk_create(departures, ignore_conflicts=True)
    record(
        Action.UPDATE,
        "koseki_annex.annex",
        purpose=PURPOSE,
        subjects=sorted({d.juminhyo_code for d in departures}),
        detail={**detail, "departures": len(departures)},
    )
    return len(departures)


CONSUMER = Consumer("koseki_annex.removals", KosekiFeedPosition, _handle, TYPES, SCOPES)
# Handle pages until the 戸籍's feed is caught up (call with an audit actor bound).
follow_koseki = CONSUMER.follow
