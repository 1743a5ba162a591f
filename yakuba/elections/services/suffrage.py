"""The 表示 of loss of 選挙権 and its 消除 (公職選挙法27条1項: the 選管 marks a registered person who
no longer has 選挙権 as soon as it learns of it; civil-facts §1.1 "表示"). The entry stays on the
roll (永久選挙人名簿) with status ``marked_lost_suffrage`` from the day of the 表示 until the day
it is removed because the person has 選挙権 again (刑の執行終了, 停止期間の満了 …). One
transaction each, a history line, a MARKED event and an audit row.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from yakuba.elections import events
from yakuba.elections.codes import Change, LostSuffrage
from yakuba.elections.models import Entry
from yakuba.elections.services.register import RESOURCE, emit_for_entries, write_changes
from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import require_tenant

PURPOSE = "選挙権を有しない旨の表示（公職選挙法第27条第1項）"


class SuffrageRefused(ValueError):
    """The 表示 or its 消除 cannot be made: (field, message) pairs in Japanese."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("\n".join(f"{field}: {message}" for field, message in errors))
        self.errors = errors


def _open_entry(atena_no: str, on: date) -> Entry:
    errors = []
    if on > timezone.localdate():
        errors.append(("on", f"未来の日は指定できません（{on}）"))
    entry = Entry.objects.select_for_update().filter(atena_no=atena_no, struck_off_on__isnull=True).first()
    if entry is None:
        errors.append(("atena_no", f"選挙人名簿に登録されていません（{atena_no}）"))
    elif on < entry.registered_on:
        errors.append(("on", f"登録日（{entry.registered_on}）より前の日です（{on}）"))
    if errors:
        raise SuffrageRefused(errors)
    return entry


def mark(atena_no: str, on: date, reason: str) -> Entry:
    """表示 from ``on`` that the person has no 選挙権, for ``reason`` (``LostSuffrage``)."""
    with transaction.atomic(using=require_tenant().alias):
        errors = (
            []
            if reason in LostSuffrage.values
            else [("reason", f"事由のコードが正しくありません（{reason}）")]
        )
        try:
            entry = _open_entry(atena_no, on)
        except SuffrageRefused as exc:
            raise SuffrageRefused(errors + exc.errors) from None
        if entry.lost_suffrage_on is not None and entry.suffrage_restored_on is None:
            errors.append(
                ("atena_no", f"{entry.lost_suffrage_on} から選挙権を有しない旨の表示がされています")
            )
        if errors:
            raise SuffrageRefused(errors)
        write_changes(
            None,
            Change.MARKED,
            [(entry.id, on)],
            "lost_suffrage_on = c.day, suffrage_restored_on = NULL",
            "jsonb_build_object('lost_suffrage', c.reason)",
            reasons=[reason],
        )
        emit_for_entries(
            events.MARKED,
            [entry.id],
            "jsonb_build_object('reason', 'lost_suffrage', 'on', e.lost_suffrage_on)",
        )
        record(
            Action.UPDATE,
            RESOURCE,
            subjects=[atena_no],
            purpose=PURPOSE,
            detail={"on": on.isoformat(), "reason": reason},
        )
    entry.refresh_from_db()
    return entry


def restore(atena_no: str, on: date) -> Entry:
    """消除 from ``on`` of the 表示: the person has 選挙権 again."""
    with transaction.atomic(using=require_tenant().alias):
        entry = _open_entry(atena_no, on)
        if entry.lost_suffrage_on is None or entry.suffrage_restored_on is not None:
            raise SuffrageRefused([("atena_no", "選挙権を有しない旨の表示がされていません")])
        if on < entry.lost_suffrage_on:
            raise SuffrageRefused([("on", f"表示の日（{entry.lost_suffrage_on}）より前の日です（{on}）")])
        write_changes(
            None,
            Change.UNMARKED,
            [(entry.id, on)],
            "suffrage_restored_on = c.day",
            "jsonb_build_object('lost_suffrage_on', c.reason)",
            reasons=[entry.lost_suffrage_on.isoformat()],
        )
        emit_for_entries(
            events.MARKED,
            [entry.id],
            "jsonb_build_object('reason', 'restored', 'on', e.suffrage_restored_on)",
        )
        record(
            Action.UPDATE,
            RESOURCE,
            subjects=[atena_no],
            purpose=PURPOSE,
            detail={"restored_on": on.isoformat()},
        )
    entry.refresh_from_db()
    return entry
