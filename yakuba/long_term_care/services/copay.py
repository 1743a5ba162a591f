"""The annual 利用者負担割合 (介護保険法 §49の2, §59の2; insurance-welfare-facts §4.3): each 8月1日,
for the year to 7月31日, every 第1号被保険者 with a 認定 (要支援・要介護) or 事業対象者 in force
that day gets 1割, 2割 or 3割 (``rules.copay``), and a 介護保険負担割合証.

- The 所得 are the 住民税's of the 年度 that begins in the same year (the previous year's 所得),
  through the tax app's door (``figures_of``: 合計所得金額, 公的年金等収入, 年金所得, 給与所得).
- The 世帯 is the registry's on 8月1日 (its door: ``inhabitants_on``, read once per run); its
  第1号被保険者 are its members who have reached 65 by that day. A 住所地特例者 living in a 施設
  elsewhere has no 世帯 here and is judged alone.
- 住民税非課税 gives 1割 (facts §4.3); a person with no assessment has no 所得 the municipality
  knows and is judged with 0 — 1割. 生活保護 is not known here (known limits).

The batch is resumable on ``platform.batch``: a page of persons (keyset on 宛名番号) is one
transaction — their rows (COPY), events, one audit row and the run's position — so a run killed
anywhere resumes after the last page it wrote. A decision is append-only: a later row of the same
year (``decide_one``: a 認定 that begins later in the year, a 更正 of the 所得) supersedes it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connections, transaction
from django.utils import timezone

from yakuba.long_term_care.codes import CopayShare, RunState
from yakuba.long_term_care.events import COPAY_DECIDED
from yakuba.long_term_care.models import CopayDecision, CopayRun
from yakuba.long_term_care.rules import copay as rules
from yakuba.long_term_care.rules import qualification as age_rule
from yakuba.long_term_care.rules.parameters import UnknownYear, for_year
from yakuba.long_term_care.services import certification
from yakuba.long_term_care.services.common import Rejected, refuse_if
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.batch import open_run, run_pages, write_page
from yakuba.platform.linkage import outbox
from yakuba.platform.linkage.qualification import Change
from yakuba.platform.tenancy.context import require_tenant, tenant_context
from yakuba.registry import services as registry
from yakuba.tax import services as tax

RESOURCE = "long_term_care.copay"
COPAY_PURPOSE = "介護保険の利用者負担割合の判定"
COLUMNS = [f.column for f in CopayDecision._meta.concrete_fields if not f.primary_key]
PAGE = 500
SYSTEM_READ = registry.Visibility(protected=True)  # a decision discloses nothing: everyone is judged


def first_day(year: int) -> date:
    return date(year, 8, 1)


def last_day(year: int) -> date:
    return date(year + 1, 7, 31)


def check_year(year: int) -> list[tuple[str, str]]:
    try:
        for_year(year)
    except UnknownYear as exc:
        return [("year", str(exc))]
    return []


def refuse_year(year: int) -> None:
    refuse_if(check_year(year))


def share_counts(year: int) -> list[str]:
    """「1割 12人」… of the year's decisions in force (the latest row of each person) — one query."""
    latest = CopayDecision.objects.filter(year=year).order_by("atena_no", "-id").distinct("atena_no")
    counts = defaultdict(int)
    for share in latest.values_list("share", flat=True):
        counts[share] += 1
    return [f"{CopayShare(s).label} {counts[s]:,}人" for s in CopayShare.values]


@dataclass(frozen=True)
class CopayLine:
    atena_no: str
    year: int
    share: int
    share_label: str
    valid_from: date
    valid_until: date
    own_income: int
    household_total: int
    household_count: int
    reason: str


@dataclass(frozen=True)
class RunStatus:
    year: int
    state: str
    done: int


@dataclass(frozen=True)
class _Page:
    after: str
    last: str
    people: list[tuple[str, tuple[str, ...]]]  # (宛名番号, the 第1号 of his 世帯 with him)
    figures: dict


def _judge(year: int, atena_no: str, household: tuple[str, ...], figures: dict) -> tuple[int, int, int, str]:
    """(割合, 本人の合計所得金額, the 世帯's sum, reason) — pure."""
    own = figures.get(atena_no)
    sums = [rules.judged_sum(year, f) if (f := figures.get(a)) is not None else 0 for a in household]
    income = own.total_income if own is not None else 0
    share, reason = rules.decide(year, own_income=income, household=sums)
    if own is None:
        reason = f"住民税の課税資料がないため所得0円として判定: {reason}"
    return int(share[0]), income, sum(sums), reason


def _rows(
    lg_code: str, year: int, page: _Page, valid_from: date, actor: str, now
) -> tuple[list[tuple], list]:
    """The page's rows as COPY takes them and their events — pure (a forked worker may run it)."""
    rows, events = [], []
    for atena_no, household in page.people:
        share, income, total, reason = _judge(year, atena_no, household, page.figures)
        values = {
            "lg_code": lg_code,
            "created_at": now,
            "created_by": actor,
            "atena_no": atena_no,
            "year": year,
            "share": share,
            "valid_from": valid_from,
            "valid_until": last_day(year),
            "own_income": income,
            "household_total": total,
            "household_count": len(household),
            "reason": reason[:300],
        }
        rows.append(tuple(values[c] for c in COLUMNS))
        events.append(
            (
                COPAY_DECIDED,
                atena_no,
                {
                    "atena_no": atena_no,
                    "year": year,
                    "share": share,
                    "valid_from": valid_from.isoformat(),
                    "valid_until": last_day(year).isoformat(),
                },
            )
        )
    return rows, events


def _households(day: date) -> dict[str, tuple[str, ...]]:
    """{宛名番号: the 第1号 of his 世帯, himself included} of every resident 65 or over on ``day`` —
    one streamed read of the registry (memory: the 65+ residents' ids only)."""
    by_setai: dict[str, list[str]] = defaultdict(list)
    with registry.inhabitants_on(day, purpose=COPAY_PURPOSE) as people:
        for p in people:
            if p.birth_date is not None and age_rule.qualifying_day(p.birth_date) <= day:
                by_setai[p.setai_no].append(p.atena_no)
    return {a: tuple(members) for members in by_setai.values() for a in members}


def _insured(atena_nos: list[str], day: date) -> set[str]:
    """Those of ``atena_nos`` who are 第1号被保険者 on ``day`` (their last 資格 row by then is a
    取得) — one query."""
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            "SELECT atena_no FROM (SELECT DISTINCT ON (atena_no) atena_no, change"
            " FROM long_term_care_qualification WHERE atena_no = ANY(%s) AND effective_on <= %s"
            " ORDER BY atena_no, effective_on DESC, id DESC) q WHERE change = %s",
            [atena_nos, day, Change.ACQUIRED],
        )
        return {r[0] for r in cursor.fetchall()}


def _pages(lg_code: str, year: int, after: str, households: dict, size: int) -> Iterator[_Page]:
    """The pages after ``after``: the certified persons (one query), who of them is insured (one),
    the 所得 of them and their 世帯's 第1号 (one, the tax door)."""
    day = first_day(year)
    while True:
        with tenant_context(lg_code):
            atena_nos = certification.certified_page(day, after=after, limit=size)
            if not atena_nos:
                return
            insured = _insured(atena_nos, day)
            people = [(a, households.get(a, (a,))) for a in atena_nos if a in insured]
            figures = tax.assessment.figures_of(sorted({m for _a, h in people for m in h}), year)
        yield _Page(after, atena_nos[-1], people, figures)
        after = atena_nos[-1]


def run_copay(
    lg_code: str, year: int, *, progress: Callable[[int], None] | None = None, page: int = PAGE
) -> RunStatus:
    """The annual decision of ``year`` (8月1日) for every certified 第1号; resumes a run that was
    interrupted. Call with an actor bound. ``Rejected`` for a year without parameters."""
    refuse_year(year)
    run = open_run(lg_code, CopayRun, year=year)
    if run.state == RunState.DONE:
        return RunStatus(year, run.state, run.done)
    with tenant_context(lg_code):
        households = _households(first_day(year))
    actor, now = current_actor().name, timezone.now()

    def calculate(p: _Page):
        return (*_rows(lg_code, year, p, first_day(year), actor, now), p)

    def write(run, result) -> int:
        rows, events, p = result
        write_page(
            CopayDecision, COLUMNS, rows, events, p, resource=RESOURCE, purpose=COPAY_PURPOSE, year=year
        )
        run.done += len(rows)
        return len(p.people)

    run = run_pages(
        lg_code,
        run,
        position="last_atena_no",
        pages=_pages(lg_code, year, run.last_atena_no, households, page),
        calculate=calculate,
        write=write,
        conflict=f"{year}年の利用者負担割合の判定は別の処理が実行中です",
        progress=progress,
    )
    return RunStatus(year, run.state, run.done)


def certified_total(year: int) -> int:
    """How many persons have a 認定 in force on 8月1日 (the progress bar's total)."""
    return certification.certified_count(first_day(year))


def decide_one(atena_no: str, year: int, *, from_day: date | None = None) -> CopayLine:
    """One person's decision for the year (a 認定 that begins after 8月1日 — the 割合証 runs from
    its start, facts §4.1 — or a decision again after a 更正): a new row from ``from_day``
    (default 8月1日) to 7月31日, one transaction. The 世帯 is the registry's current one."""
    day = from_day or first_day(year)
    errors = check_year(year)
    if not first_day(year) <= day <= last_day(year):
        errors.append(("from_day", f"適用開始日は{first_day(year)}〜{last_day(year)}の日付です"))
    with transaction.atomic():
        if not errors and not certification.in_force(atena_no, day):
            errors.append(
                ("atena_no", f"{day.isoformat()}に有効な要介護・要支援認定（事業対象者）がありません")
            )
        if not errors and atena_no not in _insured([atena_no], day):
            errors.append(("atena_no", f"{day.isoformat()}に当市町村の第1号被保険者ではありません"))
        if errors:
            raise Rejected.of(errors)
        household = _household_of(atena_no, day)
        page = _Page("", atena_no, [(atena_no, household)], tax.assessment.figures_of(list(household), year))
        rows, events = _rows(require_tenant().lg_code, year, page, day, current_actor().name, timezone.now())
        CopayDecision.objects.create(**dict(zip(COLUMNS, rows[0], strict=True)))
        outbox.emit_many(events)
        record(Action.CREATE, RESOURCE, subjects=[atena_no], purpose=COPAY_PURPOSE, detail={"year": year})
    return copay_of(atena_no, year)


def _household_of(atena_no: str, day: date) -> tuple[str, ...]:
    """The 第1号 of the person's current 世帯 (himself first); alone when he is not a resident
    (a 住所地特例者 in a 施設 elsewhere)."""
    try:
        person = registry.get_resident(atena_no, visibility=SYSTEM_READ)
    except registry.NotFound:
        return (atena_no,)
    if person.removed_on is not None:
        return (atena_no,)
    members = registry.household_members(person.setai_no) - {atena_no}
    births = registry.birth_dates_of(members)
    return (atena_no, *sorted(a for a, b in births.items() if b and age_rule.qualifying_day(b) <= day))


def copay_of(atena_no: str, year: int) -> CopayLine | None:
    """The decision in force for the year (the latest row), or None."""
    row = CopayDecision.objects.filter(atena_no=atena_no, year=year).order_by("-id").first()
    return line_of(row) if row else None


def line_of(row: CopayDecision) -> CopayLine:
    return CopayLine(
        row.atena_no,
        row.year,
        row.share,
        CopayShare(row.share).label,
        row.valid_from,
        row.valid_until,
        row.own_income,
        row.household_total,
        row.household_count,
        row.reason,
    )


def run_status(year: int) -> RunStatus | None:
    run = CopayRun.objects.filter(year=year).first()
    return RunStatus(year, run.state, run.done) if run else None


def checksum(year: int) -> str:
    """SHA-256 over the year's decisions in key order (a resumed run equals an uninterrupted one)."""
    digest = hashlib.sha256()
    rows = CopayDecision.objects.filter(year=year).order_by("atena_no", "id")
    for row in rows.values_list("atena_no", "share", "valid_from", "own_income", "household_total", "reason"):
        digest.update(repr(row).encode())
    return digest.hexdigest()
