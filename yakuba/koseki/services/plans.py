"""The 届書 of each kind examined: its 不受理 reasons and the writes of its 受理 (a ``Plan``), for
the 届出 door (``notifications.py``) to carry out in one transaction.

Which 戸籍 a person enters is ``rules/formation.py`` (法16・17・18・19・98条), in what order
``rules/order.py`` (14条), by when ``rules/deadlines.py`` (43・49・86条), which 振り仮名
``rules/furigana.py`` (改正戸籍法) — civil-facts §3.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from yakuba.koseki.codes import Event, Kind, Role
from yakuba.koseki.models import Entry, Koseki, Member
from yakuba.koseki.rules import characters, deadlines, formation, furigana
from yakuba.koseki.rules.order import child_relationship
from yakuba.koseki.services import forms
from yakuba.koseki.services.forms import Invalid
from yakuba.koseki.services.ledger import (
    SPACE,
    Ledger,
    current,
    full_name,
    present,
)
from yakuba.platform.japanese.wareki import turns_age_on

MARRIAGE_AGE = 18  # 民法731条 (from 2022-04-01)

NO_PERSON = "個人ID {person_id} の方は、この市町村の戸籍に在籍していません"
FUTURE = "届出日より後の日付です"
FILED_IN_FUTURE = "届出日が今日より後です"
NEED_HONSEKI = "新本籍を入力してください（{reason}）"
NOT_MARRIED_PARENTS = "父母が婚姻中の夫婦として同じ戸籍に記載されていません（嫡出でない子として届け出るか、父母の戸籍を確認してください）"
UNDER_AGE = "婚姻は18歳にならなければできません（民法731条）"
MARRIED = "現に婚姻をしています（重婚の禁止、民法732条）"
SAME_PERSON = "夫と妻に同じ方が指定されています"
NOT_COUPLE = "夫と妻が婚姻中の夫婦として同じ戸籍に記載されていません"
KNOWN_BEFORE_DEATH = "死亡の事実を知った日が死亡日より前です"
ALREADY_THERE = "子はすでに親の戸籍に在籍しています"
NEED_PERMISSION = "子の氏の変更には家庭裁判所の許可が必要です（民法791条。父母の婚姻中は不要）"
REVIEW = "読み方の資料に「{written}」の文字がありません。読み方を確認のうえ、確認済み（reading_checked）として届け出てください"
NEED_READING = "2025年5月26日からの出生届には、名の振り仮名を記載してください（改正戸籍法）"
NOT_OTHER = "法定代理人の届出では、届出人に本人以外の方を指定してください"
NOT_SELF = "本人の届出では、届出人に本人を指定してください"


@dataclass
class Plan:
    """A 届書 examined: the 不受理 reasons, and the writes of its 受理."""

    refusals: list[tuple[str, str]]
    apply: Callable[[Ledger], str] | None  # returns the person_id of the 事件本人
    person_id: str = ""
    event_on: date | None = None
    deadline: date | None = None


def found(person_id: str, name: str, errors: list) -> Member | None:
    member = current(person_id)
    if member is None:
        errors.append((name, NO_PERSON.format(person_id=person_id)))
    return member


def need_honseki(placement: formation.Placement, new_honseki: str, errors: list) -> None:
    if placement.new_koseki and not new_honseki:
        errors.append(("new_honseki", NEED_HONSEKI.format(reason=placement.reason)))


def examine_reading(written: str, reading: str, name: str, form, errors: list, refusals: list) -> None:
    verdict, refused = furigana.check_reading(written, reading, proof_of_use=form.proof_of_use)
    if verdict == furigana.Verdict.REVIEW and not form.reading_checked:
        errors.append((name, REVIEW.format(written=written)))
    refusals += [(name, message) for _f, message in refused]


def married(member: Member) -> bool:
    """In a 婚姻 now: 筆頭者 with a 配偶者 still in the 戸籍, or 配偶者 with the 筆頭者 still in it."""
    other = {Role.HEAD: Role.SPOUSE, Role.SPOUSE: Role.HEAD}.get(member.role)
    return (
        other is not None
        and Member.objects.filter(koseki_id=member.koseki_id, role=other, removed_on=None).exists()
    )


def left_for(member: Member, reason: Event) -> Member | None:
    """The row the person left last by ``reason`` (婚姻, 縁組), with its 戸籍: where a 離婚 or 離縁
    sends them back (19条1項)."""
    return (
        Member.objects.select_related("koseki")
        .filter(person_id=member.person_id, removed_reason=reason)
        .exclude(pk=member.pk)
        .order_by("-id")
        .first()
    )


def court_days(form) -> tuple[date, date | None]:
    """(the day of the event, the 届出期間's last day) of a 届 that may report a court's decision
    (裁判離婚, 裁判認知: 10 days from the day it became final, 法63・77条); by agreement or by
    the person's will it takes effect on 受理, without a period."""
    if form.court_finalised_on is None:
        return form.filed_on, None
    if form.court_finalised_on > form.filed_on:
        raise Invalid([("court_finalised_on", FUTURE)])
    return form.court_finalised_on, deadlines.court(form.court_finalised_on)


def kana_of(koseki: Koseki) -> dict:
    return {"surname_kana": koseki.surname_kana, "surname_kana_source": koseki.surname_kana_source}


# -- 出生 -----------------------------------------------------------------------------------


def _birth(form: forms.Birth) -> Plan:
    errors: list[tuple[str, str]] = []
    refusals = characters.check_name(form.given_name, "given_name")
    mother = found(form.mother_id, "mother_id", errors)
    father = found(form.father_id, "father_id", errors) if form.father_id else None
    if form.birth_date > form.filed_on:
        errors.append(("birth_date", FUTURE))
    if mother is None:
        raise Invalid(errors)
    if form.legitimate and not (
        father is not None
        and father.koseki_id == mother.koseki_id
        and {father.role, mother.role} == {Role.HEAD, Role.SPOUSE}
    ):
        refusals.append(("father_id", NOT_MARRIED_PARENTS))
    placement = formation.child(Role(mother.role))
    need_honseki(placement, form.new_honseki, errors)
    # From 2025-05-26 the 振り仮名 is given on the 出生届 itself (civil-facts §3.4).
    with_reading = form.filed_on >= furigana.START
    if with_reading and not form.given_name_kana:
        errors.append(("given_name_kana", NEED_READING))
    elif with_reading:
        examine_reading(form.given_name, form.given_name_kana, "given_name_kana", form, errors, refusals)
    if errors:
        raise Invalid(errors)

    def apply(ledger: Ledger) -> str:
        koseki = mother.koseki
        if placement.new_koseki:  # 三代戸籍: a new 戸籍 for the mother, the child enters it
            koseki = ledger.new_koseki(
                form.new_honseki, koseki.surname, full_name(koseki, mother), Event.BIRTH, **kana_of(koseki)
            )
            ledger.move(mother, koseki, Event.FORMED, form.filed_on, role=Role.HEAD)
        # The child's rank among the same parents' children of the same sex (the mother's alone
        # for a 嫡出でない子): distinct persons, as a child who moved on has several rows.
        father_id = (form.father_id or "") if form.legitimate else ""
        siblings = Member.objects.filter(mother_id=form.mother_id, sex=form.sex)
        if form.legitimate:
            siblings = siblings.filter(father_id=father_id)
        else:  # the mother's 嫡出でない子, those a father acknowledged since (認知) too
            unwed = Q(entries__event=Event.BIRTH, entries__detail__legitimate=False)
            siblings = siblings.filter(Q(father_id="") | unwed)
        earlier = siblings.values("person_id").distinct().count()
        child = ledger.enter(
            koseki,
            Event.BIRTH,
            form.birth_date,
            person_id=ledger.new_person_id(),
            given_name=form.given_name,
            given_name_kana=furigana.normalise(form.given_name_kana),
            given_name_kana_source=furigana.Source.FILED if with_reading else furigana.Source.NONE,
            birth_date=form.birth_date,
            sex=form.sex,
            father=full_name(father.koseki, father) if father else "",
            mother=full_name(mother.koseki, mother),
            father_id=father_id,
            mother_id=mother.person_id,
            relationship=form.relationship or child_relationship(form.sex == "male", earlier + 1),
            atena_no=form.atena_no,
        )
        ledger.entry(
            koseki, child, Event.BIRTH, form.birth_date, abroad=form.abroad, legitimate=form.legitimate
        )
        # The 住所地's registry writes the child into the 世帯 of a parent: it knows them by 宛名番号.
        ledger.extra["parents"] = [
            {"person_id": p.person_id, "atena_no": p.atena_no, "role": role}
            for p, role in ((mother, "mother"), (father, "father"))
            if p is not None
        ]
        return child.person_id

    return Plan(
        refusals,
        apply,
        "",
        form.birth_date,
        deadlines.deadline(Kind.BIRTH, form.birth_date, abroad=form.abroad),
    )


# -- 婚姻 -----------------------------------------------------------------------------------


@dataclass
class _Spouse:
    side: str
    member: Member | None
    person: forms.Person | None

    @property
    def birth(self) -> date:
        return self.member.birth_date if self.member else self.person.birth_date

    @property
    def surname(self) -> str:
        return self.member.koseki.surname if self.member else self.person.surname

    @property
    def given_name(self) -> str:
        return self.member.given_name if self.member else self.person.given_name

    @property
    def surname_kana(self) -> dict:
        if self.member:
            return kana_of(self.member.koseki)
        source = furigana.Source.FILED if self.person.surname_kana else furigana.Source.NONE
        return {"surname_kana": furigana.normalise(self.person.surname_kana), "surname_kana_source": source}

    def write(self, ledger: Ledger, koseki: Koseki, role: Role, on: date) -> Member:
        if self.member is not None:
            return ledger.move(self.member, koseki, Event.MARRIAGE, on, role=role)
        return enter_from_elsewhere(ledger, koseki, self.person, Event.MARRIAGE, on, role)


def enter_from_elsewhere(
    ledger: Ledger, koseki: Koseki, p: forms.Person, reason: Event, on: date, role: Role = Role.CHILD, **more
) -> Member:
    """A person of another town's 戸籍, as the 届書 gives them, written at the end of ``koseki``
    (a spouse by 婚姻, a 養子 by 縁組) under a new person id."""
    return ledger.enter(
        koseki,
        reason,
        on,
        role=role,
        person_id=ledger.new_person_id(),
        from_koseki=p.from_koseki,
        **as_given(p),
        **more,
    )


def as_given(p: forms.Person | forms.Incoming) -> dict:
    """A person's columns as a 届書 gives them (their reading, if any, recorded as filed)."""
    return {
        "given_name": p.given_name,
        "given_name_kana": furigana.normalise(p.given_name_kana),
        "given_name_kana_source": furigana.Source.FILED if p.given_name_kana else furigana.Source.NONE,
        "birth_date": p.birth_date,
        "sex": p.sex,
        "father": p.father,
        "mother": p.mother,
        "relationship": p.relationship,
        "atena_no": p.atena_no,
    }


def _marriage(form: forms.Marriage) -> Plan:
    errors: list[tuple[str, str]] = []
    refusals: list[tuple[str, str]] = []
    spouses = {}
    for side in ("husband", "wife"):
        party = getattr(form, side)
        member = found(party.person_id, f"{side}.person_id", errors) if party.person_id else None
        spouses[side] = _Spouse(side, member, party.person)
        if party.person:
            refusals += characters.check_name(
                party.person.surname + party.person.given_name, f"{side}.person"
            )
            if party.person.birth_date > form.filed_on:
                errors.append((f"{side}.person.birth_date", FUTURE))
    if errors:
        raise Invalid(errors)
    if form.husband.person_id and form.husband.person_id == form.wife.person_id:
        raise Invalid([("wife.person_id", SAME_PERSON)])
    for spouse in spouses.values():
        if form.filed_on < turns_age_on(spouse.birth, MARRIAGE_AGE):
            refusals.append((spouse.side, UNDER_AGE))
        if spouse.member is not None and married(spouse.member):
            refusals.append((spouse.side, MARRIED))
    taking = spouses[form.surname_of]
    other = spouses["wife" if form.surname_of == "husband" else "husband"]
    placement = formation.marriage(Role(taking.member.role) if taking.member else None)
    need_honseki(placement, form.new_honseki, errors)
    if errors:
        raise Invalid(errors)

    def apply(ledger: Ledger) -> str:
        on = form.filed_on  # a 創設的届出 takes effect on 受理
        former = {"former_surname": other.surname, "from_koseki": ""}
        if other.member is not None:
            former["from_koseki"] = f"{other.member.koseki.honseki}{SPACE}{other.member.koseki.hittosha}"
        if placement.new_koseki:
            koseki = ledger.new_koseki(
                form.new_honseki,
                taking.surname,
                f"{taking.surname}{SPACE}{taking.given_name}",
                Event.MARRIAGE,
                **taking.surname_kana,
            )
            head = taking.write(ledger, koseki, Role.HEAD, on)
        else:
            head = taking.member
            koseki = head.koseki
        spouse = other.write(ledger, koseki, Role.SPOUSE, on)
        ledger.entry(
            koseki, head, Event.MARRIAGE, on, spouse=full_name(koseki, spouse), spouse_id=spouse.person_id
        )
        ledger.entry(
            koseki,
            spouse,
            Event.MARRIAGE,
            on,
            spouse=full_name(koseki, head),
            spouse_id=head.person_id,
            **former,
        )
        ledger.touched[head.person_id] = head
        return head.person_id

    return Plan(refusals, apply, taking.member.person_id if taking.member else "", form.filed_on)


# -- 離婚 -----------------------------------------------------------------------------------


def _divorce(form: forms.Divorce) -> Plan:
    errors: list[tuple[str, str]] = []
    event_on, deadline = court_days(form)
    husband = found(form.husband_id, "husband_id", errors)
    wife = found(form.wife_id, "wife_id", errors)
    if errors:
        raise Invalid(errors)
    if husband.koseki_id != wife.koseki_id or {husband.role, wife.role} != {Role.HEAD, Role.SPOUSE}:
        return Plan([("wife_id", NOT_COUPLE)], None, husband.person_id, event_on, deadline)
    head, leaving = (husband, wife) if husband.role == Role.HEAD else (wife, husband)
    married = (
        Entry.objects.select_related("notification")
        .filter(member=leaving, event=Event.MARRIAGE)
        .order_by("-id")
        .first()
    )
    former_surname = (married.detail.get("former_surname") if married else "") or head.koseki.surname
    previous = left_for(leaving, Event.MARRIAGE)
    former_open = previous is not None and previous.koseki.closed_on is None
    placement = formation.divorce(form.restore_former and not form.keep_surname, former_open)
    need_honseki(placement, form.new_honseki, errors)
    if errors:
        raise Invalid(errors)

    def apply(ledger: Ledger) -> str:
        on = event_on  # a 裁判離婚 took effect when final
        court = form.court_finalised_on is not None
        koseki = head.koseki
        ledger.entry(
            koseki,
            head,
            Event.DIVORCE,
            on,
            spouse=full_name(koseki, leaving),
            spouse_id=leaving.person_id,
            court=court,
        )
        if placement.new_koseki:
            surname = koseki.surname if form.keep_surname else former_surname
            kana = restored_reading(surname, koseki, previous, _given_at_marriage(married), form.keep_surname)
            target = ledger.new_koseki(
                form.new_honseki, surname, f"{surname}{SPACE}{leaving.given_name}", Event.DIVORCE, **kana
            )
            role = Role.HEAD
        else:
            target, role = previous.koseki, Role(previous.role)
        moved = ledger.move(leaving, target, Event.DIVORCE, on, role=role)
        ledger.entry(
            target,
            moved,
            Event.DIVORCE,
            on,
            spouse=full_name(koseki, head),
            spouse_id=head.person_id,
            keep_surname=form.keep_surname,
            court=court,
        )
        ledger.touched[head.person_id] = head
        return leaving.person_id

    return Plan([], apply, leaving.person_id, event_on, deadline)


def restored_reading(surname: str, koseki: Koseki, previous: Member | None, given: dict, kept: bool) -> dict:
    """The 氏の振り仮名 of the new 戸籍 a 離婚 or 離縁 makes (``koseki`` the one left, ``previous``
    the row left at the 婚姻・縁組, ``given`` the person as the 婚姻届・縁組届 gave them when they
    came from another town's 戸籍, ``kept`` the 婚氏・縁氏続称). A 氏 keeps its reading (no 離婚・離縁
    届 gives one: civil-facts §3.4 has a reading given only by the 振り仮名の届 or by a 届 that
    first writes a person): the kept one its 戸籍's, a former one that of the 戸籍 they came from
    here, or else the reading that 届 gave it (this town holds no 戸籍 of theirs), or that of the
    戸籍 left when the 氏 is the same; none is known otherwise (the 氏の振り仮名の届 gives it later)."""
    if kept:
        return kana_of(koseki)
    if previous is not None and previous.koseki.surname == surname:
        return kana_of(previous.koseki)
    if given.get("surname") == surname and given.get("surname_kana"):
        return {
            "surname_kana": furigana.normalise(given["surname_kana"]),
            "surname_kana_source": furigana.Source.FILED,
        }
    return kana_of(koseki) if surname == koseki.surname else {}


def _given_at_marriage(married: Entry | None) -> dict:
    """The spouse who left as the 婚姻届 gave them (from another town's 戸籍), or {}."""
    filed = married.notification.data if married is not None and married.notification else {}
    if filed.get("kind") != "marriage":
        return {}
    return (filed.get("wife" if filed.get("surname_of") == "husband" else "husband") or {}).get(
        "person"
    ) or {}


# -- 死亡 -----------------------------------------------------------------------------------


def _death(form: forms.Death) -> Plan:
    errors: list[tuple[str, str]] = []
    member = found(form.person_id, "person_id", errors)
    known = form.known_on or form.died_on
    if form.died_on > form.filed_on:
        errors.append(("died_on", FUTURE))
    if known < form.died_on:
        errors.append(("known_on", KNOWN_BEFORE_DEATH))
    elif form.known_on is not None and known > form.filed_on:  # (no date given: the death's)
        errors.append(("known_on", FUTURE))
    if errors:
        raise Invalid(errors)

    def apply(ledger: Ledger) -> str:
        ledger.entry(
            member.koseki, member, Event.DEATH, form.died_on, known_on=known.isoformat(), abroad=form.abroad
        )
        ledger.remove(member, Event.DEATH, form.died_on)
        return member.person_id

    return Plan(
        [], apply, member.person_id, form.died_on, deadlines.deadline(Kind.DEATH, known, abroad=form.abroad)
    )


# -- 入籍 -----------------------------------------------------------------------------------


def _entry(form: forms.Entry) -> Plan:
    errors: list[tuple[str, str]] = []
    child = found(form.person_id, "person_id", errors)
    parent = found(form.parent_id, "parent_id", errors)
    if errors:
        raise Invalid(errors)
    if child.koseki_id == parent.koseki_id:
        raise Invalid([("parent_id", ALREADY_THERE)])
    refusals = [] if form.permission else [("permission", NEED_PERMISSION)]
    placement = formation.child(Role(parent.role))
    need_honseki(placement, form.new_honseki, errors)
    if errors:
        raise Invalid(errors)

    def apply(ledger: Ledger) -> str:
        on = form.filed_on
        target = parent.koseki
        if placement.new_koseki:  # 三代戸籍: a new 戸籍 for the parent first
            target = ledger.new_koseki(
                form.new_honseki, target.surname, full_name(target, parent), Event.ENTRY, **kana_of(target)
            )
            ledger.move(parent, target, Event.FORMED, on, role=Role.HEAD)
        former_surname = child.koseki.surname
        moved = ledger.move(child, target, Event.ENTRY, on, role=Role.CHILD)
        ledger.entry(
            target, moved, Event.ENTRY, on, parent_id=parent.person_id, former_surname=former_surname
        )
        return child.person_id

    return Plan(refusals, apply, child.person_id, form.filed_on)


# -- 氏名の振り仮名の届 ----------------------------------------------------------------------


def _furigana(form: forms.Furigana) -> Plan:
    errors: list[tuple[str, str]] = []
    member = found(form.person_id, "person_id", errors)
    filer = found(form.filer_id, "filer_id", errors)
    if errors:
        raise Invalid(errors)
    koseki = member.koseki
    refusals: list[tuple[str, str]] = []
    if form.part == "surname":
        if filer.koseki_id != koseki.pk:
            refusals.append(("filer_id", furigana.NOT_HEAD))
        else:
            roles = set(Member.objects.filter(koseki=koseki, removed_on=None).values_list("role", flat=True))
            standing = furigana.Standing(
                filer.role == Role.HEAD, filer.role == Role.SPOUSE, Role.HEAD in roles, Role.SPOUSE in roles
            )
            refusals += furigana.may_file_surname(standing)
        source, written = furigana.Source(koseki.surname_kana_source), koseki.surname
    else:
        if (form.filer == furigana.Filer.SELF) != (form.filer_id == form.person_id):
            errors.append(("filer_id", NOT_SELF if form.filer == furigana.Filer.SELF else NOT_OTHER))
        refusals += furigana.may_file_given_name(form.filer, member.birth_date, form.filed_on)
        source, written = furigana.Source(member.given_name_kana_source), member.given_name
    refusals += furigana.may_change(source, form.filed_on, court_permission=form.court_permission)
    examine_reading(written, form.reading, "reading", form, errors, refusals)
    if errors:
        raise Invalid(errors)
    reading, after = furigana.normalise(form.reading), furigana.source_after_filing(source)

    def apply(ledger: Ledger) -> str:
        if form.part == "surname":
            koseki.surname_kana, koseki.surname_kana_source = reading, after
            koseki.save(update_fields=["surname_kana", "surname_kana_source"])
            changed = present(koseki)
            ledger.entry(koseki, None, Event.FURIGANA, form.filed_on, part=form.part, reading=reading)
        else:
            member.given_name_kana, member.given_name_kana_source = reading, after
            member.save(update_fields=["given_name_kana", "given_name_kana_source"])
            changed = [member]
            ledger.entry(koseki, member, Event.FURIGANA, form.filed_on, part=form.part, reading=reading)
        for row in changed:
            row.koseki = koseki
            ledger.touched[row.person_id] = row
        return member.person_id

    return Plan(refusals, apply, member.person_id, form.filed_on)


PLANS = {
    "birth": _birth,
    "marriage": _marriage,
    "divorce": _divorce,
    "death": _death,
    "entry": _entry,
    "furigana": _furigana,
}
