"""転籍届 (戸籍法108条): a 戸籍 of this town moves to a new 本籍 — in the town the same 戸籍 takes
it (管内転籍), to another town this 戸籍 is closed and kept as a 除籍 (管外転籍) — or a 戸籍 of
another town moves here: a new 戸籍 is made with the members still in the old one, in their
order (14条), each keeping the day they entered it, under the 従前本籍 (civil-facts §3.1).

The 受理's event names the 戸籍 closed (``closed``: its last 本籍 here, ``to`` and ``to_lg_code``),
made (``formed``: ``from`` the 従前本籍) or moved within the town (``moved``: ``from`` and ``to``
本籍): the 附票 follows the 戸籍 (a 除附票 here, a new 附票 there, or the same 附票 under the new
本籍; civil-facts §2 附票).
"""

from __future__ import annotations

from yakuba.koseki.codes import Event, Role
from yakuba.koseki.models import Koseki, Member
from yakuba.koseki.rules import characters, filers, furigana, order
from yakuba.koseki.services import forms
from yakuba.koseki.services.forms import Invalid
from yakuba.koseki.services.ledger import SPACE, Ledger, full_name
from yakuba.koseki.services.plans import FUTURE, Plan, as_given
from yakuba.platform.tenancy.context import require_tenant

NO_KOSEKI = "戸籍ID {koseki_id} の戸籍は見つかりません"
KOSEKI_CLOSED = "この戸籍はすでに消除されています（{day}）"
NOT_HERE = "他の市町村からの転籍は、新本籍がこの市町村（{lg_code}）のときに限ります"
TWO = "筆頭者と配偶者はそれぞれ1人までです"
ONE_WAY = "この市町村の戸籍の転籍（koseki_id）では、従前本籍・在籍する方は入力できません"
NEED = "{what}を入力してください"
NEED_HITTOSHA = "筆頭者が在籍していないときは、筆頭者の氏名（hittosha）を入力してください"


def open_koseki(koseki_id: str) -> Koseki:
    """The 戸籍 ``koseki_id`` still open (not a 除籍), or ``Invalid`` naming ``koseki_id``."""
    koseki = Koseki.objects.filter(koseki_id=koseki_id).first()
    if koseki is None:
        raise Invalid([("koseki_id", NO_KOSEKI.format(koseki_id=koseki_id))])
    if koseki.closed_on is not None:
        raise Invalid([("koseki_id", KOSEKI_CLOSED.format(day=koseki.closed_on))])
    return koseki


def heads_of(koseki: Koseki) -> dict[str, str]:
    """{person_id: 氏名} of the 筆頭者 and 配偶者 still in ``koseki`` (the filers of 107・108条)."""
    return {
        m.person_id: full_name(koseki, m)
        for m in Member.objects.filter(koseki=koseki, removed_on=None, role__in=(Role.HEAD, Role.SPOUSE))
    }


def transfer(form: forms.Transfer) -> Plan:
    """A 戸籍 of this town (``koseki_id`` and its ``filer_ids``) moves; without one, a 戸籍 of
    another town (``from_honseki``, ``surname``, ``members``) moves here."""
    if form.koseki_id:
        if form.members or form.from_honseki:
            raise Invalid([("members", ONE_WAY)])
        if not form.filer_ids:
            raise Invalid([("filer_ids", NEED.format(what="届出人"))])
        return _moving_out(form)
    missing = [
        (name, NEED.format(what=what))
        for name, what in (("from_honseki", "従前本籍"), ("surname", "氏"), ("members", "在籍する方"))
        if not getattr(form, name)
    ]
    if missing:
        raise Invalid([("koseki_id", NEED.format(what="この市町村の戸籍は戸籍ID")), *missing])
    return _moving_in(form)


def _moving_out(form: forms.Transfer) -> Plan:
    koseki = open_koseki(form.koseki_id)
    within = form.to_lg_code == require_tenant().lg_code
    refusals = filers.couple_filers(heads_of(koseki), set(form.filer_ids))

    def apply(ledger: Ledger) -> str:
        ledger.entry(
            koseki,
            None,
            Event.TRANSFER,
            form.filed_on,
            old=koseki.honseki,
            new=form.new_honseki,
            to_lg_code=form.to_lg_code,
        )
        if within:  # 管内転籍: the same 戸籍 under its new 本籍 (the 附票 follows it: ``moved``)
            ledger.extra["moved"] = {"from": koseki.honseki, "to": form.new_honseki}
            koseki.honseki = form.new_honseki
            koseki.save(update_fields=["honseki"])
        else:  # 管外転籍: the new 本籍地 makes the 戸籍; this one is closed
            ledger.close(koseki, Event.TRANSFER, to=form.new_honseki, to_lg_code=form.to_lg_code)
            koseki.honseki = form.new_honseki  # what the events tell the registry (not saved)
        return ledger.everyone(koseki)

    return Plan(refusals, apply, "", form.filed_on)


def _moving_in(form: forms.Transfer) -> Plan:
    lg_code = require_tenant().lg_code
    errors: list[tuple[str, str]] = []
    if form.to_lg_code != lg_code:
        errors.append(("to_lg_code", NOT_HERE.format(lg_code=lg_code)))
    roles = [m.role for m in form.members]
    if roles.count(Role.HEAD) > 1 or roles.count(Role.SPOUSE) > 1:
        errors.append(("members", TWO))
    head = next((m for m in form.members if m.role == Role.HEAD), None)
    hittosha = f"{form.surname}{SPACE}{head.given_name}" if head else form.hittosha
    if not hittosha:
        errors.append(("hittosha", NEED_HITTOSHA))
    for i, member in enumerate(form.members):
        if member.birth_date > form.filed_on:
            errors.append((f"members[{i}].birth_date", FUTURE))
    if errors:
        raise Invalid(errors)
    refusals = characters.check_name(form.surname, "surname")
    for i, member in enumerate(form.members):
        refusals += characters.check_name(member.given_name, f"members[{i}].given_name")
    # 108条: the 筆頭者 and 配偶者 still in the 戸籍 sign the 届書.
    heads = {
        str(i): f"{form.surname}{SPACE}{m.given_name}"
        for i, m in enumerate(form.members)
        if m.role != Role.CHILD
    }
    signed = {str(i) for i, m in enumerate(form.members) if m.filer}
    refusals += filers.couple_filers(heads, signed)
    ordered = order.formation_order(
        (order.Entrant(str(i), m.role, m.birth_date) for i, m in enumerate(form.members)), moved=True
    )

    came_from = f"{form.from_honseki}{SPACE}{hittosha}"

    def apply(ledger: Ledger) -> str:
        source = furigana.Source.FILED if form.surname_kana else furigana.Source.NONE
        koseki = ledger.new_koseki(
            form.new_honseki,
            form.surname,
            hittosha,
            Event.TRANSFER,
            came_from=came_from,
            surname_kana=furigana.normalise(form.surname_kana),
            surname_kana_source=source,
        )
        ledger.entry(koseki, None, Event.TRANSFER, form.filed_on, old=form.from_honseki, new=form.new_honseki)
        # One INSERT for everyone (a new 戸籍: places 1, 2, … in the 14条 order, new person ids).
        first = int(ledger.new_person_id())
        written = Member.objects.bulk_create(
            _incoming(koseki, form.members[int(key)], position, f"{first + position - 1:010d}", came_from)
            for position, key in enumerate(ordered, start=1)
        )
        for member in written:
            ledger.touched[member.person_id] = member
        return written[0].person_id

    return Plan(refusals, apply, "", form.filed_on)


def _incoming(koseki: Koseki, m: forms.Incoming, position: int, person_id: str, came_from: str) -> Member:
    return Member(
        lg_code=koseki.lg_code,
        koseki=koseki,
        position=position,
        person_id=person_id,
        role=m.role,
        adoptive_father=m.adoptive_father,
        adoptive_mother=m.adoptive_mother,
        adoptive_relationship=m.adoptive_relationship,
        entered_on=m.entered_on,
        entered_reason=Event.TRANSFER,
        from_koseki=came_from,
        **as_given(m),
    )
