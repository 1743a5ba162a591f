"""A person's history as a clerk reads it, and one 異動 as its 処理票 shows it.

Each history row (住民記録システム標準仕様書 §1.2.1) comes with the 異動 that wrote it — 異動番号,
kind, dates, 処理者, 届出人 and 本人確認, whether it was canceled — and what it changed against
the row before. Reads are set-based: a person's history is two queries whatever its length, a
異動 three whatever its size.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q

from yakuba.platform.audit.log import Action
from yakuba.registry.codes import ResidentType
from yakuba.registry.errors import NotFound
from yakuba.registry.models import Move, ResidentHistory
from yakuba.registry.services.changes import Change, diff, values_of
from yakuba.registry.services.protection import protected_among
from yakuba.registry.services.queries import check_hidden
from yakuba.registry.services.records import MINIMAL, ResidentRecord, Visibility, resident_record


@dataclass(frozen=True)
class MoveInfo:
    """One 異動 as filed (``Move``), for lists and the 処理票."""

    move_id: uuid.UUID
    move_no: str  # empty for 異動 migrated from an earlier system
    kind: str
    move_date: date
    notified_date: date | None
    processed_at: datetime
    actor: str
    terminal: str
    notifier: dict
    ex_officio: bool
    canceled_by: str  # 異動番号 (or id) of the 取消し that canceled it, else ""
    cancels: str  # for a 取消し: the 異動 it canceled

    @property
    def reference(self) -> str:
        """What a clerk types to find it: the 異動番号, or the UUID of a migrated 異動."""
        return self.move_no or str(self.move_id)


@dataclass(frozen=True)
class HistoryEntry:
    record: ResidentRecord
    move: MoveInfo
    changes: list[Change]


@dataclass(frozen=True)
class MovedPerson:
    atena_no: str
    name: str
    history_no: int
    changes: list[Change]
    foreign: bool  # 外国人住民: dates shown in 西暦 (§1.1.9)


@dataclass(frozen=True)
class MoveRecord:
    move: MoveInfo
    persons: list[MovedPerson]
    hidden: int  # persons of the 異動 the caller may not see (支援措置)


def _reference(move: Move | None) -> str:
    return "" if move is None else move.move_no or str(move.move_id)


def _infos(ids: set[int]) -> dict[int, MoveInfo]:
    moves = {m.id: m for m in Move.objects.filter(id__in=ids).select_related("canceled_by", "cancels")}
    return {
        pk: MoveInfo(
            move_id=m.move_id,
            move_no=m.move_no,
            kind=m.kind,
            move_date=m.move_date,
            notified_date=m.notified_date,
            processed_at=m.processed_at,
            actor=m.actor,
            terminal=m.terminal,
            notifier=(m.request or {}).get("notifier") or {},
            ex_officio=m.ex_officio,
            canceled_by=_reference(m.canceled_by),
            cancels=_reference(m.cancels),
        )
        for pk, m in moves.items()
    }


def person_history(atena_no: str, *, visibility: Visibility = MINIMAL) -> list[HistoryEntry]:
    """Every history row of a person, oldest first, each with its 異動 and what it changed.
    NotFound also for a person hidden by 支援措置 (the attempt is audited)."""
    protected = check_hidden(atena_no, visibility, Action.READ, "resident_history")
    rows = list(ResidentHistory.objects.filter(atena_no=atena_no).order_by("history_no"))
    if not rows:
        raise NotFound(atena_no)
    infos = _infos({r.move_id for r in rows})
    entries, before = [], None
    for row in rows:
        after = values_of(row)
        entries.append(
            HistoryEntry(
                record=resident_record(row, visibility, protected=protected),
                move=infos[row.move_id],
                changes=diff(before, after, visibility),
            )
        )
        before = after
    return entries


def find_move(reference: str) -> Move:
    """A 異動 by its 異動番号 (2026-000123) or its UUID."""
    condition = Q(move_no=reference)
    try:
        condition |= Q(move_id=uuid.UUID(reference))
    except ValueError:
        pass
    move = Move.objects.filter(condition).first() if reference else None
    if move is None:
        raise NotFound(reference)
    return move


def move_record(reference: str, *, visibility: Visibility = MINIMAL) -> MoveRecord:
    """One 異動 with each person's changes (its row against the row before it): what the
    処理票 prints and the done screen shows. Persons under 支援措置 are left out for a caller
    who may not see them (and counted, so the clerk knows the list is not whole)."""
    move = find_move(reference)
    rows = list(ResidentHistory.objects.filter(move=move).order_by("atena_no"))
    hidden = set() if visibility.protected else protected_among({r.atena_no for r in rows})
    rows = [r for r in rows if r.atena_no not in hidden]
    earlier = Q(pk__in=[])
    for r in rows:
        earlier |= Q(atena_no=r.atena_no, history_no=r.history_no - 1)
    before = {h.atena_no: values_of(h) for h in ResidentHistory.objects.filter(earlier)} if rows else {}
    persons = [
        MovedPerson(
            r.atena_no,
            r.name,
            r.history_no,
            diff(before.get(r.atena_no), values_of(r), visibility),
            r.resident_type == ResidentType.FOREIGN,
        )
        for r in rows
    ]
    return MoveRecord(_infos({move.id})[move.id], persons, len(hidden))
