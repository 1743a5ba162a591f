"""The 届出 door: examine a 届書 (``check_notification``) and file it (``file_notification``) — 受理
writes the resulting 戸籍 changes, its entries, its events and its audit row in one transaction;
不受理 keeps the 届書 with every reason. A 届書 that cannot be examined (a field missing, a person
not found) raises ``Invalid`` and keeps nothing.

Each kind's examination — its 不受理 reasons and the writes of its 受理 — is ``plans.py``
(出生, 婚姻, 離婚, 死亡, 入籍, 振り仮名), ``transfers.py`` (転籍), ``kinship.py`` (養子縁組, 離縁,
認知) and ``names.py`` (分籍, 氏・名の変更); a late
届出 is accepted and marked for the 失期通知 (戸籍法43・49・86条; civil-facts §3.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yakuba.koseki import events
from yakuba.koseki.codes import Kind, Outcome
from yakuba.koseki.models import Member, Notification
from yakuba.koseki.rules import furigana
from yakuba.koseki.services import forms, kinship, names, plans, transfers
from yakuba.koseki.services.forms import Invalid
from yakuba.koseki.services.ledger import (
    Ledger,
    full_kana,
    full_name,
    furigana_event,
    lock,
)
from yakuba.koseki.services.plans import FILED_IN_FUTURE, Plan
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.linkage import outbox
from yakuba.platform.tenancy.context import require_tenant

RESOURCE = "koseki"
PLANS = {**plans.PLANS, "transfer": transfers.transfer, **kinship.PLANS, **names.PLANS}
PURPOSE = "戸籍の届出（戸籍法）"


@dataclass(frozen=True)
class Filed:
    """What became of a 届出: its 受付番号, 受理 or 不受理 (with every reason), its 届出期間."""

    notification_no: str
    kind: Kind
    outcome: Outcome
    reasons: list[tuple[str, str]]
    deadline: date | None
    late: bool
    person_id: str  # the 事件本人 ("" when refused before one existed, e.g. a child not yet written)
    koseki_ids: list[str] = field(default_factory=list)  # the 戸籍 written to


def _examine(data: dict) -> tuple[forms.Form, Plan]:
    form = forms.parse(data)
    if form.filed_on > timezone.localdate():
        raise Invalid([("filed_on", FILED_IN_FUTURE)])
    return form, PLANS[form.kind](form)


def check_notification(data: dict) -> list[tuple[str, str]]:
    """Every input error and every 不受理 reason at once; no lock, no write (for a screen that
    checks as the clerk types)."""
    try:
        return _examine(data)[1].refusals
    except Invalid as invalid:
        return invalid.errors


def _person(member: Member) -> dict:
    koseki = member.koseki
    return {
        "person_id": member.person_id,
        "atena_no": member.atena_no,
        "name": full_name(koseki, member),
        "name_kana": full_kana(koseki, member),
        "birth_date": member.birth_date.isoformat(),
        "sex": str(member.sex),
        "koseki_id": koseki.koseki_id,
        "honseki": koseki.honseki,
        "hittosha": koseki.hittosha,
        "removed": member.removed_on is not None,
    }


def file_notification(data: dict) -> Filed:
    """File a 届書 (a dict as ``forms`` describes): 受理 and its 戸籍 changes, or 不受理 kept with its
    reasons. Raises ``Invalid`` (nothing kept) for a 届書 that cannot be examined."""
    with transaction.atomic(using=require_tenant().alias):
        lock()
        form, plan = _examine(data)
        kind = Kind(form.kind)
        late = plan.deadline is not None and form.filed_on > plan.deadline
        outcome = Outcome.REFUSED if plan.refusals else Outcome.ACCEPTED
        number = int(Notification.objects.aggregate(n=Max("notification_no"))["n"] or 0) + 1
        row = Notification.objects.create(
            lg_code=require_tenant().lg_code,
            notification_no=f"{number:010d}",
            kind=kind,
            filed_on=form.filed_on,
            event_on=plan.event_on,
            deadline=plan.deadline,
            late=late,
            outcome=outcome,
            reasons=[list(r) for r in plan.refusals],
            data=form.model_dump(mode="json"),
            person_id=plan.person_id,
            created_at=timezone.now(),
            created_by=current_actor().name,
        )
        ledger = Ledger(row, on=form.filed_on)
        person_id = plan.person_id
        if outcome == Outcome.ACCEPTED:
            person_id = plan.apply(ledger) or person_id
            row.person_id = person_id
            _emit(row, person_id, ledger)
            row.save(update_fields=["person_id"])
        record(
            Action.CREATE,
            RESOURCE,
            subjects=sorted({person_id, *ledger.touched, *_named(row.data)} - {""}),
            purpose=PURPOSE,
            detail={"notification_no": row.notification_no, "kind": str(kind), "outcome": str(outcome)},
        )
        return Filed(
            row.notification_no,
            kind,
            outcome,
            plan.refusals,
            plan.deadline,
            late,
            person_id,
            sorted({m.koseki.koseki_id for m in ledger.touched.values()}),
        )


_PERSON_KEYS = frozenset(
    {"person_id", "mother_id", "father_id", "husband_id", "wife_id", "parent_id", "filer_id"}
)


def _named(data: dict) -> set[str]:
    """The person_ids a 届書 names (a refused one too: the 届書 kept names them)."""
    found: set[str] = set(data.get("filer_ids") or ())
    for key, value in data.items():
        if key in _PERSON_KEYS and value:
            found.add(value)
        elif isinstance(value, dict):
            found |= _named(value)
    return found


def _emit(row: Notification, person_id: str, ledger: Ledger) -> None:
    """The 受理's event, and for a 届 that records a reading (振り仮名, 氏・名の変更 with their new
    reading) the reading of each person it changed (the registry copies it into its フリガナ,
    civil-facts §3.4)."""
    members = list(ledger.touched.values())
    accepted = {
        "notification_no": row.notification_no,
        "kind": str(row.kind),
        "accepted_on": row.filed_on.isoformat(),
        "event_on": (row.event_on or row.filed_on).isoformat(),
        "persons": [_person(m) for m in members],
        "formed": ledger.formed,
        "closed": ledger.closed,
        **ledger.extra,
    }
    batch = [(events.ACCEPTED, person_id, accepted)]
    if row.kind in _READING_KINDS and row.filed_on >= furigana.START:
        batch += [
            furigana_event(m, m.koseki.surname_kana, "filed", row.filed_on)
            for m in members
            if m.removed_on is None
        ]
    outbox.emit_many(batch)


_READING_KINDS = frozenset({Kind.FURIGANA, Kind.SURNAME_CHANGE, Kind.GIVEN_NAME_CHANGE})
