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
  年月日; neither: resident since before the registry), not already on the roll.

The 届出年月日 is the registry's item as of the 基準日: set by the 転入届 (or 出生届) and left as
it is by a 転居, so a move within the town does not restart the three months. Each new entry
goes in the 投票区 of its address under the plan in force on the 登録日 (``precincts``; the
address is on the same streamed row).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connections, transaction
from django.utils import timezone

from yakuba.elections.codes import Change, Kind, StruckOff
from yakuba.elections.models import Entry, EntryChange, Run
from yakuba.elections.rules import dates
from yakuba.elections.services import precincts
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.bulk import copy_insert
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


def register(kind: str, kijun: date, election_day: date | None = None) -> Run:
    """One registration run as of ``kijun``; one transaction, one run per (kind, 基準日)."""
    days = plan(kind, kijun, election_day)
    tenant = require_tenant()
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
            created_at=timezone.now(),
            created_by=current_actor().name,
        )
        candidates, present = _read_registry(days)
        open_entries = dict(Entry.objects.filter(struck_off_on__isnull=True).values_list("atena_no", "id"))
        run.marked, run.struck_off = _follow_leavers(run, open_entries, present)
        run.added = _add(run, [c for c in candidates if c[0] not in open_entries])
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


def _follow_leavers(run: Run, open_entries: dict[str, int], present: set[str]) -> tuple[int, int]:
    """表示 and 抹消 of the entries whose person is no longer registered on the 基準日, and 抹消 of
    the marked entries whose four months have passed. Returns (marked, struck off)."""
    marks, strikes = [], []
    for rec in _records([a for a in open_entries if a not in present]):
        entry_id = open_entries.pop(rec.atena_no)
        if rec.removal_reason == DIED:
            strikes.append((entry_id, rec.removed_on or run.kijun, StruckOff.DIED))
        elif rec.removal_reason in MOVED_OUT or rec.planned_move_out_on:
            marks.append((entry_id, rec.planned_move_out_on or rec.removed_on))
    already = Entry.objects.filter(
        struck_off_on__isnull=True, marked_on__isnull=False, id__in=list(open_entries.values())
    ).values_list("id", "moved_out_on")
    for entry_id, moved_out in [*marks, *already]:
        ends = dates.struck_off_from(moved_out)
        if ends <= run.kijun:
            strikes.append((entry_id, ends, StruckOff.MOVED_OUT))
    _apply(
        run,
        Change.MARKED,
        marks,
        "marked_on = c.day, moved_out_on = c.day",
        "jsonb_build_object('moved_out_on', c.day)",
    )
    _apply(
        run,
        Change.STRUCK_OFF,
        [(i, on) for i, on, _r in strikes],
        "struck_off_on = c.day, struck_off_reason = c.reason",
        "jsonb_build_object('reason', c.reason)",
        reasons=[r for _i, _on, r in strikes],
    )
    return len(marks), len(strikes)


def _apply(
    run: Run, change: str, rows: list[tuple[int, date]], assign: str, detail: str, reasons=None
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
            [tenant.lg_code, run.id, change, current_actor().name, ids, days, reasons],
        )


def _add(run: Run, candidates: list[tuple[str, date | None, str]]) -> int:
    """登録 of the candidates resident three months by the 基準日, each in the 投票区 of its
    address on the 登録日: COPY, then one history line each."""
    kijun = run.kijun
    places = precincts.placer(run.registered_on)
    qualified = sorted(
        (a, places.name(address))
        for a, since, address in candidates
        if dates.resident_long_enough(since, kijun)
    )
    now = timezone.now()
    lg_code = require_tenant().lg_code
    added = copy_insert(
        Entry._meta.db_table,
        ENTRY_COLUMNS,
        ((lg_code, a, run.id, run.registered_on, tohyoku, "", now) for a, tohyoku in qualified),
    )
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {EntryChange._meta.db_table} (lg_code, entry_id, run_id, change, "on", detail, created_at, created_by)'
            f" SELECT lg_code, id, run_id, %s, registered_on, jsonb_build_object('tohyoku', tohyoku), now(), %s"
            f" FROM {Entry._meta.db_table} WHERE run_id = %s",
            [Change.REGISTERED, current_actor().name, run.id],
        )
    return added
