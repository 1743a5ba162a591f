"""Reading the 戸籍 (the door): a 戸籍 with its members in their order and its 戸籍事項, and a
person's 身分事項 across every 戸籍 they were in — typed views, never rows, each read audited.

A 除籍 member stays in their place, marked (civil-facts §3.1); a closed 戸籍 (除籍) and a 改製原戸籍
read the same way. Two queries for a 戸籍 whatever its size (members, entries), one for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yakuba.koseki.codes import Event, Role, Sex
from yakuba.koseki.models import Entry, Koseki, Member
from yakuba.koseki.services.ledger import SPACE, full_kana, full_name
from yakuba.platform.audit.log import Action, audited, note

RESOURCE = "koseki"


class NotFound(LookupError):
    """No 戸籍 (or person) of that id in this municipality."""


@dataclass(frozen=True)
class EntryView:
    event: Event
    on: date
    recorded_on: date
    notification_no: str
    detail: dict

    @property
    def label(self) -> str:
        return Event(self.event).label


@dataclass(frozen=True)
class MemberView:
    position: int
    person_id: str
    role: Role
    name: str
    name_kana: str  # "" until both the 氏 and the 名 readings are recorded
    birth_date: date
    sex: Sex
    father: str
    mother: str
    relationship: str
    adoptive_father: str  # 養父母 and the 続柄 to them while the 縁組 lasts (法13条)
    adoptive_mother: str
    adoptive_relationship: str
    entered_on: date
    entered_reason: Event
    from_koseki: str
    removed_on: date | None
    removed_reason: str
    to_koseki: str
    entries: list[EntryView]


@dataclass(frozen=True)
class KosekiView:
    koseki_id: str
    honseki: str
    hittosha: str
    surname: str
    surname_kana: str
    formed_on: date
    closed_on: date | None
    original: bool
    members: list[MemberView]
    entries: list[EntryView]  # 戸籍事項: 編製, 転籍, 振り仮名 (氏), 消除

    @property
    def closed(self) -> bool:
        """A 除籍 (everyone has left, or the 戸籍 moved to another 本籍地)."""
        return self.closed_on is not None


def _entry(row: Entry) -> EntryView:
    number = row.notification.notification_no if row.notification_id else ""
    return EntryView(Event(row.event), row.on, row.recorded_on, number, row.detail)


@audited(Action.READ, RESOURCE, purpose="戸籍の照会")
def koseki_of(koseki_id: str) -> KosekiView:
    """The 戸籍 ``koseki_id``: members in order (14条), each with their 身分事項."""
    koseki = Koseki.objects.filter(koseki_id=koseki_id).first()
    if koseki is None:
        raise NotFound(f"戸籍ID {koseki_id} の戸籍は見つかりません")
    members = list(Member.objects.filter(koseki=koseki).order_by("position"))
    entries = list(Entry.objects.filter(koseki=koseki).select_related("notification").order_by("id"))
    by_member: dict[int | None, list[EntryView]] = {}
    for row in entries:
        by_member.setdefault(row.member_id, []).append(_entry(row))
    note(subjects=[m.person_id for m in members], koseki_id=koseki_id)
    # Entries are in the order written: who left before each 氏の変更 is told by their ids.
    renamed = [(r.id, r.detail.get("old", "")) for r in entries if r.event == Event.SURNAME_CHANGE]
    left = {r.member_id: r.id for r in entries if r.event == Event.LEFT}
    return KosekiView(
        koseki.koseki_id,
        koseki.honseki,
        koseki.hittosha,
        koseki.surname,
        koseki.surname_kana,
        koseki.formed_on,
        koseki.closed_on,
        koseki.original,
        [
            MemberView(
                m.position,
                m.person_id,
                Role(m.role),
                _name(koseki, m, renamed, left.get(m.pk)),
                full_kana(koseki, m),
                m.birth_date,
                Sex(m.sex),
                m.father,
                m.mother,
                m.relationship,
                m.adoptive_father,
                m.adoptive_mother,
                m.adoptive_relationship,
                m.entered_on,
                Event(m.entered_reason),
                m.from_koseki,
                m.removed_on,
                m.removed_reason,
                m.to_koseki,
                by_member.get(m.pk, []),
            )
            for m in members
        ],
        by_member.get(None, []),
    )


def _name(koseki: Koseki, member: Member, renamed: list[tuple[int, str]], left: int | None) -> str:
    """The member's 氏名: one 除籍 before an 氏の変更 (107条) keeps the 氏 of their day."""
    old = next((o for written, o in renamed if left is not None and written > left), "")
    return f"{old}{SPACE}{member.given_name}" if old else full_name(koseki, member)


@dataclass(frozen=True)
class PersonEntry:
    """One 身分事項 of a person, with the 戸籍 it is written in."""

    koseki_id: str
    honseki: str
    entry: EntryView


@audited(Action.READ, RESOURCE, subject="person_id", purpose="戸籍の照会（身分事項）")
def entries_of(person_id: str) -> list[PersonEntry]:
    """Every 身分事項 of a person, in every 戸籍 they were written in, in the order written."""
    rows = list(
        Entry.objects.filter(member__person_id=person_id)
        .select_related("koseki", "notification")
        .order_by("id")
    )
    if not rows:
        raise NotFound(f"個人ID {person_id} の方の身分事項は見つかりません")
    return [PersonEntry(r.koseki.koseki_id, r.koseki.honseki, _entry(r)) for r in rows]


@audited(Action.SEARCH, RESOURCE, purpose="戸籍の検索")
def koseki_ids(honseki: str) -> list[tuple[str, str, bool]]:
    """(koseki_id, 筆頭者, closed) of the 戸籍 of one 本籍 — a 戸籍 is found by 本籍 and 筆頭者."""
    return [
        (k, h, closed is not None)
        for k, h, closed in Koseki.objects.filter(honseki=honseki)
        .order_by("koseki_id")
        .values_list("koseki_id", "hittosha", "closed_on")
    ]
