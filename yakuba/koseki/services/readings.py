"""The readings the 本籍地 notified (改正戸籍法附則; civil-facts §3.4), read for the notices.

From 2025-05-26 the 本籍地 mailed each 戸籍 the 振り仮名 it planned to record (``note_notified``
keeps them); the 附票, which knows where each person lives, makes the notices
(``koseki_annex/services/furigana_notices.py``). This read gives it, a page of 戸籍 at a time
(keyset on 戸籍ID), every person still in an open 戸籍 with a notified reading, in their order
(戸籍法14条): two queries a page whatever its size, one audit row naming the persons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef

from yakuba.koseki.codes import Role
from yakuba.koseki.models import Koseki, Member
from yakuba.koseki.rules.furigana import EX_OFFICIO_FROM, LAST_DAY, START
from yakuba.koseki.services.ledger import full_name
from yakuba.platform.audit.log import Action, record

RESOURCE = "koseki"
PAGE = 500  # 戸籍 a page
# The 届出 window and the 職権記載 date (附則; rules/furigana.py), which every notice prints.
FILING_FROM, FILING_UNTIL, RECORDED_FROM = START, LAST_DAY, EX_OFFICIO_FROM


@dataclass(frozen=True)
class NotifiedReading:
    koseki_id: str
    honseki: str
    hittosha: str
    position: int
    person_id: str
    head: bool  # the 筆頭者 (a notice goes to them when they live at its address)
    name: str  # 氏名 as the 戸籍 writes it
    birth_date: date
    atena_no: str  # "" unless the person lives in this town
    surname_kana: str  # the notified readings; "" for a part not notified
    given_name_kana: str


@dataclass(frozen=True)
class ReadingsPage:
    readings: list[NotifiedReading]  # by 戸籍ID, then position
    last: str  # the 戸籍ID the next page starts after; "" at the end


def _notified(members):
    return members.filter(removed_on=None).exclude(notified_surname_kana="", notified_given_name_kana="")


def notified_readings(after: str = "", limit: int = PAGE) -> ReadingsPage:
    """The next ``limit`` 戸籍 after 戸籍ID ``after`` holding a notified reading, with those
    readings; ``last`` empty when there are no more."""
    ids = list(
        Koseki.objects.filter(closed_on=None, original=False, koseki_id__gt=after)
        .filter(Exists(_notified(Member.objects.filter(koseki=OuterRef("pk")))))
        .order_by("koseki_id")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return ReadingsPage([], "")
    members = _notified(Member.objects.filter(koseki__in=ids)).select_related("koseki")
    readings = [
        NotifiedReading(
            m.koseki.koseki_id,
            m.koseki.honseki,
            m.koseki.hittosha,
            m.position,
            m.person_id,
            m.role == Role.HEAD,
            full_name(m.koseki, m),
            m.birth_date,
            m.atena_no,
            m.notified_surname_kana,
            m.notified_given_name_kana,
        )
        for m in members.order_by("koseki__koseki_id", "position")
    ]
    record(
        Action.READ,
        RESOURCE,
        purpose="振り仮名の通知の作成",
        subjects=[r.person_id for r in readings],
        detail={"after": after, "through": readings[-1].koseki_id},
    )
    return ReadingsPage(readings, readings[-1].koseki_id)
