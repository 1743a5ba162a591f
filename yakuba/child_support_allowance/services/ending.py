"""消滅 of a 児童扶養手当 認定: the 支給終了月 is the month of the 事由 (児童扶養手当法 §7①) — from
the registry's events (``end``, called by ``follow``) or the clerk's 資格喪失届 (婚姻・事実婚,
監護しなくなった …: ``check_end`` for the 確認, ``end_by_notice`` to record it).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from yakuba.child_support_allowance.codes import EndReason, Status
from yakuba.child_support_allowance.events import ENDED
from yakuba.child_support_allowance.models import Entitlement
from yakuba.child_support_allowance.rules import months as rules
from yakuba.child_support_allowance.services.entitlement import (
    PURPOSE,
    RESOURCE,
    VISIBILITY,
    Rejected,
    active_of,
    month_text,
)
from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage import outbox
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry


def end(entitlement_id: int, reason: str, ended_on: date) -> Entitlement | None:
    """消滅: the 支給終了月 is the month of ``ended_on``; the event and the audit row go with it.
    ``None`` when there is no such 認定 still active (an event read twice changes nothing)."""
    entitlement = (
        Entitlement.objects.select_for_update().filter(id=entitlement_id, status=Status.ACTIVE).first()
    )
    if entitlement is None:
        return None
    entitlement.status = Status.ENDED
    entitlement.end_reason = reason
    entitlement.ended_on = ended_on
    entitlement.last_month = rules.first_of(ended_on)
    entitlement.save(update_fields=["status", "end_reason", "ended_on", "last_month", "updated_at"])
    data = {
        "entitlement_id": entitlement.id,
        "reason": reason,
        "ended_on": ended_on.isoformat(),
        "last_month": month_text(entitlement.last_month),
    }
    outbox.emit(ENDED, subject=entitlement.claimant_atena_no, data=data)
    record(Action.UPDATE, RESOURCE, subjects=[entitlement.claimant_atena_no], purpose=PURPOSE, detail=data)
    return entitlement


def check_end(
    atena_no: str, ended_on: date, *, visibility: registry.Visibility = VISIBILITY
) -> tuple[Entitlement | None, list[tuple[str, str]]]:
    """The active 認定 a 資格喪失届 ends, and every broken rule (reads only)."""
    errors = []
    if ended_on > timezone.localdate():
        errors.append(("ended_on", "喪失の日に未来の日付は入力できません"))
    found = active_of(atena_no, visibility, errors)
    if found is not None and rules.first_of(ended_on) < rules.add_months(found.first_month, -1):
        errors.append(("ended_on", "喪失の日は支給開始月の前月以降の日付を入力してください"))
    return found, errors


def end_by_notice(
    atena_no: str, ended_on: date, *, visibility: registry.Visibility = VISIBILITY
) -> Entitlement:
    """The clerk's 資格喪失届 (婚姻・事実婚, 監護しなくなった …) for the 受給者's active 認定: paid
    through the month of ``ended_on`` — one transaction, every broken rule at once."""
    with transaction.atomic(using=require_tenant().alias):
        found, errors = check_end(atena_no, ended_on, visibility=visibility)
        if errors:
            raise Rejected.of(errors)
        return end(found.id, EndReason.NOTIFIED, ended_on)
