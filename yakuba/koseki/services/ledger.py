"""Writing the 戸籍 (inside the door): make a 戸籍, write a person into it at the end, mark a
除籍, close a 戸籍 nobody is left in — each with its entry (身分事項 or 戸籍事項), never deleting.

``Ledger`` is made for one 届出 under the municipality's 戸籍 lock: it numbers new 戸籍 and
persons and remembers every member it touched, for the events of the 受理.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connections
from django.db.models import Max
from django.utils import timezone

from yakuba.koseki import events
from yakuba.koseki.codes import Event, Role
from yakuba.koseki.models import Entry, Koseki, Member, Notification
from yakuba.koseki.rules.order import next_position
from yakuba.platform.audit.log import current_actor
from yakuba.platform.tenancy.context import require_tenant

SPACE = "\u3000"  # between 氏 and 名, as a 戸籍 prints them


def lock() -> None:
    """One 届出 at a time in the municipality (a transaction lock): a 届出 reads who is in which
    戸籍 and writes new numbers; a counter takes a few dozen a day, so nothing waits in practice."""
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{tenant.lg_code}/koseki"])


def full_name(koseki: Koseki, member: Member) -> str:
    return f"{koseki.surname}{SPACE}{member.given_name}"


def full_kana(koseki: Koseki, member: Member) -> str:
    """The 氏名の振り仮名, or "" while either part is not yet recorded."""
    if not (koseki.surname_kana and member.given_name_kana):
        return ""
    return f"{koseki.surname_kana}{SPACE}{member.given_name_kana}"


def shown(koseki: Koseki) -> str:
    """「本籍　筆頭者」: how a 戸籍 is named in another one (従前戸籍, 入籍先)."""
    return f"{koseki.honseki}{SPACE}{koseki.hittosha}"


def furigana_event(member: Member, surname_kana: str, source: str, on: date) -> tuple[str, str, dict]:
    """The event (for ``outbox.emit_many``) of a person's 振り仮名 now recorded: the registry copies
    it into its フリガナ (civil-facts §3.4)."""
    return (
        events.FURIGANA,
        member.person_id,
        {
            "atena_no": member.atena_no,
            "surname_kana": surname_kana,
            "given_name_kana": member.given_name_kana,
            "source": source,
            "recorded_on": on.isoformat(),
        },
    )


def _koseki_shown(koseki: Koseki, reason: Event, **detail) -> dict:
    """A 戸籍 made or closed, as the 受理's event names it (taken when it happens: a 管外転籍 then
    gives the persons their new 本籍)."""
    return {
        "koseki_id": koseki.koseki_id,
        "honseki": koseki.honseki,
        "hittosha": koseki.hittosha,
        "reason": str(reason),
        **detail,
    }


def current(person_id: str) -> Member | None:
    """The member row of a person in the 戸籍 they are in now (not 除籍), with its 戸籍."""
    return Member.objects.select_related("koseki").filter(person_id=person_id, removed_on=None).first()


def present(koseki: Koseki) -> list[Member]:
    """The members of ``koseki`` not 除籍, in order."""
    return list(Member.objects.filter(koseki=koseki, removed_on=None).order_by("position"))


@dataclass
class Ledger:
    """The writes of one 届出 (``notification`` is its row, already saved; None for a 職権 write
    such as an 改製)."""

    notification: Notification | None
    on: date = field(default_factory=timezone.localdate)
    now: datetime = field(default_factory=timezone.now)
    touched: dict[str, Member] = field(default_factory=dict)  # person_id → their member row now
    extra: dict = field(default_factory=dict)  # more data for the 受理's event (the parents of a birth)
    # The 戸籍 this 届出 made and closed, for the event (the 附票 opens and closes with them).
    formed: list[dict] = field(default_factory=list)
    closed: list[dict] = field(default_factory=list)

    @property
    def actor(self) -> str:
        return current_actor().name

    def _next(self, model, column: str) -> str:
        return f"{int(model.objects.aggregate(n=Max(column))['n'] or 0) + 1:010d}"

    def everyone(self, koseki: Koseki) -> str:
        """Every member still in ``koseki`` is touched (a change of the whole 戸籍: 転籍, 氏),
        carrying ``koseki`` as it now is; the first one's person_id ("" when none is left)."""
        members = present(koseki)
        for member in members:
            member.koseki = koseki
            self.touched[member.person_id] = member
        return members[0].person_id if members else ""

    def new_person_id(self) -> str:
        return self._next(Member, "person_id")

    def entry(self, koseki: Koseki, member: Member | None, event: Event, on: date, **detail) -> None:
        Entry.objects.create(
            lg_code=koseki.lg_code,
            koseki=koseki,
            member=member,
            event=event,
            on=on,
            recorded_on=self.on,
            notification=self.notification,
            detail=detail,
            created_at=self.now,
            created_by=self.actor,
        )

    def new_koseki(
        self, honseki: str, surname: str, hittosha: str, reason: Event, *, came_from: str = "", **kana
    ) -> Koseki:
        """A new 戸籍 (its 筆頭者 is written next, by ``enter``); ``came_from`` is the 従前本籍 of a
        戸籍 moved here by 転籍."""
        koseki = Koseki.objects.create(
            lg_code=require_tenant().lg_code,
            koseki_id=self._next(Koseki, "koseki_id"),
            honseki=honseki,
            hittosha=hittosha,
            surname=surname,
            formed_on=self.on,
            formed_reason=reason,
            created_at=self.now,
            created_by=self.actor,
            **kana,
        )
        detail = {"from": came_from} if came_from else {}
        self.entry(koseki, None, Event.FORMED, self.on, reason=str(reason), **detail)
        self.formed.append(_koseki_shown(koseki, reason, **detail))
        return koseki

    def enter(self, koseki: Koseki, reason: Event, on: date, *, role: Role = Role.CHILD, **person) -> Member:
        """Write a person at the end of ``koseki`` (14条3項; the 筆頭者 of a new one is first)."""
        positions = Member.objects.filter(koseki=koseki).values_list("position", flat=True)
        member = Member.objects.create(
            lg_code=koseki.lg_code,
            koseki=koseki,
            position=next_position(positions),
            role=role,
            entered_on=on,
            entered_reason=reason,
            **person,
        )
        self.touched[member.person_id] = member
        return member

    def move(self, member: Member, to: Koseki, reason: Event, on: date, *, role: Role = Role.CHILD) -> Member:
        """The person leaves their 戸籍 (除籍) and enters ``to`` at its end, carrying their 名,
        振り仮名, birth, parents and 続柄, and their 養父母 while the 縁組 lasts (法13条)."""
        self.remove(member, reason, on, to_koseki=shown(to))
        return self.enter(
            to,
            reason,
            on,
            role=role,
            person_id=member.person_id,
            given_name=member.given_name,
            given_name_kana=member.given_name_kana,
            given_name_kana_source=member.given_name_kana_source,
            birth_date=member.birth_date,
            sex=member.sex,
            father=member.father,
            mother=member.mother,
            father_id=member.father_id,
            mother_id=member.mother_id,
            relationship=member.relationship,
            adoptive_father=member.adoptive_father,
            adoptive_mother=member.adoptive_mother,
            adoptive_relationship=member.adoptive_relationship,
            from_koseki=shown(member.koseki),
            atena_no=member.atena_no,
        )

    def remove(self, member: Member, reason: Event, on: date, *, to_koseki: str = "") -> None:
        """除籍: the row stays in its place, marked once; a 戸籍 left empty is closed."""
        member.removed_on, member.removed_reason, member.to_koseki = on, reason, to_koseki
        member.save(update_fields=["removed_on", "removed_reason", "to_koseki"])
        self.entry(member.koseki, member, Event.LEFT, on, reason=str(reason), to=to_koseki)
        self.touched.setdefault(member.person_id, member)
        if not Member.objects.filter(koseki=member.koseki, removed_on=None).exists():
            self.close(member.koseki, reason)

    def close(self, koseki: Koseki, reason: Event, **detail) -> None:
        """消除 of the whole 戸籍 (全員除籍, 管外転籍): a 除籍 from now on, kept 150 years."""
        koseki.closed_on, koseki.closed_reason = self.on, reason
        koseki.save(update_fields=["closed_on", "closed_reason"])
        self.entry(koseki, None, Event.CLOSED, self.on, reason=str(reason), **detail)
        self.closed.append(_koseki_shown(koseki, reason, **detail))
