"""改製 (戸籍の改製): a 戸籍 rewritten in a new form — the paper 戸籍 made into the computerised one
(平成6年法務省令第51号附則第2条第1項) or an old format recorded at 移行 — by 職権, no 届出.

The old 戸籍 becomes the **改製原戸籍** (``original``): closed with 事由 改製, every row kept as it
was and printable (the 改製原戸籍謄本, 150 years; civil-facts §3.3 — 誤字・俗字 of the paper 戸籍
survive only there). The new 戸籍 keeps the 本籍, 筆頭者, 氏 and its reading; it carries only the
members still in the old one, in their order, each with their 入籍 day and 事由, 養父母 and
reading, and the 身分事項 still in force (移記: every entry but the 除籍 marks); its 戸籍事項 says
when and why it was remade. Nobody's 本籍 or 筆頭者 changes, so no event goes out; the audit row
names everyone.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from yakuba.koseki.codes import Event
from yakuba.koseki.models import Entry, Member
from yakuba.koseki.services.ledger import Ledger, lock, present
from yakuba.koseki.services.transfers import open_koseki
from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import require_tenant

BASIS = "平成6年法務省令第51号附則第2条第1項による改製"
_CARRIED = (
    "given_name", "given_name_kana", "given_name_kana_source", "notified_surname_kana",
    "notified_given_name_kana", "birth_date", "sex", "father", "mother", "father_id", "mother_id",
    "relationship", "adoptive_father", "adoptive_mother", "adoptive_relationship", "entered_on",
    "entered_reason", "from_koseki", "atena_no", "person_id", "role",
)  # fmt: skip


def remake(koseki_id: str, *, on: date | None = None, basis: str = BASIS) -> str:
    """改製 of the 戸籍 ``koseki_id`` on ``on`` (today by default): the id of the new 戸籍. Raises
    ``Invalid`` naming ``koseki_id`` for an unknown or closed 戸籍."""
    on = on or timezone.localdate()
    with transaction.atomic(using=require_tenant().alias):
        lock()
        old = open_koseki(koseki_id)
        ledger = Ledger(None, on=on)
        new = ledger.new_koseki(
            old.honseki,
            old.surname,
            old.hittosha,
            Event.REMADE,
            surname_kana=old.surname_kana,
            surname_kana_source=old.surname_kana_source,
        )
        ledger.entry(new, None, Event.REMADE, on, basis=basis, original=old.koseki_id)
        members = present(old)
        carried = {m.pk: {name: getattr(m, name) for name in _CARRIED} for m in members}
        # The rows stay in the 改製原戸籍 as they were; marked so that each person is in one 戸籍.
        Member.objects.filter(pk__in=list(carried)).update(removed_on=on, removed_reason=Event.REMADE)
        made = Member.objects.bulk_create(
            Member(lg_code=new.lg_code, koseki=new, position=i, **values)
            for i, values in enumerate(carried.values(), start=1)
        )
        rows = dict(zip(carried, made, strict=True))
        Entry.objects.bulk_create(
            Entry(
                lg_code=new.lg_code, koseki=new, member=rows[e.member_id], event=e.event, on=e.on,
                recorded_on=e.recorded_on, notification_id=e.notification_id, detail=e.detail,
                created_at=ledger.now, created_by=ledger.actor,
            )
            for e in Entry.objects.filter(member_id__in=list(rows)).exclude(event=Event.LEFT).order_by("id")
        )  # fmt: skip
        old.original = True
        old.save(update_fields=["original"])
        ledger.close(old, Event.REMADE, remade_into=new.koseki_id)
        record(
            Action.UPDATE,
            "koseki",
            subjects=[m.person_id for m in members],
            purpose="戸籍の改製",
            detail={"original": old.koseki_id, "koseki_id": new.koseki_id},
        )
        return new.koseki_id
