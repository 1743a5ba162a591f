"""The 学齢簿 consumer: the municipality's own event feed, read as an outside vendor reads it
(docs/linkage.md), through the platform's shared consumer (``platform/linkage/consumer.py``: one
transaction per page with its cursor, resumable after a kill).

施行令 第3条 and 第4条 (civil-facts §4.3, §5): the 教育委員会 keeps the 学齢簿 current — a 転入
adds the child (and, after the 就学時健康診断 or the 就学通知 of the year, leaves the notice to
send: 保健安全法施行令 第1条第2項), a 転出 or a death closes the entry (never deletes it), a 転居
changes the address and so the 通学区域 school. What one event does is ``rules/events.decide``;
this module loads what the page needs in a fixed number of queries (the open entries of its
persons, the generations, the schedules, the 世帯主 through the registry's door) and writes each
kind of change in one statement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.linkage.consumer import PAGE, Consumer, Followed, resident_change
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.school_enrollment.codes import Added, Change, WorkKind
from yakuba.school_enrollment.models import (
    FeedPosition,
    Generation,
    RollChange,
    RollEntry,
    Schedule,
    WorkItem,
)
from yakuba.school_enrollment.rules import events as rules
from yakuba.school_enrollment.rules.cohort import compulsory_end, entry_year
from yakuba.school_enrollment.rules.district import DistrictIndex
from yakuba.school_enrollment.services import book

PURPOSE = "学齢簿の加除訂正（学校教育法施行令第3条・第4条）"
RESOURCE = book.RESOURCE
TYPES = ("jp.yakuba.registry.resident.",)
# A child under 支援措置 is on the 学齢簿 like any other: its events too.
SCOPES = frozenset({"registry:read", "registry:protected"})

__all__ = ["CONSUMER", "Followed", "follow", "statutory_dates"]


def statutory_dates(year: int) -> tuple[date, date]:
    """The last days the law allows for the 就学時健康診断 (11月30日, 保健安全法施行令 第1条) and the
    就学通知 (1月31日, 学校教育法施行令 第5条) of the children entering on ``year``-04-01: the
    dates used when the year's ``Schedule`` is not set (civil-facts §4.2)."""
    return date(year - 1, 11, 30), date(year, 1, 31)


@dataclass
class _Page:
    """What one page knows and will write."""

    generations: list[Generation]
    schedules: dict[int, Schedule]
    entries: dict[str, RollEntry]  # open entries by 宛名番号 (updated as events are applied)
    districts: DistrictIndex
    heads: dict[str, str]
    new: list[RollEntry] = field(default_factory=list)
    changed: dict[int, RollEntry] = field(default_factory=dict)
    history: list[tuple[RollEntry, str, date, dict, str]] = field(default_factory=list)
    work: list[WorkItem] = field(default_factory=list)

    def generation_of(self, birth: date | None) -> Generation | None:
        """The 編製 that took the child's cohort: the first one of its entry year or after."""
        if birth is None:
            return None
        year = entry_year(birth)
        return next((g for g in self.generations if g.entry_year >= year), None)


def _handle(events: list[dict], detail: dict) -> int:
    changes = [(resident_change(e), e) for e in events]
    atena_nos = {c.atena_no for c, _e in changes}
    page = _Page(
        generations=list(Generation.objects.order_by("entry_year")),
        schedules={s.entry_year: s for s in Schedule.objects.all()},
        entries={
            e.atena_no: e for e in RollEntry.objects.filter(closed_on__isnull=True, atena_no__in=atena_nos)
        },
        districts=book.districts(),
        heads=registry.heads_of({c.setai_no for c, _e in changes if c.setai_no}),
    )
    for change, event in changes:
        _apply(page, change, event)
    return _flush(page, detail)


# What a 異動 may change on an open entry (and its history line names).
_FOLLOWED = ("address", "setai_no", "name", "guardian_atena_no")


def _apply(page: _Page, change, event: dict) -> None:
    data = event["data"]
    generation = page.generation_of(change.birth_date)
    recorded_at = datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
    if generation is not None and rules.in_snapshot(
        change.move_date, recorded_at, generation.as_of, generation.created_at
    ):
        return
    entry = page.entries.get(change.atena_no)
    planned = data.get("planned_move_out_on") or None
    action = rules.decide(
        change.event,
        int(data.get("status") or rules.RESIDENT),
        change.birth_date,
        change.move_date,
        date.fromisoformat(planned) if planned else None,
        on_roll=entry is not None,
        last_entry_year=page.generations[-1].entry_year if page.generations else None,
    )
    if isinstance(action, rules.Close):
        entry.closed_on, entry.closed_reason = action.on, action.reason
        page.history.append((entry, Change.CLOSED, action.on, {"reason": action.reason}, change.event_id))
        del page.entries[change.atena_no]
        _touch(page, entry)
    elif isinstance(action, rules.Update):
        before = {k: getattr(entry, k) for k in _FOLLOWED}
        _copy(page, entry, change, data)
        after = {k: getattr(entry, k) for k in _FOLLOWED}
        if after != before:
            diff = {k: [before[k], after[k]] for k in after if after[k] != before[k]}
            page.history.append((entry, Change.UPDATED, change.move_date, diff, change.event_id))
            _touch(page, entry)
    elif isinstance(action, rules.Add):
        end = compulsory_end(change.birth_date)
        entry = RollEntry(
            lg_code=require_tenant().lg_code,
            atena_no=change.atena_no,
            birth_date=change.birth_date,
            entry_year=end.year - 9,
            compulsory_until=end,
            added_on=change.move_date,
            added_reason=action.reason,
        )
        _copy(page, entry, change, data)
        page.entries[change.atena_no] = entry
        page.new.append(entry)
        page.history.append(
            (
                entry,
                Change.ADDED,
                change.move_date,
                {"reason": action.reason, "address": entry.address},
                change.event_id,
            )
        )
        if action.reason == Added.MOVED_IN:
            _late(page, entry, change)


def _copy(page: _Page, entry: RollEntry, change, data: dict) -> None:
    entry.setai_no = change.setai_no
    entry.name, entry.name_kana = data.get("name", entry.name), data.get("name_kana", entry.name_kana)
    entry.address = data.get("address", entry.address)
    place = page.districts.place(entry.address)
    entry.town_area, entry.banchi = place.town_area, place.banchi
    entry.elementary_code, entry.junior_code = place.elementary_code, place.junior_code
    if not entry.guardian_fixed:
        head = page.heads.get(change.setai_no, "")
        entry.guardian_atena_no = "" if head == change.atena_no else head


def _touch(page: _Page, entry: RollEntry) -> None:
    if entry.pk is not None:
        page.changed[entry.pk] = entry


def _late(page: _Page, entry: RollEntry, change) -> None:
    """A 転入 after the year's 就学時健康診断 (the child missed it: 保健安全法施行令 第1条第2項, check
    promptly) or after the 就学通知 was sent, or of a child already at school (転入学): a work
    item for the notice to send (civil-facts §4.2, §4.4)."""
    year = entry.entry_year
    schedule = page.schedules.get(year)
    health_check, notice = (
        (schedule.health_check_on, schedule.notice_on) if schedule else statutory_dates(year)
    )
    entered = change.move_date >= date(year, 4, 1)
    kinds = []
    if not entered and change.move_date > health_check:
        kinds.append(WorkKind.HEALTH_CHECK)
    if entered or change.move_date > notice:
        kinds.append(WorkKind.ENROLMENT_NOTICE)
    page.work += [
        WorkItem(
            lg_code=entry.lg_code,
            kind=kind,
            atena_no=entry.atena_no,
            entry_year=year,
            due_on=change.move_date,
            source_event=change.event_id,
            created_at=timezone.now(),
        )
        for kind in kinds
    ]


def _flush(page: _Page, detail: dict) -> int:
    """Each kind of change in one statement."""
    now = timezone.now()
    for entry in [*page.new, *page.changed.values()]:
        entry.updated_at = now
    RollEntry.objects.bulk_update(
        page.changed.values(),
        ["setai_no", "name", "name_kana", "address", "town_area", "banchi", "elementary_code", "junior_code",
         "guardian_atena_no", "closed_on", "closed_reason", "updated_at"],
    )  # fmt: skip
    RollEntry.objects.bulk_create(page.new)  # after: a closed entry frees the child's open slot
    actor = current_actor().name
    RollChange.objects.bulk_create(
        RollChange(
            lg_code=entry.lg_code, entry=entry, change=kind, on=on, detail=what, source_event=event_id,
            created_at=now, created_by=actor,
        )
        for entry, kind, on, what, event_id in page.history
    )  # fmt: skip
    WorkItem.objects.bulk_create(page.work, ignore_conflicts=True)
    if page.history:
        record(
            Action.UPDATE,
            RESOURCE,
            purpose=PURPOSE,
            subjects=sorted({entry.atena_no for entry, *_rest in page.history}),
            detail={**detail, "changes": len(page.history), "work_items": len(page.work)},
        )
    return len(page.history)


CONSUMER = Consumer("school_enrollment.book", FeedPosition, _handle, TYPES, SCOPES)


def follow(
    lg_code: str,
    *,
    limit: int = PAGE,
    progress: Callable[[int], None] | None = None,
    pages: int | None = None,
) -> Followed:
    """Handle pages until the feed is caught up (or ``pages`` of them). Call with an audit actor bound."""
    return CONSUMER.follow(lg_code, limit=limit, progress=progress, pages=pages)
