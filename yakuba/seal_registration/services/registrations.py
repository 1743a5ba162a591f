"""The 印鑑登録 door: register a seal (same day, or through the 照会書 and its 回答書), the 廃止届
and the 亡失届, the registration of a person, and the seal's image — every read of it audited.

The rules are ``rules/`` (civil-facts §2.1–§2.3); this module reads what they need through the
registry's door (the person's 生年月日, 氏名, 旧氏, 通称, 世帯) and the registrations of the
person's 世帯 in one query, and writes each use case in one transaction with its audit row.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone

from yakuba.platform.audit.log import Action, audited, current_actor, note, record
from yakuba.platform.linkage import outbox
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.seal_registration import events
from yakuba.seal_registration.codes import (
    Applicant,
    EndReason,
    GuardianshipKind,
    Identity,
    InquiryStatus,
    Procedure,
    Status,
)
from yakuba.seal_registration.models import GuardianshipNotice, Inquiry, Registration, RegistrationChange
from yakuba.seal_registration.rules import applicant as applicant_rules
from yakuba.seal_registration.rules import procedure as procedure_rules
from yakuba.seal_registration.rules.impression import Name, Seal, check_seal
from yakuba.seal_registration.rules.ordinance import Ordinance
from yakuba.seal_registration.rules.refusal import Refused
from yakuba.seal_registration.services import ordinance as ordinance_settings

RESOURCE = "seal_registration"
PURPOSE = "印鑑登録（印鑑条例）"
IMAGE_PURPOSE = "印影の参照"
MAX_IMAGE = 1_000_000
MINIMAL = registry.Visibility()  # no 個人番号, no protected persons: the default of every read
_IMAGE_TYPES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG

NOT_FOUND = "宛名番号 {atena_no} の住民は見つかりません"
NOT_RESIDENT = "住民基本台帳に記録されている住民（転出予定・消除の方を除く）でなければ登録できません"
ALREADY = "すでに印鑑登録があります（印鑑登録番号 {no}）。新しい印鑑は、廃止届の後に登録してください"
BAD_IMAGE = "印影の画像は PNG 又は JPEG で、1MB 以下にしてください"
NO_REGISTRATION = "印鑑登録番号 {no} の登録は見つかりません"
NO_CARD = "印鑑登録証の番号 {no} の登録は見つかりません"
ENDED = "この印鑑登録はすでに{status}されています（{day}）"
NO_INQUIRY = "照会番号 {no} の照会書は見つかりません"
INQUIRY_CLOSED = "この照会書はすでに{status}です"

__all__ = [
    "Application",
    "InquirySent",
    "Refused",
    "Registered",
    "RegistrationView",
    "abolish",
    "answer_inquiry",
    "apply_registration",
    "check_registration",
    "registration_by_card",
    "registration_of",
    "registrations_of",
    "report_lost",
    "seal_image",
]


@dataclass(frozen=True)
class Application:
    """A 印鑑登録申請 as the clerk takes it at the counter."""

    atena_no: str
    seal_text: str
    width_mm: Decimal
    height_mm: Decimal
    image: bytes
    deformable: bool = False
    applicant: Applicant = Applicant.SELF
    identity: Identity = Identity.PHOTO_ID
    power_of_attorney: bool = False
    guarantor_registration_no: str = ""  # the 保証人's 印鑑登録番号 on the 保証書
    adult_ward: bool = False
    guardian_present: bool = False


@dataclass(frozen=True)
class Registered:
    registration_no: str
    card_no: str
    atena_no: str
    registered_on: date
    procedure: Procedure


@dataclass(frozen=True)
class InquirySent:
    """The 照会書 to mail to the applicant's address (the registry's, not one the 代理人 gives)."""

    inquiry_no: str
    atena_no: str
    address: str
    sent_on: date
    deadline: date


@dataclass(frozen=True)
class RegistrationView:
    """A registration without its image (``seal_image`` reads that, audited)."""

    registration_no: str
    card_no: str
    atena_no: str
    seal_text: str
    width_mm: Decimal
    height_mm: Decimal
    image_sha256: str
    registered_on: date
    status: Status
    ended_on: date | None
    end_reason: str
    checks: dict = field(default_factory=dict)

    @property
    def end_reason_label(self) -> str:
        return EndReason(self.end_reason).label if self.end_reason else ""

    def valid_on(self, day: date) -> bool:
        """Registered on ``day``: a 転出 ends it on the 転出日, not on the day it was filed (§2.5)."""
        if day < self.registered_on:
            return False
        return self.status == Status.REGISTERED or (self.ended_on is not None and day < self.ended_on)


def _view(row: Registration) -> RegistrationView:
    return RegistrationView(
        row.registration_no,
        row.card_no,
        row.atena_no,
        row.seal_text,
        row.width_mm,
        row.height_mm,
        row.image_sha256,
        row.registered_on,
        Status(row.status),
        row.ended_on,
        row.end_reason,
        row.checks,
    )


def _seal(application: Application) -> Seal:
    return Seal(
        application.seal_text,
        application.width_mm,
        application.height_mm,
        application.deformable,
        hashlib.sha256(application.image).hexdigest(),
    )


def _household_seals(setai_no: str, atena_no: str) -> list[Seal]:
    """The open registrations of the other members of the 世帯 (one query; ids through the
    registry's door, protected members included: the rule is about the seal, nothing is shown)."""
    members = registry.household_members(setai_no) - {atena_no} if setai_no else set()
    rows = Registration.objects.filter(atena_no__in=members, status=Status.REGISTERED).values_list(
        "seal_text", "width_mm", "height_mm", "image_sha256"
    )
    return [Seal(text, w, h, digest=digest) for text, w, h, digest in rows]


def _notified_ward(atena_no: str) -> bool:
    """The person's latest 登記事項通知 is a 後見開始 (services/guardianship.py)."""
    latest = (
        GuardianshipNotice.objects.filter(atena_no=atena_no).order_by("-id").values_list("kind", flat=True)
    )
    return latest.first() == GuardianshipKind.STARTED


def _checked(application: Application, visibility: registry.Visibility, on: date, ordinance: Ordinance):
    """(the person or None, every refusal, the outcome to keep) under the 条例 in force ``on``."""
    errors: list[tuple[str, str]] = []
    image = application.image
    if len(image) > MAX_IMAGE or not image.startswith(_IMAGE_TYPES):
        errors.append(("image", BAD_IMAGE))
    try:
        person = registry.get_resident(application.atena_no, visibility=visibility)
    except registry.NotFound:
        return None, [("atena_no", NOT_FOUND.format(atena_no=application.atena_no)), *errors], {}
    if person.status != 1:
        errors.append(("atena_no", NOT_RESIDENT))
    open_no = (
        Registration.objects.filter(atena_no=person.atena_no, status=Status.REGISTERED)
        .values_list("registration_no", flat=True)
        .first()
    )
    if open_no:
        errors.append(("atena_no", ALREADY.format(no=open_no)))
    guarantor = application.guarantor_registration_no.strip()
    guarantor_row = (
        Registration.objects.filter(registration_no=guarantor, status=Status.REGISTERED).first()
        if guarantor
        else None
    )
    outcome = {
        "applicant": applicant_rules.check_applicant(
            person.birth_date,
            on,
            adult_ward=application.adult_ward,
            guardian_present=application.guardian_present,
            notified_ward=_notified_ward(person.atena_no),
            ordinance=ordinance,
        ),
        "seal": check_seal(
            _seal(application),
            Name(
                person.name, person.former_surname, person.alias, person.name_kana, person.former_surname_kana
            ),
            _household_seals(person.setai_no, person.atena_no),
            ordinance,
        ),
        "procedure": procedure_rules.check_procedure(
            application.applicant,
            application.identity,
            power_of_attorney=application.power_of_attorney,
            guarantor_registered=guarantor_row is not None,
            guarantor_is_applicant=guarantor_row is not None and guarantor_row.atena_no == person.atena_no,
            ordinance=ordinance,
        ),
    }
    errors += [refusal for refusals in outcome.values() for refusal in refusals]
    return person, errors, outcome


def check_registration(
    application: Application, *, visibility: registry.Visibility = MINIMAL
) -> list[tuple[str, str]]:
    """Every broken rule at once, no writes (for a screen that checks as the clerk types)."""
    on = timezone.localdate()
    return _checked(application, visibility, on, ordinance_settings.in_force(on))[1]


def serialised() -> None:
    """One registration at a time in the municipality (a transaction lock): the checks read the
    open registrations of the person and of their 世帯, and two clerks registering the same seal
    for two members at once must not both pass; the numbers are taken under the same lock. A
    counter registers a few seals a day, so nothing waits in practice."""
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{tenant.lg_code}/seal_registration"])


def _new_number(model, column: str) -> str:
    """The next 8-digit number of ``column`` in the municipality (under ``serialised``)."""
    return f"{int(model.objects.aggregate(n=Max(column))['n'] or 0) + 1:08d}"


def _new_card_no() -> str:
    """A 印鑑登録証 number: random (it is what a certificate request presents, so it is not
    guessable from the 登録番号), unused in the municipality."""
    while True:
        card_no = f"{secrets.randbelow(10**8):08d}"
        if not Registration.objects.filter(card_no=card_no).exists():
            return card_no


def _register(fields: dict, procedure: Procedure, on: date) -> Registration:
    now, actor = timezone.now(), current_actor().name
    row = Registration.objects.create(
        lg_code=require_tenant().lg_code,
        registration_no=_new_number(Registration, "registration_no"),
        card_no=_new_card_no(),
        procedure=procedure,
        registered_on=on,
        created_at=now,
        created_by=actor,
        updated_at=now,
        **fields,
    )
    RegistrationChange.objects.create(
        lg_code=row.lg_code,
        registration=row,
        status=Status.REGISTERED,
        on=on,
        detail={"procedure": procedure},
        created_at=now,
        created_by=actor,
    )
    outbox.emit(
        events.REGISTERED,
        subject=row.atena_no,
        data={
            "registration_no": row.registration_no,
            "registered_on": on.isoformat(),
            "procedure": str(procedure),
        },
    )
    record(
        Action.CREATE,
        RESOURCE,
        subjects=[row.atena_no],
        purpose=PURPOSE,
        detail={"registration_no": row.registration_no},
    )
    return row


def ended_event(row: Registration) -> tuple[str, str, dict]:
    """The ENDED event of a registration just ended (for ``outbox.emit_many``): its number, status,
    事由 and day — no seal, no 氏名 (events.py)."""
    return (
        events.ENDED,
        row.atena_no,
        {
            "registration_no": row.registration_no,
            "status": str(row.status),
            "reason": str(row.end_reason),
            "ended_on": row.ended_on.isoformat(),
        },
    )


def _registered(row: Registration) -> Registered:
    return Registered(
        row.registration_no, row.card_no, row.atena_no, row.registered_on, Procedure(row.procedure)
    )


def _fields(application: Application, atena_no: str, outcome: dict) -> dict:
    """What the registration (or its 照会書) keeps of the application."""
    return {
        "atena_no": atena_no,
        "seal_text": application.seal_text.strip(),
        "width_mm": application.width_mm,
        "height_mm": application.height_mm,
        "image": application.image,
        "image_sha256": hashlib.sha256(application.image).hexdigest(),
        "applicant": application.applicant,
        "identity": application.identity,
        "checks": {
            **outcome,
            "guarantor_registration_no": application.guarantor_registration_no.strip(),
            "adult_ward": application.adult_ward,
            "guardian_present": application.guardian_present,
            "power_of_attorney": application.power_of_attorney,
        },
    }


def apply_registration(
    application: Application, *, visibility: registry.Visibility = MINIMAL
) -> Registered | InquirySent:
    """Register the seal the same day, or send the 照会書 (civil-facts §2.3). Raises ``Refused``."""
    with transaction.atomic(using=require_tenant().alias):
        serialised()
        on = timezone.localdate()
        ordinance = ordinance_settings.in_force(on)
        person, errors, outcome = _checked(application, visibility, on, ordinance)
        if errors:
            raise Refused(errors)
        fields = _fields(application, person.atena_no, outcome)
        procedure = procedure_rules.procedure(application.applicant, application.identity)
        if procedure == Procedure.SAME_DAY:
            return _registered(_register(fields, procedure, on))
        inquiry = Inquiry.objects.create(
            lg_code=require_tenant().lg_code,
            inquiry_no=_new_number(Inquiry, "inquiry_no"),
            sent_on=on,
            deadline=procedure_rules.reply_deadline(on, ordinance),
            created_at=timezone.now(),
            created_by=current_actor().name,
            **fields,
        )
        record(
            Action.CREATE,
            RESOURCE,
            subjects=[person.atena_no],
            purpose=PURPOSE,
            detail={"inquiry_no": inquiry.inquiry_no},
        )
        return InquirySent(inquiry.inquiry_no, person.atena_no, person.address, on, inquiry.deadline)


def _application_of(inquiry: Inquiry) -> Application:
    checks = inquiry.checks
    return Application(
        inquiry.atena_no,
        inquiry.seal_text,
        inquiry.width_mm,
        inquiry.height_mm,
        bytes(inquiry.image),
        applicant=Applicant(inquiry.applicant),
        identity=Identity(inquiry.identity),
        power_of_attorney=checks.get("power_of_attorney", False),
        adult_ward=checks.get("adult_ward", False),
        guardian_present=checks.get("guardian_present", False),
    )


def answer_inquiry(inquiry_no: str, *, visibility: registry.Visibility = MINIMAL) -> Registered:
    """The 回答書 brought back (civil-facts §2.3): registered today when within the deadline and
    the rules still hold (the person may have moved out, or a 世帯員 registered a like seal,
    meanwhile). A late one is refused: the application has lapsed (an unanswered 照会書 past its
    deadline is lapsed, nothing is written)."""
    with transaction.atomic(using=require_tenant().alias):
        serialised()
        inquiry = Inquiry.objects.select_for_update().filter(inquiry_no=inquiry_no).first()
        if inquiry is None:
            raise Refused([("inquiry_no", NO_INQUIRY.format(no=inquiry_no))])
        if inquiry.status != InquiryStatus.SENT:
            raise Refused([("inquiry_no", INQUIRY_CLOSED.format(status=InquiryStatus(inquiry.status).label))])
        on = timezone.localdate()
        late = procedure_rules.check_reply(inquiry.deadline, on)
        if late:
            raise Refused(late)
        application = _application_of(inquiry)
        person, errors, outcome = _checked(application, visibility, on, ordinance_settings.in_force(on))
        if errors:
            raise Refused(errors)
        row = _register(_fields(application, person.atena_no, outcome), Procedure.INQUIRY, on)
        inquiry.status, inquiry.answered_on, inquiry.registration = InquiryStatus.ANSWERED, on, row
        inquiry.save(update_fields=["status", "answered_on", "registration"])
        return _registered(row)


def end_registration(
    row: Registration, status: Status, reason: EndReason, on: date, *, source_event=None
) -> None:
    """廃止 or 抹消 of an open registration, with its history line and its ENDED event (caller's
    transaction)."""
    now = timezone.now()
    row.status, row.end_reason, row.ended_on, row.updated_at = status, reason, on, now
    row.save(update_fields=["status", "end_reason", "ended_on", "updated_at"])
    RegistrationChange.objects.create(
        lg_code=row.lg_code,
        registration=row,
        status=status,
        reason=reason,
        on=on,
        source_event=source_event,
        created_at=now,
        created_by=current_actor().name,
    )
    outbox.emit_many([ended_event(row)])


def _end_by_registrant(row: Registration | None, missing: str, reason: EndReason) -> RegistrationView:
    if row is None:
        raise Refused([("registration_no", missing)])
    if row.status != Status.REGISTERED:
        day = f"{row.ended_on:%Y年%m月%d日}" if row.ended_on else ""
        raise Refused([("registration_no", ENDED.format(status=Status(row.status).label, day=day))])
    end_registration(row, Status.ABOLISHED, reason, timezone.localdate())
    record(
        Action.UPDATE,
        RESOURCE,
        subjects=[row.atena_no],
        purpose=PURPOSE,
        detail={"registration_no": row.registration_no, "reason": reason},
    )
    return _view(row)


def abolish(registration_no: str) -> RegistrationView:
    """印鑑登録廃止申請 by the registrant: the registration ends today (civil-facts §2.5)."""
    with transaction.atomic(using=require_tenant().alias):
        row = Registration.objects.select_for_update().filter(registration_no=registration_no).first()
        return _end_by_registrant(row, NO_REGISTRATION.format(no=registration_no), EndReason.ABOLITION)


def report_lost(card_no: str) -> RegistrationView:
    """印鑑登録証亡失届: a lost card ends the registration; the person registers again (§2.5)."""
    with transaction.atomic(using=require_tenant().alias):
        row = Registration.objects.select_for_update().filter(card_no=card_no).first()
        return _end_by_registrant(row, NO_CARD.format(no=card_no), EndReason.LOST)


def registration_of(atena_no: str) -> RegistrationView | None:
    """The person's latest registration (open or ended), without its image."""
    row = (
        Registration.objects.filter(atena_no=atena_no)
        .defer("image")
        .order_by("-registered_on", "-id")
        .first()
    )
    return _view(row) if row else None


@audited(Action.READ, RESOURCE, subject="atena_no", purpose=PURPOSE)
def registrations_of(atena_no: str) -> list[RegistrationView]:
    """Every registration of the person, the latest first (one query, without the images), as
    the API and ``seal show`` answer it: one audit row naming the person."""
    rows = Registration.objects.filter(atena_no=atena_no).defer("image").order_by("-registered_on", "-id")
    return [_view(row) for row in rows]


def registration_by_card(card_no: str) -> RegistrationView | None:
    """The registration a 印鑑登録証 presented at the counter names, without its image."""
    row = Registration.objects.filter(card_no=card_no).defer("image").first()
    return _view(row) if row else None


@audited(Action.READ, RESOURCE, purpose=IMAGE_PURPOSE)
def seal_image(registration_no: str) -> bytes:
    """The seal's impression as registered: every read is an audit row naming the registrant."""
    row = (
        Registration.objects.filter(registration_no=registration_no).values_list("atena_no", "image").first()
    )
    if row is None:
        raise Refused([("registration_no", NO_REGISTRATION.format(no=registration_no))])
    note(subjects=[row[0]], registration_no=registration_no)
    return bytes(row[1])
