"""The 法務局's 登記事項通知 of 成年後見 (civil-facts §2.1): an existing registrant who comes under
成年後見 is struck off when the notice of the 後見開始 arrives and must register again under the
new rule — where the 条例 says so (``Ordinance.strike_on_guardianship``; the usual 条例 does).

The notice is kept (``models.GuardianshipNotice``, append-only): from a 後見開始 until a later
後見終了 the person is a 成年被後見人 for the registration rules (``rules/applicant``: they may
register only as one, with the 法定代理人 present, if the 条例 allows it at all). The registry
does not hold 成年後見, so this notice is where the app learns it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.seal_registration.codes import EndReason, GuardianshipKind, Status
from yakuba.seal_registration.models import GuardianshipNotice, Registration
from yakuba.seal_registration.rules.refusal import Refused
from yakuba.seal_registration.services import ordinance as ordinance_settings
from yakuba.seal_registration.services.registrations import (
    MINIMAL,
    NOT_FOUND,
    PURPOSE,
    RESOURCE,
    end_registration,
    serialised,
)

FUTURE = "{label}に未来の日は指定できません"
BEFORE_REGISTERED = "受付日は登記日より前にできません"

__all__ = ["Received", "receive"]


@dataclass(frozen=True)
class Received:
    """The notice as kept, and the registration it struck off ('' when none)."""

    atena_no: str
    kind: GuardianshipKind
    registered_on: date
    received_on: date
    struck_registration_no: str = ""


def receive(
    atena_no: str,
    kind: GuardianshipKind,
    registered_on: date,
    *,
    received_on: date | None = None,
    visibility: registry.Visibility = MINIMAL,
) -> Received:
    """Keep the 登記事項通知 received on ``received_on`` (today by default) and, for a 後見開始
    under a 条例 that says so, strike the open registration off from that day (one transaction,
    its history line, ENDED event and audit row). Raises ``Refused``."""
    today = timezone.localdate()
    received_on = received_on or today
    errors = []
    if registered_on > today:
        errors.append(("registered_on", FUTURE.format(label="登記日")))
    if received_on > today:
        errors.append(("received_on", FUTURE.format(label="受付日")))
    elif received_on < registered_on <= today:
        errors.append(("received_on", BEFORE_REGISTERED))
    try:
        atena_no = registry.get_resident(atena_no, visibility=visibility).atena_no
    except registry.NotFound:
        errors.insert(0, ("atena_no", NOT_FOUND.format(atena_no=atena_no)))
    if errors:
        raise Refused(errors)
    with transaction.atomic(using=require_tenant().alias):
        serialised()
        row = None
        if (
            kind == GuardianshipKind.STARTED
            and ordinance_settings.in_force(received_on).strike_on_guardianship
        ):
            row = (
                Registration.objects.select_for_update()
                .filter(atena_no=atena_no, status=Status.REGISTERED)
                .defer("image")
                .first()
            )
        if row is not None:
            end_registration(row, Status.STRUCK, EndReason.GUARDIANSHIP, received_on)
        GuardianshipNotice.objects.create(
            lg_code=require_tenant().lg_code,
            atena_no=atena_no,
            kind=kind,
            registered_on=registered_on,
            received_on=received_on,
            registration=row,
            created_at=timezone.now(),
            created_by=current_actor().name,
        )
        struck = row.registration_no if row else ""
        record(
            Action.UPDATE if row else Action.CREATE,
            RESOURCE,
            subjects=[atena_no],
            purpose=PURPOSE,
            detail={"guardianship": str(kind), "registered_on": registered_on.isoformat(), "struck": struck},
        )
        return Received(atena_no, kind, registered_on, received_on, struck)
