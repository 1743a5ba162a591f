"""The 選挙人名簿 as of a day (contract §9.7): every entry registered on or before it and not
struck off by it, with its state that day — one indexed query, one audit row.

A 表示 shows from the 転出日 (``marked_on``), that of loss of 選挙権 from its day until its
消除 (``services.suffrage``); a 抹消 removes the entry from its day on, so a roll
``--as-of`` a past day shows the book as it now knows that day (a run records a 転出 or a death
when it meets it, with the day it happened).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from yakuba.elections.codes import Status
from yakuba.elections.models import Entry
from yakuba.elections.services.register import RESOURCE
from yakuba.platform.audit.log import Action, record

PURPOSE = "選挙人名簿の出力"
CSV_COLUMNS = ("宛名番号", "状態", "登録日", "投票区", "転出日")


@dataclass(frozen=True, slots=True)
class RollEntry:
    atena_no: str
    status: str
    registered_on: date
    tohyoku: str
    moved_out_on: date | None


@dataclass(frozen=True)
class Roll:
    lg_code: str
    as_of: date
    entries: list[RollEntry]

    @property
    def json(self) -> dict:
        """The contract's "選挙人名簿 JSON" (§9.7)."""
        return {
            "lg_code": self.lg_code,
            "as_of": self.as_of.isoformat(),
            "entries": [
                {
                    "atena_no": e.atena_no,
                    "status": e.status,
                    "registered_on": e.registered_on.isoformat(),
                    "tohyoku": e.tohyoku,
                    "moved_out_on": e.moved_out_on.isoformat() if e.moved_out_on else None,
                }
                for e in self.entries
            ],
        }


COLUMNS = (
    "atena_no",
    "registered_on",
    "tohyoku",
    "marked_on",
    "moved_out_on",
    "lost_suffrage_on",
    "suffrage_restored_on",
)


def _on_roll(on: date):
    """Entries registered by the end of ``on`` and not yet struck off that day."""
    return Entry.objects.filter(registered_on__lte=on).filter(
        Q(struck_off_on__isnull=True) | Q(struck_off_on__gt=on)
    )


def _entry(row: tuple, on: date) -> RollEntry:
    """An entry's state at the end of ``on``: a 表示 shows from its day on — that of loss of
    選挙権 (法27条1項) until the day it is removed, and first, for it bars voting anywhere."""
    atena_no, registered, tohyoku, marked, moved, lost, restored = row
    moved_shown = marked is not None and marked <= on
    if lost is not None and lost <= on and (restored is None or restored > on):
        status = Status.MARKED_LOST_SUFFRAGE
    else:
        status = Status.MARKED_MOVED_OUT if moved_shown else Status.REGISTERED
    return RollEntry(atena_no, status, registered, tohyoku, moved if moved_shown else None)


def roll(lg_code: str, as_of: date, *, output: str = "json") -> Roll:
    """The roll at the end of ``as_of``, in 宛名番号 order."""
    rows = _on_roll(as_of).order_by("atena_no").values_list(*COLUMNS)
    entries = [_entry(row, as_of) for row in rows.iterator(chunk_size=5000)]
    record(
        Action.EXPORT,
        RESOURCE,
        purpose=PURPOSE,
        detail={"as_of": as_of.isoformat(), "format": output, "count": len(entries)},
    )
    return Roll(lg_code, as_of, entries)


def entry_of(atena_no: str, on: date) -> RollEntry | None:
    """The person's entry on the roll at the end of ``on``, or None if not on it that day — the
    door other domains ask (在外選挙人名簿's 出国時申請 needs the person on this town's roll,
    公職選挙法30条の5; civil-facts §1.4). One query and one audit line."""
    row = _on_roll(on).filter(atena_no=atena_no).values_list(*COLUMNS).first()
    record(Action.READ, RESOURCE, subjects=[atena_no], purpose="選挙人名簿の登録の確認")
    return None if row is None else _entry(row, on)


def roll_text(made: Roll, output: str) -> str:
    """The roll as the contract's JSON, or as CSV (UTF-8 with a BOM for Excel, CRLF, one header
    row: ``CSV_COLUMNS``, the state in Japanese)."""
    if output == "json":
        return json.dumps(made.json, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in made.entries:
        writer.writerow(
            [
                e.atena_no,
                Status(e.status).label,
                e.registered_on.isoformat(),
                e.tohyoku,
                e.moved_out_on.isoformat() if e.moved_out_on else "",
            ]
        )
    return "\ufeff" + out.getvalue()
