"""養子縁組届, 養子離縁届 (協議離縁) and 認知届 examined: their 不受理 reasons (``rules/kinship.py``),
which 戸籍 the 養子 enters or returns to (``rules/formation.py``: 戸籍法17〜20条, 民法810・816条),
and the writes of their 受理 — the 養父母 and 続柄 on the member (法13条), the 身分事項 of each
person named (施行規則35条), civil-facts §3.1–§3.2.

A 認知 moves nobody: the child keeps the mother's 氏 and 戸籍 (民法790条2項); the father is
written on the child and the 認知 on both (the father's only when his 戸籍 is kept here).
"""

from __future__ import annotations

from yakuba.koseki.codes import Event, Role, Sex
from yakuba.koseki.models import Entry, Member
from yakuba.koseki.rules import characters, formation, kinship
from yakuba.koseki.services import forms
from yakuba.koseki.services.forms import Invalid
from yakuba.koseki.services.ledger import SPACE, Ledger, full_name, shown
from yakuba.koseki.services.plans import (
    FUTURE,
    Plan,
    court_days,
    enter_from_elsewhere,
    found,
    kana_of,
    left_for,
    need_honseki,
    restored_reading,
)

SELF = "養親と養子に同じ方が指定されています"
NOT_COUPLE = "養親が2人のときは、夫婦として同じ戸籍に記載されている方を指定してください"
NOT_ADOPTED = "この養親との縁組の記載がありません（すでに離縁しているか、養子ではありません）"
SAME = "父と子に同じ方が指定されています"
ONE_ADOPTEE = "養子は adoptee_id（この市町村の戸籍の方）か adoptee（他の市町村の戸籍の方）のどちらか一方で指定してください"
ONE_FATHER = (
    "父は father_id（この市町村の戸籍の方）か father（他の市町村の戸籍の方）のどちらか一方で指定してください"
)
ADOPTIVE = ("adoptive_father", "adoptive_mother", "adoptive_relationship")


def spouse_of(member: Member) -> Member | None:
    """The spouse still in the member's 戸籍 (a 筆頭者's 配偶者 or a 配偶者's 筆頭者)."""
    other = {Role.HEAD: Role.SPOUSE, Role.SPOUSE: Role.HEAD}.get(Role(member.role))
    if other is None:
        return None
    return Member.objects.filter(koseki_id=member.koseki_id, role=other, removed_on=None).first()


def _parents(person_ids: set[str]) -> set[str]:
    """The parents of these persons known here: the parent links of a child born here, and for a
    child written in a 戸籍 (recorded at 移行, say) its 筆頭者 or 配偶者 named as its 父 or 母."""
    rows = list(Member.objects.filter(person_id__in=person_ids).select_related("koseki"))
    found = {i for r in rows for i in (r.father_id, r.mother_id) if i}
    children = {r.koseki_id: r for r in rows if r.role == Role.CHILD}
    for head in Member.objects.filter(
        koseki_id__in=children, role__in=(Role.HEAD, Role.SPOUSE)
    ).select_related("koseki"):
        child = children[head.koseki_id]
        if full_name(head.koseki, head) in (child.father, child.mother):
            found.add(head.person_id)
    return found


def _lineage(member: Member) -> tuple[frozenset[str], frozenset[str]]:
    """(parents, parents and grandparents) of a member — 直系尊属 two degrees up (民法798条's
    自己又は配偶者の直系卑属 are the 養親's children and grandchildren)."""
    parents = _parents({member.person_id})
    return frozenset(parents), frozenset(parents | _parents(parents))


def _adoptive_names(adopters: list[Member]) -> dict:
    """法13条: 養父・養母 by the 養親's sex."""
    names = {"adoptive_father": "", "adoptive_mother": ""}
    for adopter in adopters:
        key = "adoptive_father" if adopter.sex == Sex.MALE else "adoptive_mother"
        names[key] = full_name(adopter.koseki, adopter)
    return names


def _set(member: Member, **values) -> None:
    for name, value in values.items():
        setattr(member, name, value)
    member.save(update_fields=list(values))


def _on_both(ledger: Ledger, event: Event, on, row: Member, adopters: list[Member], **detail) -> None:
    """The 縁組 or 離縁 in the 身分事項 of the 養子 (naming the 養親) and of each 養親 (naming the
    養子) — 施行規則35条."""
    ledger.touched[row.person_id] = row
    ledger.entry(
        row.koseki,
        row,
        event,
        on,
        adopters=[full_name(a.koseki, a) for a in adopters],
        adopter_ids=[a.person_id for a in adopters],
        **detail,
    )
    for adopter in adopters:
        ledger.entry(
            adopter.koseki, adopter, event, on, adoptee=full_name(row.koseki, row), adoptee_id=row.person_id
        )
        ledger.touched[adopter.person_id] = adopter


# -- 養子縁組 ---------------------------------------------------------------------------------


def _parties(form: forms.Adoption | forms.Dissolution) -> tuple[Member | None, list[Member]]:
    """The 養子 (None: from elsewhere, as the 届書 gives them) and the 養親 a 届書 names, each in a
    戸籍 here (or ``Invalid`` naming them)."""
    errors: list[tuple[str, str]] = []
    if (form.adoptee_id is None) == (getattr(form, "adoptee", None) is None):
        raise Invalid([("adoptee_id", ONE_ADOPTEE)])
    adoptee = found(form.adoptee_id, "adoptee_id", errors) if form.adoptee_id else None
    adopters = [found(p, f"adopter_ids[{i}]", errors) for i, p in enumerate(form.adopter_ids)]
    if errors:
        raise Invalid(errors)
    return adoptee, adopters


def _adoption(form: forms.Adoption) -> Plan:
    errors: list[tuple[str, str]] = []
    adoptee, adopters = _parties(form)
    person = form.adoptee
    if person is not None and person.birth_date > form.filed_on:
        raise Invalid([("adoptee.birth_date", FUTURE)])
    if form.adoptee_id in form.adopter_ids:
        raise Invalid([("adopter_ids", SELF)])
    if len(adopters) == 2 and (
        adopters[0].koseki_id != adopters[1].koseki_id
        or {adopters[0].role, adopters[1].role} != {Role.HEAD, Role.SPOUSE}
    ):
        raise Invalid([("adopter_ids", NOT_COUPLE)])
    spouse = spouse_of(adoptee) if adoptee else None
    parents, ancestors = _lineage(adoptee) if adoptee else (frozenset(), frozenset())
    views = []
    for adopter in adopters:
        other = spouse_of(adopter)
        views.append(
            kinship.Adopter(
                full_name(adopter.koseki, adopter),
                adopter.birth_date,
                adopter.person_id,
                other.person_id if other else "",
                _lineage(adopter)[1],
            )
        )
    if adoptee is not None:
        name, born, role = full_name(adoptee.koseki, adoptee), adoptee.birth_date, Role(adoptee.role)
        former_surname, came_from = adoptee.koseki.surname, shown(adoptee.koseki)
    else:
        name, born, role = f"{person.surname}{SPACE}{person.given_name}", person.birth_date, Role.CHILD
        former_surname, came_from = person.surname, person.from_koseki
    refusals = characters.check_name(name, "adoptee") if person else []
    refusals += kinship.adoption(
        views,
        kinship.Adoptee(name, born, form.adoptee_id or "", parents, ancestors, spouse is not None),
        form.filed_on,
        court_permission=form.court_permission,
        spouse_consent=form.spouse_consent,
        proxy=form.proxy,
    )
    # The 戸籍 whose 氏 the 養子 takes: the 筆頭者's of a couple, else the one 養親's.
    adopter = next((a for a in adopters if a.role == Role.HEAD), adopters[0])
    in_koseki = (
        adoptee is not None
        and adoptee.koseki_id == adopter.koseki_id
        and adopter.role in (Role.HEAD, Role.SPOUSE)
    )
    placement = formation.adoption(role, spouse is not None, in_koseki, Role(adopter.role))
    need_honseki(placement, form.new_honseki, errors)
    if errors:
        raise Invalid(errors)

    def apply(ledger: Ledger) -> str:
        on = form.filed_on
        surname, target = adopter.koseki.surname, adopter.koseki
        rows = {a.person_id: a for a in adopters}
        if placement.stays:
            row = adoptee
        elif placement.for_couple:  # 20条: the 養子 and their spouse under the new 氏
            target = ledger.new_koseki(
                form.new_honseki,
                surname,
                f"{surname}{SPACE}{adoptee.given_name}",
                Event.ADOPTION,
                **kana_of(adopter.koseki),
            )
            row = ledger.move(adoptee, target, Event.ADOPTION, on, role=Role.HEAD)
            ledger.move(spouse, target, Event.ADOPTION, on, role=Role.SPOUSE)
        else:
            if placement.new_koseki:  # 17条: a new 戸籍 for the 養親 first
                target = ledger.new_koseki(
                    form.new_honseki,
                    surname,
                    full_name(adopter.koseki, adopter),
                    Event.ADOPTION,
                    **kana_of(adopter.koseki),
                )
                rows[adopter.person_id] = ledger.move(adopter, target, Event.FORMED, on, role=Role.HEAD)
            if adoptee is not None:
                row = ledger.move(adoptee, target, Event.ADOPTION, on, role=Role.CHILD)
            else:
                row = enter_from_elsewhere(ledger, target, person, Event.ADOPTION, on)
        relationship = "養子" if row.sex == Sex.MALE else "養女"
        _set(row, **_adoptive_names(adopters), adoptive_relationship=relationship)
        _on_both(
            ledger,
            Event.ADOPTION,
            on,
            row,
            list(rows.values()),
            former_surname=former_surname,
            from_koseki="" if placement.stays else came_from,
            moved=not placement.stays,
        )
        return row.person_id

    return Plan(refusals, apply, form.adoptee_id or "", form.filed_on)


# -- 養子離縁 ---------------------------------------------------------------------------------


def _dissolution(form: forms.Dissolution) -> Plan:
    errors: list[tuple[str, str]] = []
    adoptee, adopters = _parties(form)
    history = list(
        Entry.objects.select_related("notification")
        .filter(member__person_id=adoptee.person_id, event__in=(Event.ADOPTION, Event.DISSOLUTION))
        .order_by("id")
    )
    adopted = next(
        (e for e in reversed(history) if e.event == Event.ADOPTION and "adopter_ids" in e.detail), None
    )
    ended = {
        p for e in history if adopted and e.id > adopted.id and e.event == Event.DISSOLUTION
        for p in e.detail.get("adopter_ids", ())
    }  # fmt: skip
    remaining = set(adopted.detail["adopter_ids"]) - ended if adopted else set()
    if not set(form.adopter_ids) <= remaining:
        raise Invalid([("adopter_ids", NOT_ADOPTED)])
    remaining -= set(form.adopter_ids)
    refusals = kinship.needs_proxy(adoptee.birth_date, form.filed_on, form.proxy)
    if form.keep_surname:
        refusals += kinship.may_keep_surname(adopted.on, form.filed_on)
    previous = left_for(adoptee, Event.ADOPTION)
    spouse = spouse_of(adoptee)
    placement = formation.dissolution(
        restores_surname=adopted.detail.get("moved", False) and not remaining,
        married_head=adoptee.role == Role.HEAD and spouse is not None,
        restore_former=form.restore_former and not form.keep_surname,
        former_open=previous is not None and previous.koseki.closed_on is None,
    )
    need_honseki(placement, form.new_honseki, errors)
    if errors:
        raise Invalid(errors)

    def apply(ledger: Ledger) -> str:
        on = form.filed_on
        surname = adoptee.koseki.surname if form.keep_surname else adopted.detail["former_surname"]
        filed = adopted.notification.data if adopted.notification else {}
        given = (filed.get("adoptee") or {}) if filed.get("kind") == "adoption" else {}
        kana = restored_reading(surname, adoptee.koseki, previous, given, form.keep_surname)
        if placement.stays:
            row = adoptee
        elif placement.new_koseki:
            target = ledger.new_koseki(
                form.new_honseki, surname, f"{surname}{SPACE}{adoptee.given_name}", Event.DISSOLUTION, **kana
            )
            row = ledger.move(adoptee, target, Event.DISSOLUTION, on, role=Role.HEAD)
            if placement.for_couple:
                ledger.move(spouse, target, Event.DISSOLUTION, on, role=Role.SPOUSE)
        else:
            row = ledger.move(adoptee, previous.koseki, Event.DISSOLUTION, on, role=Role(previous.role))
        # The 養父母 who remain stay written (816条1項ただし書); with none, the 続柄 goes too.
        names = {k: v for k, v in _adoptive_names(adopters).items() if v}
        left = {k: "" for k in names}
        if not remaining:
            left["adoptive_relationship"] = ""
        _set(row, **left)
        _on_both(ledger, Event.DISSOLUTION, on, row, adopters, keep_surname=form.keep_surname)
        return row.person_id

    return Plan(refusals, apply, adoptee.person_id, form.filed_on)


# -- 認知 -------------------------------------------------------------------------------------


def _acknowledgement(form: forms.Acknowledgement) -> Plan:
    errors: list[tuple[str, str]] = []
    if (form.father_id is None) == (form.father is None):
        raise Invalid([("father_id", ONE_FATHER)])
    child = found(form.child_id, "child_id", errors)
    father = found(form.father_id, "father_id", errors) if form.father_id else None
    if errors:
        raise Invalid(errors)
    if form.father_id == form.child_id:
        raise Invalid([("father_id", SAME)])
    person = form.father
    if person is not None and person.birth_date > form.filed_on:
        raise Invalid([("father.birth_date", FUTURE)])
    refusals = characters.check_name(person.surname + person.given_name, "father") if person else []
    event_on, deadline = court_days(form)
    refusals += kinship.acknowledgement(
        bool(child.father or child.father_id),
        child.birth_date,
        father.birth_date if father else person.birth_date,
        form.filed_on,
        # A 裁判認知 needs no consent: the court decided (民法787条).
        child_consent=form.child_consent or form.court_finalised_on is not None,
    )

    def apply(ledger: Ledger) -> str:
        on, court = event_on, form.court_finalised_on is not None
        if father is not None:
            name, where = full_name(father.koseki, father), shown(father.koseki)
        else:
            name, where = f"{person.surname}{SPACE}{person.given_name}", person.from_koseki
        _set(child, father=name, father_id=father.person_id if father else "")
        ledger.entry(
            child.koseki,
            child,
            Event.ACKNOWLEDGEMENT,
            on,
            father=name,
            father_id=child.father_id,
            father_koseki=where,
            court=court,
        )
        ledger.touched[child.person_id] = child
        if father is not None:
            ledger.entry(
                father.koseki,
                father,
                Event.ACKNOWLEDGEMENT,
                on,
                child=full_name(child.koseki, child),
                child_id=child.person_id,
                child_koseki=shown(child.koseki),
                court=court,
            )
            ledger.touched[father.person_id] = father
        return child.person_id

    return Plan(refusals, apply, child.person_id, event_on, deadline)


PLANS = {"adoption": _adoption, "dissolve": _dissolution, "acknowledge": _acknowledgement}
