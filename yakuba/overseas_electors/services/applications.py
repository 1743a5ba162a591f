"""登録申請 (公職選挙法30条の5; civil-facts §1.4): the 出国時申請 a person makes at this 選管
between the 国外への転出届 and the 転出予定日, and the 在外公館申請 that reaches it through the
在外公館 and 外務省. ``check_*`` returns every broken rule and writes nothing; ``apply_*`` records
the application (one transaction: the caller's) — it is registered later, by ``entries.register``,
once the address abroad is confirmed (the 在留届, 外務省 flow page) or the three months abroad
have ended.

The person is read through the registry's door and the 選挙人名簿's door only. The applicant is at
the counter or writes in person, so the registry is read with the protected persons visible: a
person under 支援措置 may apply like anyone; what this app shows of them is its own staff's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yakuba.elections import services as elections
from yakuba.overseas_electors.codes import Basis, Kind, LeadStatus, Status
from yakuba.overseas_electors.models import Application, DepartureLead
from yakuba.overseas_electors.rules import eligibility
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

RESOURCE = "overseas_electors.application"
PURPOSE = "在外選挙人名簿の登録申請"
APPLICANT = registry.Visibility(protected=True)
JAPANESE = 1  # 住民種別 1 日本人 (the registry's codes)
REMOVED = 3  # 住民状態 3 消除
MOVE_OUT_ABROAD = "move_out_abroad"  # 消除事由 国外転出
ROLL_LOST_SUFFRAGE = "marked_lost_suffrage"  # the roll's status (contract §9.7)
# The columns' lengths (models.Application).
LIMITS = {"name": 100, "domicile": 200, "mission": 100, "overseas_address": 200, "domestic_address": 200}


class Refused(ValueError):
    """Every broken rule as (field, Japanese message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("\n".join(f"{f}: {m}" for f, m in errors))
        self.errors = errors


@dataclass(frozen=True)
class DepartureIn:
    """A 出国時申請: the person (宛名番号), the day it is received, and — when a 受任者 brings it —
    their 氏名 and whether the person's signed 申出書 was presented."""

    atena_no: str
    applied_on: date
    agent_name: str = ""
    statement: bool = False


@dataclass(frozen=True)
class MissionIn:
    """A 在外公館申請 as the 在外公館 forwarded it. ``atena_no`` for a person whose 最終住所 was
    here (the registry gives the address and the day they left); else ``left_japan_on`` (None:
    never lived in Japan) and ``domestic_address`` (the 最終住所 or 本籍 written on it)."""

    applied_on: date
    name: str
    birth_date: date | None
    domicile: str
    mission: str
    overseas_address: str
    arrived_on: date | None
    atena_no: str = ""
    left_japan_on: date | None = None
    domestic_address: str = ""


def _person(atena_no: str) -> registry.ResidentRecord | None:
    try:
        return registry.get_resident(atena_no, visibility=APPLICANT)
    except registry.NotFound:
        return None


def _already_applied(atena_no: str) -> list[tuple[str, str]]:
    if (
        atena_no
        and Application.objects.filter(
            atena_no=atena_no,
            status__in=(Status.PENDING, Status.REGISTERED),
            entry__struck_off_on__isnull=True,
        ).exists()
    ):
        return [("atena_no", "この方の申請は受理済みです（審査中又は登録済み）")]
    return []


@dataclass(frozen=True)
class _Departing:
    person: registry.ResidentRecord
    filed_on: date | None  # the 国外への転出届's 届出日 (None: no 国外転出 in force)
    planned_on: date | None


def _departing(atena_no: str) -> _Departing | None:
    """The person and their 国外転出 in force: the 届出日 of the last 転出 not canceled (its
    ``notified_date``, else the day it was processed) and the 転出予定日 — from the registry's
    history, so a later 修正 of the record does not hide the 転出."""
    try:
        history = registry.person_history(atena_no, visibility=APPLICANT) if atena_no.isdigit() else []
    except registry.NotFound:
        history = []
    if not history:
        return None
    person = history[-1].record
    move = next(
        (h.move for h in reversed(history) if h.move.kind == "move_out" and not h.move.canceled_by), None
    )
    if person.removal_reason != MOVE_OUT_ABROAD or move is None:
        return _Departing(person, None, None)
    return _Departing(
        person, move.notified_date or timezone.localdate(move.processed_at), person.planned_move_out_on
    )


def _departure(given: DepartureIn) -> tuple[_Departing | None, list[tuple[str, str]]]:
    departing = _departing(given.atena_no)
    if departing is None:
        return None, [("atena_no", f"宛名番号 {given.atena_no} の住民は見つかりません")]
    person, filed, planned = departing.person, departing.filed_on, departing.planned_on
    entry = elections.entry_of(given.atena_no, given.applied_on)
    errors = eligibility.check_departure(
        given.applied_on,
        filed,
        planned,
        on_roll=entry is not None,
        lost_suffrage=entry is not None and entry.status == ROLL_LOST_SUFFRAGE,
        qualifies_by_planned=person.resident_type == JAPANESE
        and planned is not None
        and eligibility.qualifies_at_home_by(person.birth_date, person.notified_on, planned),
    )
    agent = eligibility.check_agent(given.agent_name.strip(), given.statement)
    if len(given.agent_name.strip()) > LIMITS["name"]:
        agent.append(("agent_name", f"受任者の氏名は{LIMITS['name']}文字以内で入力してください"))
    return departing, errors + agent + _already_applied(given.atena_no)


def check_departure(given: DepartureIn) -> list[tuple[str, str]]:
    """Every broken rule of a 出国時申請, no writes."""
    return _departure(given)[1]


def apply_departure(given: DepartureIn) -> Application:
    """Record a 出国時申請 (pending until the address abroad is confirmed); the registry's 国外転出
    lead of the person is closed as applied."""
    departing, errors = _departure(given)
    if errors:
        raise Refused(errors)
    person = departing.person
    row = _create(
        kind=Kind.DEPARTURE,
        atena_no=given.atena_no,
        name=person.name,
        birth_date=person.birth_date,
        applied_on=given.applied_on,
        basis=Basis.LAST_ADDRESS,
        domestic_address=person.address,
        domicile=person.domicile or "",
        juminhyo_code=person.juminhyo_code or "",
        left_japan_on=person.planned_move_out_on,
        moved_out_filed_on=departing.filed_on,
        planned_move_out_on=person.planned_move_out_on,
        overseas_address=person.destination_address,
        agent_name=given.agent_name.strip(),
    )
    DepartureLead.objects.filter(atena_no=given.atena_no, status=LeadStatus.OPEN).update(
        status=LeadStatus.APPLIED
    )
    return row


def _mission(given: MissionIn) -> tuple[dict, list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
    fields = {
        "name": given.name.strip(),
        "birth_date": given.birth_date,
        "domicile": given.domicile.strip(),
        "left_japan_on": given.left_japan_on,
        "domestic_address": given.domestic_address.strip(),
    }
    if given.atena_no:
        person = _person(given.atena_no) if given.atena_no.isdigit() else None
        if person is None:
            errors.append(("atena_no", f"宛名番号 {given.atena_no} の住民は見つかりません"))
        elif person.status != REMOVED or (person.removed_on and person.removed_on > given.applied_on):
            errors.append(
                ("atena_no", "国内に住民票がある方は申請できません（転出届の後に申請してください）")
            )
        else:
            fields.update(
                name=fields["name"] or person.name,
                birth_date=fields["birth_date"] or person.birth_date,
                left_japan_on=person.removed_on,
                domestic_address=person.address,
                domicile=fields["domicile"] or person.domicile or "",
                juminhyo_code=person.juminhyo_code or "",
            )
    basis = eligibility.registering_basis(fields["left_japan_on"])
    if basis == Basis.LAST_ADDRESS and not given.atena_no:
        errors.append(
            ("atena_no", "1994年5月1日以後に出国した方は最終住所地で登録します。宛名番号を入力してください")
        )
    if basis == Basis.DOMICILE and not fields["domestic_address"]:
        fields["domestic_address"] = fields["domicile"]
    for field, label, value in (
        ("name", "氏名", fields["name"]),
        ("domicile", "本籍", fields["domicile"]),
        ("mission", "在外公館", given.mission.strip()),
        ("overseas_address", "国外の住所", given.overseas_address.strip()),
    ):
        if not value:
            errors.append((field, f"{label}を入力してください"))
        elif len(value) > LIMITS[field]:
            errors.append((field, f"{label}は{LIMITS[field]}文字以内で入力してください"))
    if len(fields["domestic_address"]) > LIMITS["domestic_address"]:
        errors.append(
            ("domestic_address", f"最終住所は{LIMITS['domestic_address']}文字以内で入力してください")
        )
    if fields["birth_date"] is None:
        errors.append(("birth_date", "生年月日を入力してください"))
    if given.arrived_on is None:
        errors.append(("arrived_on", "管轄区域内に住所を定めた日を入力してください"))
    elif given.arrived_on > given.applied_on:
        errors.append(("arrived_on", "管轄区域内に住所を定めた日は申請日以前の日です"))
    fields["basis"] = basis
    return fields, errors + _already_applied(given.atena_no)


def check_mission(given: MissionIn) -> list[tuple[str, str]]:
    """Every broken rule of a 在外公館申請, no writes. An applicant short of three months in the
    area (or of 18) is not refused: the application is held until ``mission_qualifies_on``."""
    return _mission(given)[1]


def apply_mission(given: MissionIn) -> Application:
    fields, errors = _mission(given)
    if errors:
        raise Refused(errors)
    return _create(
        kind=Kind.MISSION,
        atena_no=given.atena_no,
        applied_on=given.applied_on,
        mission=given.mission.strip(),
        overseas_address=given.overseas_address.strip(),
        arrived_on=given.arrived_on,
        **fields,
    )


def _create(**fields) -> Application:
    row = Application.objects.create(
        lg_code=require_tenant().lg_code, created_at=timezone.now(), created_by=current_actor().name, **fields
    )
    record(
        Action.CREATE,
        RESOURCE,
        subjects=[row.atena_no] if row.atena_no else [],
        purpose=PURPOSE,
        detail={"application": row.pk, "kind": row.kind},
    )
    return row


def refuse(application_id: int, on: date, reason: str) -> Application:
    """却下 (e.g. the 在留届 shows no address abroad): the reason is required."""
    row = Application.objects.filter(pk=application_id, status=Status.PENDING).first()
    errors = [] if row else [("application", "審査中の申請が見つかりません")]
    if not reason.strip():
        errors.append(("reason", "却下の理由を入力してください"))
    if errors:
        raise Refused(errors)
    row.status, row.decided_on, row.refusal_reason = Status.REFUSED, on, reason.strip()[:200]
    row.save(update_fields=["status", "decided_on", "refusal_reason"])
    record(Action.UPDATE, RESOURCE, subjects=[row.atena_no] if row.atena_no else [], purpose=PURPOSE,
           detail={"application": row.pk, "refused": True})  # fmt: skip
    return row
