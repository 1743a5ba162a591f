"""Recording the 戸籍 a municipality already keeps (移行): the 本籍地 starts Yakuba with its
existing 戸籍, each written as it stands — members in the statutory order (戸籍法14条,
``rules/order.py``), 除籍 members marked in their place — without 届出 or events (nothing
changed: the registry already shows these 本籍・筆頭者).

A file is a JSON list of 戸籍; it is recorded whole or not at all, every error named by its
path (``[2].members[0].birth_date``). Set-based: one INSERT of the 戸籍, one of the members,
one of the 編製 entries, one audit row.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from yakuba.koseki.codes import Event, Role, Sex
from yakuba.koseki.models import Entry, Koseki, Member
from yakuba.koseki.rules import characters, furigana, order
from yakuba.koseki.services.forms import AtenaNo, Invalid
from yakuba.koseki.services.ledger import SPACE, lock
from yakuba.platform import schema_errors
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.japanese.kana import is_katakana_name
from yakuba.platform.tenancy.context import require_tenant

NOT_KANA = "カタカナで入力してください"
ONE_HEAD = "筆頭者（role: head）を1人、配偶者（spouse）は1人までにしてください"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ExistingMember(_Strict):
    given_name: Annotated[str, Field(min_length=1, max_length=50)]
    given_name_kana: str = ""
    birth_date: date
    sex: Sex
    role: Role
    father: str = ""
    mother: str = ""
    relationship: Annotated[str, Field(min_length=1, max_length=10)]
    entered_on: date
    from_koseki: str = ""
    removed_on: date | None = None
    removed_reason: Event | None = None
    atena_no: AtenaNo = ""


class ExistingKoseki(_Strict):
    honseki: Annotated[str, Field(min_length=1, max_length=200)]
    surname: Annotated[str, Field(min_length=1, max_length=50)]
    surname_kana: str = ""
    formed_on: date
    closed_on: date | None = None
    original: bool = False  # a 改製原戸籍
    members: Annotated[list[ExistingMember], Field(min_length=1, max_length=200)]


_ADAPTER = TypeAdapter(list[ExistingKoseki])


def _checked(data) -> list[ExistingKoseki]:
    try:
        kosekis = _ADAPTER.validate_python(data)
    except ValidationError as error:
        raise Invalid(
            [(schema_errors.path(e["loc"]), schema_errors.message(e)) for e in error.errors()]
        ) from None
    errors: list[tuple[str, str]] = []
    for i, koseki in enumerate(kosekis):
        heads = [m.role for m in koseki.members]
        if heads.count(Role.HEAD) != 1 or heads.count(Role.SPOUSE) > 1:
            errors.append((f"[{i}].members", ONE_HEAD))
        for field, kana in [(f"[{i}].surname_kana", koseki.surname_kana)] + [
            (f"[{i}].members[{j}].given_name_kana", m.given_name_kana) for j, m in enumerate(koseki.members)
        ]:
            if kana and not is_katakana_name(furigana.normalise(kana)):
                errors.append((field, NOT_KANA))
        errors += characters.check_name(koseki.surname, f"[{i}].surname")
        for j, m in enumerate(koseki.members):
            errors += characters.check_name(m.given_name, f"[{i}].members[{j}].given_name")
    if errors:
        raise Invalid(errors)
    return kosekis


def record_existing(data) -> list[str]:
    """Record the 戸籍 of ``data`` (a list, as the module says); returns their new koseki_ids."""
    kosekis = _checked(data)
    with transaction.atomic(using=require_tenant().alias):
        lock()
        lg_code, now, actor = require_tenant().lg_code, timezone.now(), current_actor().name
        next_koseki = int(Koseki.objects.aggregate(n=Max("koseki_id"))["n"] or 0) + 1
        next_person = int(Member.objects.aggregate(n=Max("person_id"))["n"] or 0) + 1
        rows, members, entries = [], [], []
        for n, given in enumerate(kosekis):
            people = {str(j): m for j, m in enumerate(given.members)}
            ordered = order.formation_order(order.Entrant(k, m.role, m.birth_date) for k, m in people.items())
            head = people[ordered[0]]
            koseki = Koseki(
                lg_code=lg_code,
                koseki_id=f"{next_koseki + n:010d}",
                honseki=given.honseki,
                hittosha=f"{given.surname}{SPACE}{head.given_name}",
                surname=given.surname,
                surname_kana=furigana.normalise(given.surname_kana),
                surname_kana_source=(
                    furigana.Source.FILED if given.surname_kana else furigana.Source.NONE
                ).value,
                formed_on=given.formed_on,
                formed_reason=Event.FORMED,
                closed_on=given.closed_on,
                closed_reason=Event.CLOSED if given.closed_on else "",
                original=given.original,
                created_at=now,
                created_by=actor,
            )
            rows.append(koseki)
            for position, key in enumerate(ordered, start=1):
                m = people[key]
                members.append(
                    Member(
                        lg_code=lg_code,
                        koseki=koseki,
                        position=position,
                        person_id=f"{next_person + len(members):010d}",
                        role=m.role,
                        given_name=m.given_name,
                        given_name_kana=furigana.normalise(m.given_name_kana),
                        given_name_kana_source=(
                            furigana.Source.FILED if m.given_name_kana else furigana.Source.NONE
                        ).value,
                        birth_date=m.birth_date,
                        sex=m.sex,
                        father=m.father,
                        mother=m.mother,
                        relationship=m.relationship,
                        entered_on=m.entered_on,
                        entered_reason=Event.FORMED,
                        from_koseki=m.from_koseki,
                        removed_on=m.removed_on,
                        removed_reason=m.removed_reason or "",
                        atena_no=m.atena_no,
                    )
                )
            entries.append(
                Entry(
                    lg_code=lg_code,
                    koseki=koseki,
                    event=Event.FORMED,
                    on=given.formed_on,
                    recorded_on=timezone.localdate(),
                    detail={"migrated": True},
                    created_at=now,
                    created_by=actor,
                )
            )
        Koseki.objects.bulk_create(rows)
        Member.objects.bulk_create(members)
        Entry.objects.bulk_create(entries)
        record(
            Action.CREATE,
            "koseki",
            subjects=[m.person_id for m in members],
            purpose="既存の戸籍の移行",
            detail={"koseki": len(rows)},
        )
    return [k.koseki_id for k in rows]
