"""本算定: the 国民健康保険税（料） of every 国保世帯 for a 年度, as one resumable batch.

Who: every 国保世帯 with a member insured during the 年度 (4月1日 to 3月31日), from 国保's own 資格
history — each member's 取得日・喪失日 inside the 年度 give the engine its 月割 (facts §2.6); the
世帯主 is the 納税義務者 even when not insured (擬制世帯主, facts §2.1) and, with the
特定同一世帯所属者 (facts §2.5), counts in the 軽減判定. Ages (介護分 40–64, 未就学児) come from the
生年月日 the registry's door gives (``birth_dates_of``); the previous year's 所得 from the tax
app's door (``assessment.figures_of``: the latest version of each person's assessment of the
same 年度) — never their tables. The rates of the municipality for the 年度 are data handed in.

Each page of 国保世帯 (keyset on 世帯番号) is one transaction: its assessments (COPY), their
events, one audit row and the run's position together, so a run killed anywhere resumes after
the last committed page and ends with the rows an uninterrupted run writes (``checksum``).
The engine is pure: pages are calculated on forked workers while the main process reads and
writes (``yakuba.platform.forked``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db import connections
from django.utils import timezone

from yakuba.health_insurance.codes import Change, PremiumReason, RunKind, RunState
from yakuba.health_insurance.events import DECIDED
from yakuba.health_insurance.models import KokuhoHousehold, Member, PremiumAssessment, PremiumRun
from yakuba.health_insurance.rules.inputs import HEAD
from yakuba.health_insurance.services.calculation import CalculationRejected, KokuhoIn, calculate_kokuho
from yakuba.health_insurance.services.rates import RatesRejected, Settings, settings_for
from yakuba.platform import installments
from yakuba.platform.audit.log import current_actor
from yakuba.platform.batch import open_run, run_pages, write_page
from yakuba.platform.errors import RunConflict
from yakuba.platform.tenancy.context import require_tenant, tenant_context
from yakuba.registry import services as registry
from yakuba.tax import services as tax

PURPOSE = "国民健康保険税（料）の賦課（本算定）"
PURPOSE_PROVISIONAL = "国民健康保険税（料）の賦課（仮算定）"
RESOURCE = "health_insurance.premium"
COLUMNS = [f.column for f in PremiumAssessment._meta.concrete_fields if not f.primary_key]
PAGE = 1000
PARTS = ("medical", "support", "care", "child_rearing")
MEMBER = "世帯員"


@dataclass(frozen=True)
class RunStatus:
    fiscal_year: int
    state: str
    done: int
    rejected: int


@dataclass
class _Person:
    atena_no: str
    months: list[tuple[date | None, date | None]] = field(default_factory=list)  # 資格 spans in the 年度
    special: bool = False


@dataclass(frozen=True)
class Page:
    """One page as handed to a worker: the 世帯' inputs (already built), who and when. For the
    本算定 an input is (世帯番号, 納税義務者, §9.3 input, its persons' 宛名番号, the 仮算定 version
    or None); for the
    仮算定 (世帯番号, 納税義務者, the previous 年度's latest version)."""

    lg_code: str
    fiscal_year: int
    after: str
    last: str
    inputs: list[tuple]
    walked: int  # 国保世帯 of the page, assessed or not
    settings: Settings
    actor: str
    now: object


@dataclass(frozen=True)
class Levied:
    """What a 世帯's latest version of the 年度 levied: the base of the next one."""

    version: int
    total: int
    installments: list[list]  # [["2026-07", 12300], …]
    parts: tuple[int, int, int, int] = (0, 0, 0, 0)
    input: dict | None = None


def insured_spans(rows: list[tuple[str, date]], fiscal_year: int) -> list[tuple[date | None, date | None]]:
    """The 資格 spans of one person inside the 年度 from their history rows ``(change, date)`` in
    order (voided rows already left out): ``(取得日 or None from 4月1日, 喪失日 or None to 3月31日)``."""
    start, end = date(fiscal_year, 4, 1), date(fiscal_year + 1, 4, 1)
    spans, since = [], None
    for change, on in rows:
        if change == Change.ACQUIRED and since is None:
            since = on
        elif change == Change.LOST and since is not None:
            spans.append((since, on))
            since = None
    if since is not None:
        spans.append((since, None))
    inside = []
    for acquired, lost in spans:
        if acquired >= end or (lost is not None and lost <= start):
            continue
        inside.append(
            (acquired if acquired > start else None, lost if lost is not None and lost < end else None)
        )
    return inside


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _charged(acquired: date | None, lost: date | None, birth: date | None, fiscal_year: int) -> bool:
    """Whether a 資格 span leaves a month to charge (facts §2.6): from the 取得月 to the month before
    the 喪失月 (同月得喪: that month), and never from the month of the 75th birthday (後期). A
    member who left in April, or reached 75 before May, pays nothing and is not 被保険者 for the
    engine."""
    first = _month(acquired or date(fiscal_year, 4, 1))
    end = _month(date(fiscal_year + 1, 4, 1))
    if lost is not None:
        end = min(end, max(_month(lost), first + 1) if acquired and _month(lost) == first else _month(lost))
    if birth is not None:
        day = (
            date(birth.year + 75, 3, 1)
            if (birth.month, birth.day) == (2, 29)
            else birth.replace(year=birth.year + 75)
        )
        end = min(end, _month(day))
    return end > first


def _history(atena_nos: list[str]) -> dict[str, list[tuple[str, date]]]:
    """{宛名番号: [(取得|喪失, 日)]} in order, voided rows left out — one query for a page."""
    found: dict[str, list[tuple[str, date]]] = defaultdict(list)
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            "SELECT atena_no, change, effective_on FROM health_insurance_qualification q"
            " WHERE atena_no = ANY(%s) AND change <> %s"
            " AND NOT EXISTS (SELECT 1 FROM health_insurance_qualification c WHERE c.corrects = q.id)"
            " ORDER BY atena_no, effective_on, id",
            [atena_nos, Change.CORRECTED],
        )
        for atena_no, change, on in cursor:
            found[atena_no].append((change, on))
    return found


def _person_input(role: str, birth: date | None, figures, fiscal_year: int, **facts) -> dict:
    """One member of a 世帯 in contract §9.3's shape. A 生年月日 held as 不詳 reads as 30 on
    4月1日 (outside every age rule: 介護 40–64, 未就学児, 75). Someone without an assessment (not
    registered on the 賦課期日) has no 所得申告 the municipality knows of — and so no 軽減
    (facts §2.5) — unless under 16 on 12月31日 of the income year: a child is declared as the
    parents' 扶養親族, not by a 申告 of its own."""
    born = birth or date(fiscal_year - 31, 4, 1)
    child = born > date(fiscal_year - 17, 12, 31)
    person = {"role": role, "birth_date": born.isoformat(), **facts}
    if figures is None:
        person["income_declared"] = child
        return person
    person.update(
        total_income=figures.total_income,
        salary_revenue=figures.salary_revenue,
        public_pension_revenue=figures.public_pension_revenue,
        pension_income=min(figures.pension_income, figures.total_income),
        income_declared=figures.declared or child,
    )
    return person


def household_inputs(households: list[tuple[str, str]], fiscal_year: int, settings: Settings) -> list[tuple]:
    """(世帯番号, 納税義務者, §9.3 input, the 宛名番号 of each person of ``input.household`` in its
    order) of each 国保世帯 of ``households`` ((世帯番号, 世帯主)) with a member insured during the
    年度 — four queries whatever their number: the members, their 資格 history, their 所得 (tax
    door) and 生年月日 (registry door). The input names no one (contract §9.3 is the engine's):
    the 宛名番号 are what the notice names its 被保険者 by (two members born the same day)."""
    setai_nos = [s for s, _head in households]
    members: dict[str, list[_Person]] = defaultdict(list)
    start = date(fiscal_year, 4, 1)
    rows = Member.objects.filter(setai_no__any=setai_nos).order_by("setai_no", "atena_no")
    for atena_no, setai_no, special_from, special_until in rows.values_list(
        "atena_no", "setai_no", "special_from", "special_until"
    ):
        special = (
            special_from is not None
            and special_from <= start
            and (special_until is None or special_until > start)
        )
        members[setai_no].append(_Person(atena_no, special=special))
    everyone = [p.atena_no for group in members.values() for p in group] + [h for _s, h in households if h]
    history = _history(everyone)
    figures = tax.assessment.figures_of(everyone, fiscal_year)
    births = registry.birth_dates_of(everyone)
    found = []
    for setai_no, head in households:
        people = []
        head_in = False
        for person in members.get(setai_no, []):
            spans = insured_spans(history.get(person.atena_no, []), fiscal_year)
            role = HEAD if person.atena_no == head else MEMBER
            # One span per person: the first 取得 and the last 喪失 of the 年度 (a gap between two
            # spans is charged — rare; see docs/health_insurance.md, known limits).
            acquired, lost = (spans[0][0], spans[-1][1]) if spans else (None, None)
            if spans and _charged(acquired, lost, births.get(person.atena_no), fiscal_year):
                facts = {k: v.isoformat() for k, v in (("acquired_on", acquired), ("lost_on", lost)) if v}
            elif person.special or role == HEAD:
                facts = {"member": False, "specified": person.special and role != HEAD}
            else:
                continue
            head_in = head_in or role == HEAD
            people.append((person.atena_no, role, facts))
        if not any(facts.get("member", True) for _a, _r, facts in people):
            continue
        if not head_in and head:
            people.insert(0, (head, HEAD, {"member": False}))  # 擬制世帯主 not known as a member
        body = {
            "fiscal_year": fiscal_year,
            **settings.body,
            "household": [
                _person_input(role, births.get(a), figures.get(a), fiscal_year, **facts)
                for a, role, facts in people
            ],
        }
        found.append((setai_no, head, body, [a for a, _r, _f in people]))
    return found


def schedule(fiscal_year: int, settings: Settings) -> list[str]:
    """Every 納期 of the 年度 in order, 「YYYY-MM」: the 仮算定's, then the 本算定's."""
    return installments.months(fiscal_year, settings.provisional + settings.months)


def levy_rest(
    kept: list[list], total: int, fiscal_year: int, numbers: tuple[int, ...], settings: Settings
) -> tuple[list[list], int]:
    """(the 納期 of a version, 過納): the 納期 already levied as they were, and what ``total``
    leaves beyond them spread over the months ``numbers`` of the schedule (``installments.spread``:
    the first takes the remainder) — 南伊勢町: the 本算定's 年税額 less the 仮算定, over the
    remaining 納期 (https://www.town.minamiise.lg.jp/admin/shoshiki/zeimujumin/kenkouhoken/kokuhozei/3713.html).
    Levied beyond ``total`` (a 減額 after 納期 already due), nothing more is levied and the excess
    is the 過納 to refund or apply (地方税法 §17, §17の2)."""
    rest = total - sum(a for _m, a in kept)
    # ``spread`` names months from the 年度's April on: a tail such as (1, 2) takes its names
    # from the whole schedule instead.
    named = {int(m[5:]): m for m in schedule(fiscal_year, settings)}
    added = [
        [named[int(m[5:])], a] for m, a in installments.spread(rest, fiscal_year, numbers, settings.unit)
    ]
    return [list(i) for i in kept] + added, max(0, -rest)


def premium_row(
    page,
    setai_no: str,
    head: str,
    *,
    version: int,
    reason: str,
    plan: list[list],
    overpaid: int = 0,
    body: dict | None = None,
    atena_nos: list[str] | None = None,
    result: dict | None = None,
    total: int | None = None,
    cause: str = "",
    **calculation,
) -> dict:
    """One version's row from the engine's ``body`` with the 宛名番号 of its persons (``atena_nos``,
    in ``body["household"]``'s order) and ``result`` (or a ``total`` without parts: the 仮算定,
    whose basis goes in ``calculation``); ``page`` says whose, of which 年度, with which rates,
    who and when (``lg_code``, ``fiscal_year``, ``settings``, ``actor``, ``now``)."""
    parts = {p: ((result or {}).get(p) or {}).get("total", 0) for p in PARTS}
    calculation = {"input": body, "result": result, "rates_version": page.settings.version, **calculation}
    if body is not None:
        calculation["atena_nos"] = atena_nos
    if overpaid:
        calculation["overpaid"] = overpaid
    return {
        "lg_code": page.lg_code,
        "fiscal_year": page.fiscal_year,
        "setai_no": setai_no,
        "version": version,
        "reason": reason,
        "cause": cause,
        "head_atena_no": head,
        **parts,
        "total": result["annual_total"] if result else total,
        "installments": plan,
        "calculation": calculation,
        "created_at": page.now,
        "created_by": page.actor,
    }


def write_versions(rows: list[tuple], events: list, page: Page, *, purpose: str, **detail) -> None:
    """A page's versions by COPY, their events and one audit row naming the range, the 年度 and the
    rates version used (``platform.batch.write_page``)."""
    write_page(
        PremiumAssessment,
        COLUMNS,
        rows,
        events,
        page,
        resource=RESOURCE,
        purpose=purpose,
        fiscal_year=page.fiscal_year,
        rates_version=page.settings.used,
        **detail,
    )


def engine_result(body: dict) -> dict:
    """The engine's output for one 世帯's input, without ``steps`` (the same again from the same
    input); ``CalculationRejected`` / ``ValueError`` for an input it refuses."""
    result = calculate_kokuho(KokuhoIn.model_validate(body), explain=False)
    result.pop("steps")
    return result


def event_data(row: dict, **extra) -> dict:
    """A premium event's data: who pays, which version, why, the year's total and its 納期."""
    return {
        "fiscal_year": row["fiscal_year"],
        "version": row["version"],
        "reason": str(row["reason"]),
        "head_atena_no": row["head_atena_no"],
        "total": row["total"],
        "installments": row["installments"],
        **extra,
    }


def copy_row(row: dict) -> tuple:
    fields = {
        **row,
        "installments": json.dumps(row["installments"]),
        "calculation": json.dumps(row["calculation"], ensure_ascii=False),
    }
    return tuple(fields[c] for c in COLUMNS)


def _assess_page(page: Page) -> tuple[list[tuple], list, list[str], Page]:
    """(rows as COPY takes them, their events, the 世帯 the engine refused, the page) — pure
    calculation, no database, so it runs in a forked worker. After a 仮算定 the 本算定 is the
    next version: the 仮算定's 納期 kept, the rest of the year's total over the 本算定's."""
    rows, events, rejected = [], [], []
    settings = page.settings
    for setai_no, head, body, atena_nos, provisional in page.inputs:
        try:
            result = engine_result(body)
        except (CalculationRejected, ValueError):
            rejected.append(setai_no)
            continue
        kept = provisional.installments if provisional else []
        plan, over = levy_rest(kept, result["annual_total"], page.fiscal_year, settings.months, settings)
        row = premium_row(
            page,
            setai_no,
            head,
            version=provisional.version + 1 if provisional else 1,
            reason=PremiumReason.ANNUAL,
            plan=plan,
            overpaid=over,
            body=body,
            atena_nos=atena_nos,
            result=result,
        )
        rows.append(copy_row(row))
        events.append((DECIDED, setai_no, event_data(row)))
    return rows, events, rejected, page


def _provisional_page(page: Page) -> tuple[list[tuple], list, list[str], Page]:
    """The 仮算定 of a page: each 仮算定 納期 is the previous 年度's tax (its latest version) ÷ the
    number of 納期 of the year, truncated to the unit — 南伊勢町: 4月〜6月 each 1/12 of the
    previous 年度's tax, 百円未満切捨て
    (https://www.town.minamiise.lg.jp/admin/shoshiki/zeimujumin/kenkouhoken/kokuhozei/3713.html).
    A 世帯 without a tax last 年度, or whose share truncates to nothing, is levied at the 本算定."""
    settings = page.settings
    count = len(settings.provisional) + len(settings.months)
    named = installments.months(page.fiscal_year, settings.provisional)
    rows, events = [], []
    for setai_no, head, previous in page.inputs:
        each = previous.total // count // settings.unit * settings.unit
        if each <= 0:
            continue
        row = premium_row(
            page,
            setai_no,
            head,
            version=1,
            reason=PremiumReason.PROVISIONAL,
            plan=[[m, each] for m in named],
            total=each * len(named),
            provisional={
                "previous_fiscal_year": page.fiscal_year - 1,
                "previous_version": previous.version,
                "previous_total": previous.total,
                "installments_in_year": count,
            },
        )
        rows.append(copy_row(row))
        events.append((DECIDED, setai_no, event_data(row)))
    return rows, events, [], page


def latest_versions(setai_nos: list[str], fiscal_year: int) -> dict[str, Levied]:
    """{世帯番号: its latest version of ``fiscal_year``} — one query for a page."""
    rows = (
        PremiumAssessment.objects.filter(fiscal_year=fiscal_year, setai_no__any=setai_nos)
        .order_by("setai_no", "-version")
        .distinct("setai_no")
        .values_list(
            "setai_no",
            "version",
            "total",
            "installments",
            "medical",
            "support",
            "care",
            "child_rearing",
            "calculation__input",
        )
    )
    return {s: Levied(v, t, plan, (m, su, c, ch), body) for s, v, t, plan, m, su, c, ch, body in rows}


def _households_after(after: str) -> list[tuple[str, str]]:
    return list(
        KokuhoHousehold.objects.filter(setai_no__gt=after)
        .order_by("setai_no")
        .values_list("setai_no", "head_atena_no")[:PAGE]
    )


def _pages(
    lg_code: str, fiscal_year: int, after: str, settings: Settings, actor: str, kind: str
) -> Iterator[Page]:
    """The pages still to assess, each read in a transaction of its own: for the 本算定 the
    世帯' inputs (``household_inputs``) and their 仮算定; for the 仮算定 the 世帯 with an insured
    member now and their previous 年度's latest version."""
    while True:
        with tenant_context(lg_code):
            households = _households_after(after)
            if not households:
                return
            setai_nos = [s for s, _h in households]
            if kind == RunKind.ANNUAL:
                provisional = latest_versions(setai_nos, fiscal_year)
                inputs = [
                    (s, h, body, atena_nos, provisional.get(s))
                    for s, h, body, atena_nos in household_inputs(households, fiscal_year, settings)
                ]
            else:
                previous = latest_versions(setai_nos, fiscal_year - 1)
                insured = set(
                    Member.objects.filter(setai_no__any=setai_nos, insured=True).values_list(
                        "setai_no", flat=True
                    )
                )
                inputs = [(s, h, previous[s]) for s, h in households if s in insured and s in previous]
        last = households[-1][0]
        yield Page(
            lg_code, fiscal_year, after, last, inputs, len(households), settings, actor, timezone.now()
        )
        after = last


def run_levy(
    lg_code: str,
    fiscal_year: int,
    kind: str,
    *,
    rates: dict | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 0,
) -> RunStatus:
    """Run (or resume) the 本算定 or the 仮算定 (``kind``) of ``fiscal_year`` with the rates given
    (a rates file's content, ``rates.Settings.of``) or else the stored current version
    (``rates.rates_of``; the audit row of each page names it); ``progress(n)`` after each page
    with the 国保世帯 it covered. Call with an audit actor bound. Killed at any point, the run
    resumes after the last page it wrote; a finished run does nothing.

    The 仮算定 (before the 所得 are known, April) stores version 1 of each 世帯 with an insured
    member and a tax last 年度, 事由 仮算定, on the 納期 ``installments.provisional_months``
    (``_provisional_page``) — only before the 本算定 has started. After it, each 世帯's 本算定 is
    its next version, the 仮算定's 納期 subtracted."""
    actor = current_actor().name
    with tenant_context(lg_code):
        settings = settings_for(fiscal_year, rates)
        runs = dict(PremiumRun.objects.filter(fiscal_year=fiscal_year).values_list("kind", "state"))
    if kind == RunKind.PROVISIONAL:
        if not settings.provisional:
            raise RatesRejected(
                [{"field": "installments.provisional_months", "message": "仮算定の納期が指定されていません"}]
            )
        if RunKind.ANNUAL in runs:
            raise RunConflict(f"{fiscal_year}年度は本算定を始めているため仮算定はできません")
    elif runs.get(RunKind.PROVISIONAL, RunState.DONE) != RunState.DONE:
        raise RunConflict(f"{fiscal_year}年度の仮算定が終わっていません（先に仮算定を再実行してください）")
    run = open_run(lg_code, PremiumRun, fiscal_year=fiscal_year, kind=kind)
    if run.state == RunState.DONE:
        return RunStatus(run.fiscal_year, run.state, run.done, run.rejected)
    purpose = PURPOSE if kind == RunKind.ANNUAL else PURPOSE_PROVISIONAL

    def write(run, result) -> int:
        rows, events, rejected, page = result
        write_versions(rows, events, page, purpose=purpose, rejected=rejected)
        run.done += len(rows)
        run.rejected += len(rejected)
        return page.walked

    name = "本算定" if kind == RunKind.ANNUAL else "仮算定"
    run = run_pages(
        lg_code,
        run,
        position="last_setai_no",
        pages=_pages(lg_code, fiscal_year, run.last_setai_no, settings, actor, kind),
        calculate=_assess_page if kind == RunKind.ANNUAL else _provisional_page,
        write=write,
        conflict=f"{fiscal_year}年度の{name}は別の処理が進めています（やり直してください）",
        workers=workers,
        progress=progress,
    )
    return RunStatus(run.fiscal_year, run.state, run.done, run.rejected)


def run_annual(lg_code: str, fiscal_year: int, **options) -> RunStatus:
    """The 本算定 (``run_levy`` of kind 本算定)."""
    return run_levy(lg_code, fiscal_year, RunKind.ANNUAL, **options)


def run_status(fiscal_year: int, kind: str = RunKind.ANNUAL) -> RunStatus | None:
    run = PremiumRun.objects.filter(fiscal_year=fiscal_year, kind=kind).first()
    return RunStatus(run.fiscal_year, run.state, run.done, run.rejected) if run else None


def households_total(fiscal_year: int, kind: str = RunKind.ANNUAL) -> tuple[int, int]:
    """(how many 国保世帯 the run walks, how many it has walked): its progress bar."""
    run = PremiumRun.objects.filter(fiscal_year=fiscal_year, kind=kind).first()
    walked = KokuhoHousehold.objects.filter(setai_no__lte=run.last_setai_no).count() if run else 0
    return KokuhoHousehold.objects.count(), walked


def premium_checksum(fiscal_year: int) -> str:
    """SHA-256 over every premium assessment of the 年度 in 世帯番号 and version order: who, which
    version, every part, the total and the 納期 — equal for two runs that decided the same."""
    digest = hashlib.sha256()
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            "SELECT setai_no, version, reason, head_atena_no, medical, support, care, child_rearing, total,"
            " installments::text, calculation::text FROM health_insurance_premium WHERE fiscal_year = %s"
            " ORDER BY setai_no, version",
            [fiscal_year],
        )
        for row in cursor:
            digest.update(repr(row).encode())
    return digest.hexdigest()
