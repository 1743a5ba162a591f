"""The 学齢簿 kept as data (docs/school_enrollment.md, "The kept 学齢簿").

施行令 第1条・第2条: the 教育委員会 builds the 学齢簿 from the 住民基本台帳 and, every year before
5月, adds the children who will enter 小学校 the next 4月1日 (基準日 10月1日, 施行規則 第31条;
civil-facts §4.2); each child stays until the end of compulsory schooling, the 3月31日 after the
15歳 (学校教育法 第17条第2項). ``generate`` is that yearly 編製: the cohort's children (and, the
first time, every child of compulsory-school age) come through the registry's door in one read
(``born_on``: the persons registered at the end of the 基準日 born on any day of those cohorts —
and a second of today's, when the 基準日 is past, to keep only those still registered),
their 世帯主 in one more (``heads_of``), their 通学区域 schools are found in memory
(``DistrictIndex``), and they go in by COPY with their history lines by one INSERT … SELECT — all in the caller's one transaction, so a
generation is all-or-nothing and is done once per entry year (``Generation``). The same run closes
the entries of the children whose compulsory schooling ended.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.bulk import copy_insert
from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.school_enrollment.codes import Added, Change, Closed
from yakuba.school_enrollment.models import District, Generation, RollEntry
from yakuba.school_enrollment.rules.cohort import cohort, compulsory_end
from yakuba.school_enrollment.rules.district import DistrictIndex, Place
from yakuba.school_enrollment.rules.events import roll_year

RESOURCE = "school_enrollment.book"
PURPOSE = "学齢簿の編製（学校教育法施行令第1条・第2条）"
COLUMNS = (
    "lg_code",
    "atena_no",
    "setai_no",
    "name",
    "name_kana",
    "birth_date",
    "address",
    "town_area",
    "banchi",
    "guardian_atena_no",
    "guardian_fixed",
    "entry_year",
    "compulsory_until",
    "elementary_code",
    "junior_code",
    "added_on",
    "added_reason",
    "closed_reason",
    "generation_id",
    "updated_at",
)
ENTRY = RollEntry._meta.db_table
CHANGE = "school_enrollment_roll_change"


class GenerationRefused(ValueError):
    """The 編製 cannot run for that year (the Japanese message says why)."""


class AlreadyGenerated(GenerationRefused):
    """The entry year's 学齢簿 was generated already (the message says when)."""


def base_day(entry_year: int) -> date:
    """施行規則 第31条's 基準日: 10月1日 of the year before entry."""
    return date(entry_year - 1, 10, 1)


def first_entry_year_of_age(on: date) -> int:
    """The earliest entry year whose children are still of compulsory-school age on ``on``."""
    year = on.year - 10
    while date(year + 9, 3, 31) < on:
        year += 1
    return year


def districts() -> DistrictIndex:
    """The 通学区域 in memory (one query: a town has a few hundred lines), to place addresses."""
    lines = District.objects.values_list("town_area", "from_no", "to_no", "elementary_code", "junior_code")
    return DistrictIndex(lookup(require_tenant().lg_code).full_name, list(lines))


def replace_places(places: dict[str, Place]) -> None:
    """Set the place (町字, 番地, 通学区域 schools) of the open entries of the 宛名番号 given — one
    UPDATE from arrays."""
    if not places:
        return
    atena_nos = list(places)
    columns = [[getattr(places[a], f) for a in atena_nos] for f in Place.__slots__]
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            f"UPDATE {ENTRY} e SET town_area = p.town, banchi = p.banchi, elementary_code = p.e,"
            " junior_code = p.j, updated_at = now()"
            " FROM unnest(%s::text[], %s::text[], %s::int[], %s::text[], %s::text[]) AS p(atena_no, town, banchi, e, j)"
            " WHERE e.atena_no = p.atena_no AND e.closed_on IS NULL",
            [atena_nos, *columns],
        )
        return cursor.rowcount


def add_history(where: str, params: list, change: str, on_sql: str, detail_sql: str) -> int:
    """One history line per entry ``where`` selects — one INSERT … SELECT."""
    actor = current_actor().name
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {CHANGE} (lg_code, entry_id, change, "on", detail, created_at, created_by)'
            f" SELECT e.lg_code, e.id, %s, {on_sql}, {detail_sql}, now(), %s FROM {ENTRY} e WHERE {where}",
            [change, actor, *params],
        )
        return cursor.rowcount


def generate(entry_year: int, *, as_of: date | None = None) -> Generation:
    """The yearly 編製 for the children entering on ``entry_year``-04-01, registered at the end of
    ``as_of`` (default the 基準日 10月1日, or today if that is still ahead). One transaction."""
    day = as_of or min(base_day(entry_year), timezone.localdate())
    with transaction.atomic(using=require_tenant().alias):
        # One 編製 at a time per municipality: a second run waits, then finds the year done.
        with connections[require_tenant().alias].cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{ENTRY}:{require_tenant().lg_code}"]
            )
        done = Generation.objects.filter(entry_year=entry_year).first()
        if done:
            raise AlreadyGenerated(
                f"{entry_year}年入学の学齢簿は {timezone.localtime(done.created_at):%Y-%m-%d} に編製済みです（{done.added:,} 人）"
            )
        last = Generation.objects.order_by("-entry_year").values_list("entry_year", flat=True).first()
        _check_year(entry_year, day, last)
        first_year = max(first_entry_year_of_age(day), (last or 0) + 1)
        generation = Generation.objects.create(
            lg_code=require_tenant().lg_code,
            entry_year=entry_year,
            as_of=day,
            created_at=timezone.now(),
            created_by=current_actor().name,
        )
        added = _add_cohorts(generation, range(first_year, entry_year + 1), day)
        generation.added = added
        generation.graduated = close_graduated(day)
        generation.save(update_fields=["added", "graduated"])
        record(
            Action.CREATE,
            RESOURCE,
            purpose=PURPOSE,
            detail={
                "entry_year": entry_year,
                "as_of": day.isoformat(),
                "cohorts": [first_year, entry_year],
                "added": added,
                "graduated": generation.graduated,
            },
        )
    return generation


def _check_year(entry_year: int, day: date, last: int | None) -> None:
    """The years go forward, each from its 基準日 on (施行規則 第31条): a 編製 for a cohort whose
    基準日 is still ahead of ``day``, or behind a later year's, would leave years out."""
    if entry_year > roll_year(day):
        raise GenerationRefused(
            f"{entry_year}年入学の学齢簿は基準日（{entry_year - 1}年10月1日）以後の日を基準日として編製します（{day}）"
        )
    if last is not None and entry_year < last:
        raise GenerationRefused(f"{last}年入学の学齢簿が編製済みです（{entry_year}年入学は編製できません）")


def _add_cohorts(generation: Generation, years: range, day: date) -> int:
    if not years:
        return 0
    first, last = cohort(years[0])[0], cohort(years[-1])[1]
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    people = registry.born_on(days, day=day, purpose=PURPOSE)
    today = timezone.localdate()
    if day < today:
        # Registered on the 基準日 and still today, with today's record: a child who left since
        # is not written (its 転出 may be behind the consumer's cursor already); one who came
        # since is the consumer's (a 転入 after the 基準日, rules/events.roll_year).
        now = {p.atena_no: p for p in registry.born_on(days, day=today, purpose=PURPOSE)}
        people = [now[p.atena_no] for p in people if p.atena_no in now]
    on_roll = set(
        RollEntry.objects.filter(
            closed_on__isnull=True, atena_no__in=[p.atena_no for p in people]
        ).values_list("atena_no", flat=True)
    )
    people = [p for p in people if p.atena_no not in on_roll]
    heads = registry.heads_of({p.setai_no for p in people})
    index = districts()
    lg_code, now = require_tenant().lg_code, timezone.now()
    rows = []
    for p in people:
        place = index.place(p.address)
        head = heads.get(p.setai_no, "")
        end = compulsory_end(p.birth_date)
        rows.append(
            (lg_code, p.atena_no, p.setai_no, p.name, p.name_kana, p.birth_date, p.address, place.town_area, place.banchi,
             "" if head == p.atena_no else head, False, end.year - 9, end, place.elementary_code, place.junior_code,
             day, Added.GENERATED, "",
             generation.id, now)
        )  # fmt: skip
    added = copy_insert(ENTRY, COLUMNS, rows)
    add_history(
        "e.generation_id = %s",
        [generation.id],
        Change.ADDED,
        "e.added_on",
        "jsonb_build_object('reason', e.added_reason, 'address', e.address,"
        " 'elementary', e.elementary_code, 'junior', e.junior_code)",
    )
    return added


def close_graduated(day: date) -> int:
    """Close, the day after it, every open entry whose compulsory schooling ended before ``day``
    (学校教育法 第17条第2項) — two statements whatever their number."""
    where, params = "e.closed_on IS NULL AND e.compulsory_until < %s", [day]
    add_history(
        where,
        params,
        Change.CLOSED,
        "e.compulsory_until + 1",
        f"jsonb_build_object('reason', '{Closed.GRADUATED}')",
    )
    return RollEntry.objects.filter(closed_on__isnull=True, compulsory_until__lt=day).update(
        closed_on=F("compulsory_until") + timedelta(days=1),
        closed_reason=Closed.GRADUATED,
        updated_at=timezone.now(),
    )
