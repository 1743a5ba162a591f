"""定時登録 and 選挙時登録 (公職選挙法21条・22条; docs/reference/civil-facts.md §1.1, §1.3).

A run reads the registry through its door only, set-based: everyone registered at the end of the
基準日 in one streamed query (``inhabitants_on``, with each one's 届出年月日 on that day's row),
then the current records of just the open entries no longer registered (for their 転出日 or
death) in pages of ``PAGE`` (``residents_of``: three queries a page). Then, in the caller's one
transaction:

- 表示 (法27条) of each entry whose person moved out, with the 転出日; 抹消 (法28条) of each whose
  person died (on the death date) or who was marked and whose four months after the 転出 have
  passed by the 基準日 (``rules.dates.struck_off_from``);
- 登録 of every Japanese national (住民種別 1) registered on the 基準日, 18 by the 年齢期限日 and
  resident three months from the 転入届 (the 届出年月日; a record without one: the 住民となった
  年月日; neither: resident since before the registry), not already on the roll;
- 登録 of the 旧住所地 persons (法21条2項, ``_former_residents``), marked from the day they left.

Each change emits its event: 表示 and 抹消 in the run's transaction; the REGISTERED events of
its entries after it (``announce``). The 届出年月日 is the registry's item as of the 基準日: set by the 転入届 (or 出生届) and left as
it is by a 転居, so a move within the town does not restart the three months. Each new entry
goes in the 投票区 of its address under the plan in force on the 登録日 (``precincts``; the
address is on the same streamed row).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter

from django.db import connections, transaction
from django.utils import timezone

from yakuba.elections import events
from yakuba.elections.codes import Basis, Change, Kind, StruckOff
from yakuba.elections.models import Departure, Entry, EntryChange, Run
from yakuba.elections.rules import dates
from yakuba.elections.services import precincts
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.bulk import copy_insert
from yakuba.platform.linkage import catalogue, outbox
from yakuba.platform.linkage.models import Event as OutboxEvent
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

RESOURCE = "elections.roll"
PURPOSE = "選挙人名簿の登録（公職選挙法第21条・第22条）"
PAGE = 5000
JAPANESE = 1
DIED = "death"
MOVED_OUT = ("move_out_domestic", "move_out_abroad")
# The 選管 registers every qualified person, 支援措置 or not: it reads them all.
SEE_ALL = registry.Visibility(protected=True, juminhyo_code=False, domicile=False)
ENTRY_COLUMNS = (
    "lg_code",
    "atena_no",
    "run_id",
    "registered_on",
    "tohyoku",
    "struck_off_reason",
    "updated_at",
    "basis",
    "former_address",
    "left_on",
    "marked_on",
    "moved_out_on",
)


class RegisterRefused(ValueError):
    """The run cannot be made (the Japanese message names the field and why)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """The run's days: 基準日, 登録日, 年齢期限日 and the 選挙期日 if any."""

    kind: str
    kijun: date
    registered_on: date
    age_deadline: date
    election_day: date | None


def plan(kind: str, kijun: date, election_day: date | None) -> Plan:
    """The run's days by its kind, or every reason it cannot run as (field, message) pairs."""
    errors = []
    if kind not in Kind.values:
        errors.append(
            ("--kind", f"登録の種類は teiji（定時登録）または election（選挙時登録）です（{kind}）")
        )
    if kijun > timezone.localdate():
        errors.append(("--kijun-date", f"基準日が未来の日です（{kijun}）"))
    if election_day is not None and election_day <= kijun:
        errors.append(("--election-day", f"選挙期日は基準日より後の日です（{election_day}）"))
    if kind == Kind.ELECTION and election_day is None:
        errors.append(("--election-day", "選挙時登録には選挙期日を指定してください"))
    registered_on = age_deadline = kijun
    if kind == Kind.TEIJI:
        # A 定時登録 given an election: its 1st falls in that election's period (法22条2項).
        running = (dates.Election(kijun, election_day),) if election_day else ()
        try:
            run = dates.teiji_run(kijun, running)
            registered_on, age_deadline = run.registered_on, run.age_deadline
        except ValueError as exc:
            errors.append(("--kijun-date", str(exc)))
    else:
        # 選挙時登録: the 選管 fixes 基準日 and 登録日, usually both the day before the 公示/告示.
        age_deadline = dates.age_deadline(kijun, election_day)
    if errors:
        raise RegisterRefused("\n".join(f"{field}: {message}" for field, message in errors))
    return Plan(kind, kijun, registered_on, age_deadline, election_day)


def register(
    kind: str, kijun: date, election_day: date | None = None, *, announce_events: bool = True
) -> Run:
    """One registration run as of ``kijun``; one transaction, one run per (kind, 基準日). Then its
    REGISTERED events (``announce``) unless ``announce_events`` is False (the next ``follow`` or
    ``announce`` sends them)."""
    from yakuba.elections.services.follow import follow  # the consumer writes through this module

    days = plan(kind, kijun, election_day)
    tenant = require_tenant()
    # The registry's events up to now first: the 転出 the run would otherwise meet only as an
    # absent person, and the 転出者 not on the roll that the 旧住所地 registration looks up.
    follow(tenant.lg_code)
    with transaction.atomic(using=tenant.alias):
        with connections[tenant.alias].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"elections_run:{tenant.lg_code}"])
        if Run.objects.filter(kind=kind, kijun=kijun).exists():
            raise RegisterRefused(f"--kijun-date: {Kind(kind).label}（基準日 {kijun}）は登録済みです")
        latest = Run.objects.order_by("-kijun").values_list("kijun", flat=True).first()
        if latest is not None and kijun < latest:
            # The roll goes forward: a run behind a later one would register persons whose 表示 or
            # 抹消 that later run already recorded.
            raise RegisterRefused(
                f"--kijun-date: 基準日 {latest} の登録があります。それより前の基準日では登録できません（{kijun}）"
            )
        run = Run.objects.create(
            lg_code=tenant.lg_code,
            kind=kind,
            kijun=kijun,
            registered_on=days.registered_on,
            election_day=election_day,
            age_deadline=days.age_deadline,
            announced_after=0,
            created_at=timezone.now(),
            created_by=current_actor().name,
        )
        candidates, present = _read_registry(days)
        open_entries = {
            atena_no: (entry_id, moved_out)
            for atena_no, entry_id, moved_out in Entry.objects.filter(struck_off_on__isnull=True).values_list(
                "atena_no", "id", "moved_out_on"
            )
        }
        run.marked, run.struck_off = _follow_leavers(run, open_entries, present)
        places = precincts.placer(run.registered_on)
        # Three months by the 基準日 is a 届出年月日 on or before this day (resident_long_enough is
        # monotonic in it): one comparison per person instead of month arithmetic.
        cutoff = dates.latest_move_in(kijun)
        new = [(a, places.name(address)) for a, since, address in candidates
               if a not in open_entries and (since is None or since <= cutoff)]  # fmt: skip
        former = _former_residents(days, present | set(open_entries), places)
        run.added = _add(run, new, former)
        run.save(update_fields=["added", "marked", "struck_off"])
        record(
            Action.CREATE,
            RESOURCE,
            purpose=PURPOSE,
            detail={
                "kind": kind,
                "kijun": kijun.isoformat(),
                "registered_on": days.registered_on.isoformat(),
                "age_deadline": days.age_deadline.isoformat(),
                "added": run.added,
                "marked": run.marked,
                "struck_off": run.struck_off,
            },
        )
    if announce_events:
        announce()
    return run


def _read_registry(days: Plan) -> tuple[list[tuple[str, date | None, str]], set[str]]:
    """Who is registered at the end of the 基準日, and which of them are Japanese and old enough —
    each with the day their three months run from (the 届出年月日 on that day's row, else the
    住民となった年月日) and their address, all in the one streamed read."""
    candidates, present = [], set()
    with registry.inhabitants_on(days.kijun, purpose=PURPOSE) as people:
        for p in people:
            present.add(p.atena_no)
            if p.resident_type == JAPANESE and dates.old_enough(p.birth_date, days.age_deadline):
                candidates.append((p.atena_no, p.notified_on or p.became_resident_on, p.address))
    return candidates, present


def _records(atena_nos: list[str]):
    """The current records of the persons, a page at a time (three queries a page)."""
    for start in range(0, len(atena_nos), PAGE):
        yield from registry.residents_of(atena_nos[start : start + PAGE], visibility=SEE_ALL).values()


def _follow_leavers(
    run: Run, open_entries: dict[str, tuple[int, date | None]], present: set[str]
) -> tuple[int, int]:
    """表示 and 抹消 of the entries whose person is no longer registered on the 基準日 (unless
    already marked: the consumer marks a 転出 when it happens), and 抹消 of the marked entries
    whose four months have passed. Returns (marked, struck off)."""
    marks, strikes = [], []
    absent = [a for a, (_id, moved_out) in open_entries.items() if a not in present and moved_out is None]
    for rec in _records(absent):
        entry_id = open_entries[rec.atena_no][0]
        if rec.removal_reason == DIED:
            strikes.append((entry_id, rec.removed_on or run.kijun, StruckOff.DIED))
        elif rec.removal_reason in MOVED_OUT or rec.planned_move_out_on:
            marks.append((entry_id, rec.planned_move_out_on or rec.removed_on))
    already = [
        (entry_id, moved_out) for entry_id, moved_out in open_entries.values() if moved_out is not None
    ]
    for entry_id, moved_out in [*marks, *already]:
        ends = dates.struck_off_from(moved_out)
        if ends <= run.kijun:
            strikes.append((entry_id, ends, StruckOff.MOVED_OUT))
    write_marks(run.id, marks)
    write_strikes(run.id, strikes)
    return len(marks), len(strikes)


def _former_residents(days: Plan, known: set[str], places: precincts.Placer) -> list[tuple]:
    """The 旧住所地 registrations (法21条2項): the persons the consumer saw move out (``Departure``)
    in the four months before the 基準日, not registered here now nor on the roll, Japanese, 18 by
    the 年齢期限日, whose record here lasted three months — their current records in pages.
    (atena_no, 投票区 of the old address, old address, the day they left)."""
    first = dates.add_months(days.kijun, -dates.STRIKE_OFF_MONTHS) - timedelta(days=1)
    left = dict(
        Departure.objects.filter(left_on__gte=first, left_on__lte=days.kijun)
        .order_by("atena_no", "left_on")
        .values_list("atena_no", "left_on")
    )
    found = []
    for rec in _records(sorted(a for a in left if a not in known)):
        left_on = rec.planned_move_out_on or rec.removed_on
        if (
            rec.resident_type == JAPANESE
            and rec.removal_reason in MOVED_OUT
            and left_on is not None
            and dates.old_enough(rec.birth_date, days.age_deadline)
            and dates.former_address_qualifies(left_on, rec.notified_on or rec.became_resident_on, days.kijun)
        ):
            found.append((rec.atena_no, places.name(rec.address), rec.address, left_on))
    return found


def write_changes(
    run_id: int | None, change: str, rows: list[tuple[int, date]], assign: str, detail: str, reasons=None
) -> None:
    """Set the entries' dates and add one history line each — two statements from arrays."""
    if not rows:
        return
    ids, days = [i for i, _d in rows], [d for _i, d in rows]
    reasons = reasons or [""] * len(rows)
    source = "unnest(%s::bigint[], %s::date[], %s::text[]) AS c(id, day, reason)"
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(
            f"UPDATE {Entry._meta.db_table} e SET {assign}, updated_at = now() FROM {source} WHERE e.id = c.id",
            [ids, days, reasons],
        )
        cursor.execute(
            f'INSERT INTO {EntryChange._meta.db_table} (lg_code, entry_id, run_id, change, "on", detail, created_at, created_by)'
            f" SELECT %s, c.id, %s, %s, c.day, {detail}, now(), %s FROM {source}",
            [tenant.lg_code, run_id, change, current_actor().name, ids, days, reasons],
        )


def write_marks(run_id: int | None, marks: list[tuple[int, date]]) -> None:
    """表示 of a 転出 (法27条1項) with the 転出日, and its MARKED events."""
    write_changes(
        run_id,
        Change.MARKED,
        marks,
        "marked_on = c.day, moved_out_on = c.day",
        "jsonb_build_object('moved_out_on', c.day)",
    )
    emit_for_entries(
        events.MARKED,
        [i for i, _d in marks],
        "jsonb_build_object('reason', 'moved_out', 'on', e.marked_on, 'moved_out_on', e.moved_out_on)",
    )


def write_strikes(run_id: int | None, strikes: list[tuple[int, date, str]]) -> None:
    """抹消 (法28条) with its day and 事由, and its STRUCK_OFF events."""
    write_changes(
        run_id,
        Change.STRUCK_OFF,
        [(i, on) for i, on, _r in strikes],
        "struck_off_on = c.day, struck_off_reason = c.reason",
        "jsonb_build_object('reason', c.reason)",
        reasons=[r for _i, _on, r in strikes],
    )
    emit_for_entries(
        events.STRUCK_OFF,
        [i for i, _on, _r in strikes],
        "jsonb_build_object('reason', e.struck_off_reason, 'on', e.struck_off_on)",
    )


def emit_for_entries(event_type: str, entry_ids: list[int], data_sql: str) -> None:
    """One event per entry (subject 宛名番号, ``data_sql`` over the entry ``e``)."""
    if entry_ids:
        emit_select(
            event_type,
            f"SELECT e.atena_no, {data_sql} FROM {Entry._meta.db_table} e WHERE e.id = ANY(%s) ORDER BY e.id",
            [entry_ids],
        )


def emit_select(event_type: str, select_sql: str, params: list) -> None:
    """Events of a catalogued type for the rows of ``select_sql`` (subject, data) in one INSERT …
    SELECT into the outbox, in the caller's transaction (contract "Events": no change without its
    event) — a run registers a million persons, and the outbox's ``emit_many`` would carry each
    event through Python and JSON. The ids are ``uuidv7()`` like the outbox's; the types carry no
    個人番号 to seal. Dispatched after commit like any other (``outbox.inserted``)."""
    declared = catalogue.get(event_type)
    assert not declared.restricted, event_type
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(
            f"WITH sent AS (INSERT INTO {OutboxEvent._meta.db_table} (lg_code, event_id, type, source, subject, time, data)"
            f" SELECT %s, uuidv7(), %s, %s, s.subject, now(), s.data FROM ({select_sql}) AS s(subject, data)"
            " RETURNING txid) SELECT txid FROM sent LIMIT 1",
            [tenant.lg_code, declared.type, f"/yakuba/{tenant.lg_code}/{declared.domain}", *params],
        )
        row = cursor.fetchone()
    outbox.inserted(row[0] if row else None)


def _add(run: Run, new: list[tuple[str, str]], former: list[tuple]) -> int:
    """登録 of the new entries — (宛名番号, 投票区) residents, and the 旧住所地 registrations with
    their old address and the day they left, marked (表示, 法27条1項) from that day, since they
    no longer live here — by COPY, then one history line each (and the 表示 of a 旧住所地 one, with
    its MARKED event); their REGISTERED events follow the run (``announce``)."""
    now, lg_code, run_id, day = timezone.now(), require_tenant().lg_code, run.id, run.registered_on
    resident, former_address = Basis.RESIDENT.value, Basis.FORMER_ADDRESS.value  # hoisted: a million rows
    rows = [(lg_code, a, run_id, day, tohyoku, "", now, resident, "", None, None, None) for a, tohyoku in new]
    rows += [(lg_code, a, run_id, day, tohyoku, "", now, former_address, address, left, left, left)
             for a, tohyoku, address, left in former]  # fmt: skip
    rows.sort(key=itemgetter(1))
    added = copy_insert(Entry._meta.db_table, ENTRY_COLUMNS, rows)
    entry, change = Entry._meta.db_table, EntryChange._meta.db_table
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {change} (lg_code, entry_id, run_id, change, "on", detail, created_at, created_by)'
            f" SELECT lg_code, id, run_id, %s, registered_on, jsonb_build_object('tohyoku', tohyoku, 'basis', basis), now(), %s"
            f" FROM {entry} WHERE run_id = %s"
            f" UNION ALL SELECT lg_code, id, run_id, %s, marked_on, jsonb_build_object('moved_out_on', moved_out_on), now(), %s"
            f" FROM {entry} WHERE run_id = %s AND marked_on IS NOT NULL",
            [Change.REGISTERED, current_actor().name, run.id, Change.MARKED, current_actor().name, run.id],
        )
    emit_select(
        events.MARKED,
        f"SELECT atena_no, jsonb_build_object('reason', 'moved_out', 'on', marked_on, 'moved_out_on', moved_out_on)"
        f" FROM {entry} WHERE run_id = %s AND marked_on IS NOT NULL ORDER BY atena_no",
        [run.id],
    )
    return added


ANNOUNCE_PAGE = 20000


def announce(progress=None) -> int:
    """The REGISTERED events of the runs' entries not yet sent, ``ANNOUNCE_PAGE`` at a time, each
    page one transaction with its run's cursor (``Run.announced_after``) — so a killed relay
    resumes and nothing is sent twice. Kept out of the run's own transaction: at a million
    entries the outbox's per-row commit trigger alone costs about as much as the run (docs/
    elections.md, "Measured"); the entries themselves are the outbox. Returns the events sent."""
    alias, sent = require_tenant().alias, 0
    entry = Entry._meta.db_table
    while True:
        with transaction.atomic(using=alias):
            run = (
                Run.objects.select_for_update(skip_locked=True)
                .filter(announced_after__isnull=False)
                .order_by("id")
                .first()
            )
            if run is None:
                return sent
            with connections[alias].cursor() as cursor:
                cursor.execute(
                    f"SELECT max(id), count(*) FROM (SELECT id FROM {entry} WHERE run_id = %s AND id > %s"
                    " ORDER BY id LIMIT %s) AS page",
                    [run.id, run.announced_after, ANNOUNCE_PAGE],
                )
                last, count = cursor.fetchone()
            if count:
                emit_select(
                    events.REGISTERED,
                    f"SELECT atena_no, jsonb_build_object('registered_on', registered_on, 'kind', %s::text,"
                    f" 'basis', basis, 'tohyoku', tohyoku) FROM {entry} WHERE run_id = %s AND id > %s AND id <= %s"
                    " ORDER BY id",
                    [run.kind, run.id, run.announced_after, last],
                )
            run.announced_after = last if count == ANNOUNCE_PAGE else None
            run.save(update_fields=["announced_after"])
        sent += count
        if progress is not None:
            progress(count)
