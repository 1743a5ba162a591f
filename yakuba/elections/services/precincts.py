"""投票区 by address (公職選挙法17条2項; civil-facts §1.5): the 選管 告示es which 町字 — or which
番地 range of a 丁目, for a 丁目 can be split — votes where, and a new 告示 changes it. Each plan
is loaded from a CSV (``町字,番地から,番地まで,投票区コード,投票区名[,投票所]``; the platform's
``address_ranges`` reads it, every bad line named, all or nothing) and is in force from its 施行日
until the next plan's.

An entry keeps the 投票区 **name** it is in now (``Entry.tohyoku``; contract §9.7 shows
``第1投票区``): a run places its new entries with the plan in force on the 登録日, a 転居 moves
an entry to the 投票区 of its new address (``follow``), and loading a plan moves every open entry
whose person lives here to the plan in force today — each move one history line (``MOVED``).
A town without a plan is the one 投票区 ``第1投票区``; an address no line covers gets "" and is
listed for the clerk (``unplaced``), never guessed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from django.db import connections
from django.utils import timezone

from yakuba.elections.codes import Change
from yakuba.elections.models import Entry, EntryChange, Precinct, PrecinctArea, PrecinctPlan
from yakuba.platform.address_ranges import AddressRanges, Coded, RangeFileRejected, read_ranges
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.bulk import copy_insert
from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

RESOURCE = "elections.precinct"
PURPOSE = "投票区の設定（公職選挙法第17条第2項）"
SINGLE = "第1投票区"
COLUMNS = (Coded("投票区", optional=("投票所",)),)

__all__ = [
    "Loaded",
    "Placer",
    "PlanShown",
    "RangeFileRejected",
    "load",
    "move",
    "placer",
    "plans",
    "show",
    "unplaced",
]


class Placer:
    """Names the 投票区 of registered addresses under one plan (``SINGLE`` when the town has none)."""

    def __init__(self, ranges: AddressRanges | None):
        self.ranges = ranges

    def name(self, address: str) -> str:
        if self.ranges is None:
            return SINGLE
        values = self.ranges.find(address).values
        return values[0] if values else ""


def _plan_on(on: date) -> PrecinctPlan | None:
    return PrecinctPlan.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def placer(on: date) -> Placer:
    """The plan in force on ``on`` in memory (three queries: a town has a few hundred lines)."""
    plan = _plan_on(on)
    if plan is None:
        return Placer(None)
    names = dict(Precinct.objects.filter(plan=plan).values_list("code", "name"))
    lines = PrecinctArea.objects.filter(plan=plan).values_list(
        "town_area", "from_no", "to_no", "precinct_code"
    )
    municipality = lookup(require_tenant().lg_code).full_name
    return Placer(AddressRanges(municipality, [(t, f, to, names[c]) for t, f, to, c in lines]))


@dataclass(frozen=True)
class Loaded:
    lines: int
    precincts: int
    moved: int  # open entries moved to another 投票区
    unplaced: int  # open entries whose address no line covers


def load(data: bytes, effective_from: date, notice: str = "") -> Loaded:
    """Load a plan in force from ``effective_from`` (a plan of the same 施行日 is replaced) and
    move the open entries to the plan in force today. The roll keeps one 投票区 per entry, the
    one in force now, so a plan is loaded on or after its 施行日. ``RangeFileRejected`` names
    every bad line (nothing changes then). Call in one transaction (the CLI's ``tenant_command``)."""
    if effective_from > timezone.localdate():
        raise RangeFileRejected([f"--effective-from: 施行日以後に取り込んでください（{effective_from}）"])
    rows = read_ranges(data, COLUMNS, what="投票区")
    tenant = require_tenant()
    PrecinctPlan.objects.filter(effective_from=effective_from).delete()
    plan = PrecinctPlan.objects.create(
        lg_code=tenant.lg_code,
        effective_from=effective_from,
        notice=notice,
        created_at=timezone.now(),
        created_by=current_actor().name,
    )
    precincts = {r.values[0]: r.values for r in rows}
    Precinct.objects.bulk_create(
        Precinct(lg_code=tenant.lg_code, plan=plan, code=code, name=name, polling_place=place)
        for code, name, place in precincts.values()
    )
    copy_insert(
        PrecinctArea._meta.db_table,
        ("lg_code", "plan_id", "town_area", "from_no", "to_no", "precinct_code", "line"),
        [(tenant.lg_code, plan.id, r.town_area, r.from_no, r.to_no, r.values[0], r.line) for r in rows],
    )
    moved = _replace_open(effective_from)
    left = len(unplaced())
    record(
        Action.UPDATE,
        RESOURCE,
        purpose=PURPOSE,
        detail={
            "effective_from": effective_from.isoformat(),
            "lines": len(rows),
            "moved": moved,
            "unplaced": left,
        },
    )
    return Loaded(len(rows), len(precincts), moved, left)


def _replace_open(on: date) -> int:
    """Move every open entry whose person lives here today to the 投票区 of today's plan: the
    registry's addresses in one streamed read, the moves in one statement. An entry marked as
    moved out keeps its 投票区 (the person no longer has an address here)."""
    today = timezone.localdate()
    current = dict(Entry.objects.filter(struck_off_on__isnull=True).values_list("atena_no", "tohyoku"))
    places = placer(today)
    targets = {}
    with registry.inhabitants_on(today, purpose=PURPOSE) as people:
        for p in people:
            if p.atena_no in current and (name := places.name(p.address)) != current[p.atena_no]:
                targets[p.atena_no] = (name, on)
    return move(targets, {"reason": "plan"})


def move(targets: dict[str, tuple[str, date]], detail: dict) -> int:
    """Set the 投票区 of the open entries of the 宛名番号 given — (投票区, the day it changed) — and
    add one ``MOVED`` history line each (from, to, and ``detail``); one statement. Returns the
    entries moved (an entry already there is left alone)."""
    if not targets:
        return 0
    tenant = require_tenant()
    entry, change = Entry._meta.db_table, EntryChange._meta.db_table
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(
            f"WITH moved AS (UPDATE {entry} e SET tohyoku = t.name, updated_at = now()"
            f"   FROM unnest(%s::text[], %s::text[], %s::date[]) AS t(atena_no, name, day), {entry} o"
            "   WHERE e.atena_no = t.atena_no AND e.struck_off_on IS NULL AND o.id = e.id AND e.tohyoku <> t.name"
            "   RETURNING e.id, e.lg_code, o.tohyoku AS before, t.name AS after, t.day)"
            f' INSERT INTO {change} (lg_code, entry_id, run_id, change, "on", detail, created_at, created_by)'
            " SELECT lg_code, id, NULL, %s, day, %s::jsonb || jsonb_build_object('from', before, 'to', after),"
            " now(), %s FROM moved",
            [
                list(targets),
                [name for name, _day in targets.values()],
                [day for _name, day in targets.values()],
                Change.MOVED,
                json.dumps(detail, ensure_ascii=False),
                current_actor().name,
            ],
        )
        return cursor.rowcount


def unplaced() -> list[str]:
    """宛名番号 of the open entries no line of their plan covers: the clerk names their 投票区
    (a new plan line, then ``load`` again)."""
    return list(
        Entry.objects.filter(struck_off_on__isnull=True, tohyoku="")
        .order_by("atena_no")
        .values_list("atena_no", flat=True)
    )


@dataclass(frozen=True)
class PlanShown:
    effective_from: date | None
    notice: str
    precincts: list[dict] = field(default_factory=list)  # code, name, polling_place, lines
    unplaced: list[str] = field(default_factory=list)


def show(on: date) -> PlanShown:
    """The plan in force on ``on`` — its 投票区 with their lines in file order — and the open
    entries not placed (four queries; the 宛名番号 shown are one audit row)."""
    left = unplaced()
    if left:
        record(Action.READ, RESOURCE, subjects=left, purpose=PURPOSE, detail={"list": "unplaced"})
    plan = _plan_on(on)
    if plan is None:
        return PlanShown(None, "", [{"code": "", "name": SINGLE, "polling_place": "", "lines": []}], left)
    lines: dict[str, list] = {}
    for row in (
        PrecinctArea.objects.filter(plan=plan)
        .order_by("line")
        .values("line", "town_area", "from_no", "to_no", "precinct_code")
    ):
        lines.setdefault(row.pop("precinct_code"), []).append(row)
    precincts = [
        {**p, "lines": lines.get(p["code"], [])}
        for p in Precinct.objects.filter(plan=plan).order_by("code").values("code", "name", "polling_place")
    ]
    return PlanShown(plan.effective_from, plan.notice, precincts, left)


def plans() -> list[tuple[date, str]]:
    """(施行日, 告示) of every plan loaded, newest first."""
    return list(PrecinctPlan.objects.order_by("-effective_from").values_list("effective_from", "notice"))
