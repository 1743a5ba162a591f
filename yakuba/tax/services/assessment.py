"""当初課税: the 個人住民税 of everyone registered on the 賦課期日, as one resumable batch.

Taxpayers are the persons registered in the municipality on 1月1日 of the 年度 (地方税法 §318,
賦課期日), read page by page through the registry's door. Each page is one transaction: its
assessments, their events and the run's position are committed together, so a run that is
killed resumes after the last committed page and ends with exactly the rows an uninterrupted
run writes (``checksum`` compares them). A person's 課税資料 (給与支払報告書, 公的年金等支払報告書,
申告) are merged into one calculation input; a person without any gets the assessment of no
income (非課税, 未申告) so that every taxpayer of the year has a row other apps can read.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connections
from django.db.models import BigIntegerField, Exists, OuterRef
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.batch import open_run, run_pages, write_page
from yakuba.platform.linkage import outbox
from yakuba.platform.tenancy.context import require_tenant, tenant_context
from yakuba.registry import services as registry
from yakuba.tax.codes import Collection, Reason, ReportKind, RunState
from yakuba.tax.events import CORRECTED, DECIDED
from yakuba.tax.models import Assessment, AssessmentRun, IncomeReport
from yakuba.tax.rules import collection as collect
from yakuba.tax.services.calculation import ResidentTaxIn, calculate_resident_tax

PURPOSE = "個人住民税の賦課（当初課税）"
PURPOSE_CORRECTION = "個人住民税の更正・賦課の取消し"
RESOURCE = "tax.assessment"
ASSESSMENT_COLUMNS = [f.column for f in Assessment._meta.concrete_fields if not f.primary_key]
PAGE = 2000


@dataclass(frozen=True)
class RunStatus:
    fiscal_year: int
    state: str
    done: int
    taxed: int


def merged_input(birth_date: date, reports: list[dict], *, fiscal_year: int, lg_code: str) -> dict:
    """One calculation input (contract §9.2) from a person's reports: revenues and premiums add
    up across reports; the family and the personal items come from the 申告 if there is one,
    else from the report with the largest salary (the 主たる給与 whose employer knows them)."""
    body = {
        "fiscal_year": fiscal_year,
        "lg_code": lg_code,
        "taxpayer": {"birth_date": birth_date.isoformat()},
        "incomes": defaultdict(int),
        "deductions": defaultdict(int),
    }
    life: dict[str, int] = defaultdict(int)
    for facts in reports:
        for key, value in facts.get("incomes", {}).items():
            body["incomes"][key] += value
        for key, value in facts.get("deductions", {}).items():
            if key == "life_insurance":
                for part, amount in value.items():
                    life[part] += amount
            else:
                body["deductions"][key] += value
    if life:
        body["deductions"]["life_insurance"] = dict(life)
    family = _family_source(reports)
    if family is not None:
        body["taxpayer"].update(family.get("taxpayer", {}))
        for key in ("spouse", "dependents", "tax_credits"):
            if key in family:
                body[key] = family[key]
    body["incomes"], body["deductions"] = dict(body["incomes"]), dict(body["deductions"])
    return body


def _family_source(reports: list[dict]) -> dict | None:
    declarations = [r for r in reports if r.get("kind") == ReportKind.DECLARATION]
    if declarations:
        return declarations[-1]
    salaries = [r for r in reports if r.get("kind") == ReportKind.SALARY]
    if salaries:
        return max(salaries, key=lambda r: r.get("incomes", {}).get("salary", 0))
    return reports[0] if reports else None


def _parts(result: dict | None, reports: list[dict], *, birth: date, previous: int) -> list[collect.Part]:
    """The year's tax in parts (rules/collection.py) from what the reports say: the employer of
    the largest salary who withholds is the 特別徴収義務者 (地方税法 §321の3), the 公的年金等支払
    報告書 give the 老齢等年金給付 (§321の7の2); ``previous`` is last 年度's pension part."""
    if not result or result["total"] <= 0:
        return []
    payroll = [
        r for r in reports if r.get("kind") == ReportKind.SALARY and r.get("collection") == Collection.PAYROLL
    ]
    main = max(payroll, key=lambda r: r.get("incomes", {}).get("salary", 0)) if payroll else {}
    paid = sum(
        r.get("incomes", {}).get("public_pension", 0) for r in reports if r.get("kind") == ReportKind.PENSION
    )
    facts = collect.Taxpayer.of(
        result, birth, pension_paid=paid, payer_no=main.get("payer_no", ""), previous_pension=previous
    )
    return collect.split(facts)


def previous_pension_parts(atena_nos: list[str], fiscal_year: int) -> dict[str, int]:
    """{宛名番号: the pension part of the previous 年度's latest version} for those who had one —
    one query for the lot (the 仮徴収 of ``fiscal_year`` rest on it: 地方税法 §321の7の8)."""
    rows = (
        Assessment.objects.filter(fiscal_year=fiscal_year - 1, atena_no__in=atena_nos)
        .order_by("atena_no", "-version")
        .distinct("atena_no")
        .values_list("atena_no", "parts")
    )
    found = {}
    for atena_no, parts in rows:
        amount = sum(p["amount"] for p in parts if p["way"] == collect.PENSION)
        if amount:
            found[atena_no] = amount
    return found


def reports_of(atena_nos: list[str], fiscal_year: int) -> dict[str, list[dict]]:
    """{宛名番号: the person's 課税資料 of the 年度 as the calculation merges them}, in the order
    they were taken in (a later 申告 overrides an earlier one's family)."""
    found: dict[str, list[dict]] = defaultdict(list)
    rows = (
        IncomeReport.objects.filter(fiscal_year=fiscal_year, atena_no__in=atena_nos)
        .order_by("atena_no", "batch__created_at", "line_no")
        .values_list("atena_no", "kind", "collection", "payer_no", "birth_date", "facts")
    )
    for atena_no, kind, collection, payer_no, birth_date, facts in rows:
        found[atena_no].append(
            {**facts, "kind": kind, "collection": collection, "payer_no": payer_no, "birth_date": birth_date}
        )
    return found


def _figures(result: dict | None, parts: list[collect.Part]) -> dict:
    """The assessment's columns that come from a calculation (none: a 取消し), its parts and its
    納期.

    The stored calculation keeps its input and its figures but not its ``steps``: those are
    the engine's explanation, the same again from the same input and 年度 (parameters are
    versioned data), and at 2 KB a person they would double the table."""
    total = result["total"] if result else 0
    kept = {k: v for k, v in result.items() if k != "steps"} if result else None
    return {
        "collection": collect.main_way(parts),
        "payer_no": next((p.payer_no for p in parts if p.way == collect.PAYROLL), ""),
        "total_income": result["total_income"] if result else 0,
        "taxable_income": result["taxable_income"] if result else 0,
        "municipal": result["municipal"]["total"] if result else 0,
        "prefectural": result["prefectural"]["total"] if result else 0,
        "forest_environment_tax": result["forest_environment_tax"] if result else 0,
        "total": total,
        "non_taxable_per_capita": result["non_taxable"]["per_capita"] if result else True,
        "non_taxable_income_levy": result["non_taxable"]["income_levy"] if result else True,
        "installments": [list(i) for i in collect.schedule(parts)],
        "parts": [p.as_dict() for p in parts],
        "result": kept,
    }


@dataclass(frozen=True)
class _Page:
    """One page of the run as handed to a worker: the persons, their reports, who and when."""

    lg_code: str
    fiscal_year: int
    after: str
    last: str
    people: list
    reports: dict[str, list[dict]]
    previous: dict[str, int]  # last 年度's pension parts
    actor: str
    now: object


def _assess_page(page: _Page) -> tuple[list[tuple], list, int, _Page]:
    """(rows as COPY takes them, their events, how many pay tax, the page) — pure calculation,
    no database, so it runs in a forked worker while the main process reads and writes."""
    rows, events, taxed = [], [], 0
    nothing: dict | None = None  # the result of no income is the same for everyone: once a page
    for person in page.people:
        own = page.reports.get(person.atena_no, [])
        birth = _birth_date(person, own, page.fiscal_year)
        body = merged_input(birth, own, fiscal_year=page.fiscal_year, lg_code=page.lg_code)
        if own:
            result = calculate_resident_tax(ResidentTaxIn.model_validate(body))
        else:
            nothing = nothing or calculate_resident_tax(ResidentTaxIn.model_validate(body))
            result = nothing
        parts = _parts(result, own, birth=birth, previous=page.previous.get(person.atena_no, 0))
        figures = _figures(result, parts)
        taxed += figures["total"] > 0
        row = {
            **figures,
            "lg_code": page.lg_code,
            "fiscal_year": page.fiscal_year,
            "atena_no": person.atena_no,
            "version": 1,
            "reason": Reason.INITIAL,
            "note": "",
            "installments": json.dumps(figures["installments"]),
            "parts": json.dumps(figures["parts"]),
            "calculation": json.dumps({"input": body, "result": figures.pop("result")}, ensure_ascii=False),
            "created_at": page.now,
            "created_by": page.actor,
        }
        rows.append(tuple(row[c] for c in ASSESSMENT_COLUMNS))
        events.append((DECIDED, person.atena_no, _event_data(row, result)))
    return rows, events, taxed, page


def _birth_date(person, reports: list[dict], fiscal_year: int) -> date:
    """The registry's 生年月日; for one it holds as 不詳, the one a report gives; failing both, a
    day that makes the person 40 (no age rule applies between 23 and 64)."""
    if person.birth_date is not None:
        return person.birth_date
    given = next((r["birth_date"] for r in reports if r.get("birth_date")), None)
    return given or date(fiscal_year - 41, 6, 1)


def _event_data(row: dict, result: dict | None) -> dict:
    by_kind = result["income_by_kind"] if result else {"salary": 0, "public_pension": 0}
    return {
        "fiscal_year": row["fiscal_year"],
        "version": row["version"],
        "reason": row["reason"],
        "total_income": row["total_income"],
        "taxable_income": row["taxable_income"],
        "salary_income": by_kind["salary"],
        "pension_income": by_kind["public_pension"],
        "non_taxable_per_capita": row["non_taxable_per_capita"],
        "non_taxable_income_levy": row["non_taxable_income_levy"],
        "total": row["total"],
    }


def _pages(lg_code: str, fiscal_year: int, after: str, actor: str) -> Iterator[_Page]:
    """The pages still to assess, each read in a transaction of its own (the registry's persons
    of 1月1日 through its door, and their reports)."""
    day = date(fiscal_year, 1, 1)
    while True:
        with tenant_context(lg_code):
            people, last = registry.inhabitants_page(day, after=after, limit=PAGE, purpose=PURPOSE)
            if not last:
                return
            atena_nos = [p.atena_no for p in people]
            reports = reports_of(atena_nos, fiscal_year)
            previous = previous_pension_parts(atena_nos, fiscal_year)
        yield _Page(lg_code, fiscal_year, after, last, people, dict(reports), previous, actor, timezone.now())
        after = last


def run_initial(
    lg_code: str, fiscal_year: int, *, progress: Callable[[int], None] | None = None, workers: int = 0
) -> RunStatus:
    """Run (or resume) the 当初課税 of ``fiscal_year``; ``progress(n)`` after each page with the
    persons it covered. Call with an audit actor bound.

    The main process reads each page and writes it — assessments, events and the run's position
    in one transaction — in order; the calculation of pages runs on ``workers`` forked processes
    meanwhile (``yakuba.platform.forked``; 0 = here). Killed at any point, the run resumes after
    the last page it wrote."""
    actor = current_actor().name
    run = open_run(lg_code, AssessmentRun, fiscal_year=fiscal_year)
    if run.state == RunState.DONE:
        return RunStatus(run.fiscal_year, run.state, run.done, run.taxed)

    def write(run, result) -> int:
        rows, events, taxed, page = result
        write_page(
            Assessment,
            ASSESSMENT_COLUMNS,
            rows,
            events,
            page,
            resource=RESOURCE,
            purpose=PURPOSE,
            fiscal_year=fiscal_year,
        )
        run.done += len(rows)
        run.taxed += taxed
        return len(rows)

    run = run_pages(
        lg_code,
        run,
        position="last_atena_no",
        pages=_pages(lg_code, fiscal_year, run.last_atena_no, actor),
        calculate=_assess_page,
        write=write,
        conflict=f"{fiscal_year}年度の当初課税は別の処理が進めています（やり直してください）",
        workers=workers,
        progress=progress,
    )
    return RunStatus(run.fiscal_year, run.state, run.done, run.taxed)


def run_status(fiscal_year: int) -> RunStatus | None:
    run = AssessmentRun.objects.filter(fiscal_year=fiscal_year).first()
    return RunStatus(run.fiscal_year, run.state, run.done, run.taxed) if run else None


def taxpayers_on(fiscal_year: int) -> int:
    """How many persons the 当初課税 of ``fiscal_year`` covers (its progress bar's total)."""
    return registry.count_inhabitants_on(date(fiscal_year, 1, 1))


def checksum(fiscal_year: int) -> str:
    """SHA-256 over every assessment of the year in 宛名番号 and version order: who, which
    version, every amount, part and 納期 — equal for two runs that decided the same taxes."""
    digest = hashlib.sha256()
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            "SELECT atena_no, version, reason, collection, payer_no, total_income, taxable_income,"
            " municipal, prefectural, forest_environment_tax, total, non_taxable_per_capita,"
            " non_taxable_income_levy, installments::text, parts::text FROM tax_assessment WHERE fiscal_year = %s"
            " ORDER BY atena_no, version",
            [fiscal_year],
        )
        for row in cursor:
            digest.update(repr(row).encode())
    return digest.hexdigest()


class AssessmentMissing(LookupError):
    """No assessment of that person for that 年度 (the message is for the clerk)."""


def _latest(atena_no: str, fiscal_year: int) -> Assessment:
    row = (
        Assessment.objects.select_for_update()
        .filter(fiscal_year=fiscal_year, atena_no=atena_no)
        .order_by("-version")
        .first()
    )
    if row is None:
        raise AssessmentMissing(f"宛名番号 {atena_no} の{fiscal_year}年度の課税はありません")
    return row


def _new_version(previous: Assessment, *, reason: str, note: str, body: dict | None) -> Assessment:
    """The next version after ``previous``: recalculated from ``body``, or nothing (取消し). The
    parts are split again as the 当初課税 splits them, from the person's reports and last 年度's
    pension part as they stand now (what was already collected is the 収納 side's: docs/tax.md,
    "A 更正 during the year")."""
    result = calculate_resident_tax(ResidentTaxIn.model_validate(body)) if body is not None else None
    parts = []
    if result:
        atena_no, year = previous.atena_no, previous.fiscal_year
        parts = _parts(
            result,
            reports_of([atena_no], year).get(atena_no, []),
            birth=date.fromisoformat(str(body["taxpayer"]["birth_date"])),
            previous=previous_pension_parts([atena_no], year).get(atena_no, 0),
        )
    figures = _figures(result, parts)
    kept = figures.pop("result")
    row = Assessment.objects.create(
        **figures,
        lg_code=previous.lg_code,
        fiscal_year=previous.fiscal_year,
        atena_no=previous.atena_no,
        version=previous.version + 1,
        reason=reason,
        note=note,
        calculation={"input": body, "result": kept},
        created_at=timezone.now(),
        created_by=current_actor().name,
    )
    data = {
        "fiscal_year": row.fiscal_year,
        "version": row.version,
        "reason": row.reason,
        **{k: figures[k] for k in ("total_income", "taxable_income", "total")},
        **{k: figures[k] for k in ("non_taxable_per_capita", "non_taxable_income_levy")},
    }
    outbox.emit(CORRECTED, subject=row.atena_no, data=_event_data(data, result))
    record(
        Action.UPDATE,
        RESOURCE,
        subjects=[row.atena_no],
        purpose=PURPOSE_CORRECTION,
        detail={"fiscal_year": row.fiscal_year, "version": row.version, "reason": reason},
    )
    return row


def correct(atena_no: str, fiscal_year: int, body: dict, *, note: str) -> Assessment:
    """更正 (地方税法 §321 の3 ff.): a new version from a corrected calculation input (contract
    §9.2 JSON), with the reason; ``CalculationRejected`` for input the engine refuses. The
    previous versions stay as they were."""
    if not note.strip():
        raise ValueError("更正の理由を入力してください")
    return _new_version(_latest(atena_no, fiscal_year), reason=Reason.CORRECTION, note=note, body=body)


def cancel(atena_no: str, fiscal_year: int, *, note: str) -> Assessment:
    """賦課の取消し: a new version with no tax (e.g. the person was not a resident on 1月1日)."""
    if not note.strip():
        raise ValueError("取消しの理由を入力してください")
    return _new_version(_latest(atena_no, fiscal_year), reason=Reason.CANCELLATION, note=note, body=None)


def recalculate(atena_no: str, fiscal_year: int, *, note: str) -> Assessment:
    """更正 from the person's 課税資料 as they stand now (a 申告 entered or corrected, a report
    matched by hand): the input is merged again exactly as the 当初課税 merges it. The 生年月日 is
    the one the assessment was calculated with."""
    if not note.strip():
        raise ValueError("更正の理由を入力してください")
    previous = _latest(atena_no, fiscal_year)
    own = reports_of([atena_no], fiscal_year).get(atena_no, [])
    born = _calculated_birth_date(atena_no, fiscal_year)
    body = merged_input(born, own, fiscal_year=fiscal_year, lg_code=previous.lg_code)
    return _new_version(previous, reason=Reason.CORRECTION, note=note, body=body)


def _calculated_birth_date(atena_no: str, fiscal_year: int) -> date:
    inputs = (
        Assessment.objects.filter(
            fiscal_year=fiscal_year, atena_no=atena_no, calculation__input__taxpayer__birth_date__isnull=False
        )
        .order_by("-version")
        .values_list("calculation__input__taxpayer__birth_date", flat=True)
    )
    born = next(iter(inputs), None)
    return date.fromisoformat(born) if born else date(fiscal_year - 41, 6, 1)


@dataclass(frozen=True)
class Version:
    """One version of an assessment as the door hands it out (never the ORM row)."""

    version: int
    reason: str
    note: str
    collection: str
    payer_no: str
    total_income: int
    taxable_income: int
    municipal: int
    prefectural: int
    forest_environment_tax: int
    total: int
    non_taxable_per_capita: bool
    non_taxable_income_levy: bool
    installments: list[tuple[str, str, int]]  # (年月, way, 円) in time order
    parts: list[dict]  # rules/collection.py Part.as_dict
    created_at: object
    calculation_input: dict | None
    calculation_result: dict | None  # the figures as calculated (without ``steps``)


def versions(atena_no: str, fiscal_year: int) -> list[Version]:
    """Every version of the person's assessment for the 年度, oldest first (empty: none)."""
    return [
        Version(
            r.version,
            r.reason,
            r.note,
            r.collection,
            r.payer_no,
            r.total_income,
            r.taxable_income,
            r.municipal,
            r.prefectural,
            r.forest_environment_tax,
            r.total,
            r.non_taxable_per_capita,
            r.non_taxable_income_levy,
            [tuple(i) for i in r.installments],
            r.parts,
            r.created_at,
            r.calculation.get("input"),
            r.calculation.get("result"),
        )
        for r in Assessment.objects.filter(fiscal_year=fiscal_year, atena_no=atena_no).order_by("version")
    ]


@dataclass(frozen=True, slots=True)
class Figures:
    """A person's 所得 of the previous year as the latest assessment of the 年度 computed them —
    what the insurance apps' premiums rest on (国保: 総所得金額等, 給与収入 and 公的年金等収入 for
    the 給与所得者等 count, 年金所得 for the 15万円 of the 軽減判定, 給与所得 for 非自発的失業者)."""

    total_income: int  # 合計所得金額 (= 総所得金額等 here)
    salary_revenue: int  # 給与収入
    public_pension_revenue: int  # 公的年金等の収入
    salary_income: int  # 給与所得
    pension_income: int  # 公的年金等に係る雑所得
    declared: bool  # some 課税資料 of the 年度 (給与・年金支払報告書, 申告) named the person
    # 均等割 非課税 (地方税法 §295: the 課税/非課税 the 後期 広域連合 is told with the 所得)
    non_taxable: bool = False


# The figures other apps read, where the assessment's stored calculation holds them.
_FIGURES = {
    "salary_revenue": "input__incomes__salary",
    "pension_revenue": "input__incomes__public_pension",
    "salary_income": "result__income_by_kind__salary",
    "pension_income": "result__income_by_kind__public_pension",
}


def figures_of(atena_nos: list[str], fiscal_year: int) -> dict[str, Figures]:
    """{宛名番号: Figures} from the latest version of each person's assessment of ``fiscal_year``
    (the 所得 of the previous year), one query for the lot; a person without an assessment (not
    registered on the 賦課期日) is left out, and so is one whose latest version is a 取消し: the
    town that taxes them knows their 所得, this one does not (a 0 would read as no income)."""
    has_reports = IncomeReport.objects.filter(fiscal_year=fiscal_year, atena_no=OuterRef("atena_no"))
    rows = (
        Assessment.objects.filter(fiscal_year=fiscal_year, atena_no__any=atena_nos)
        .order_by("atena_no", "-version")
        .distinct("atena_no")
        .annotate(
            declared=Exists(has_reports),
            # As integers in SQL: a JSON path value comes back as JSON text, decoded one by one.
            **{name: Cast(KT(f"calculation__{path}"), BigIntegerField()) for name, path in _FIGURES.items()},
        )
        .values_list("atena_no", "total_income", *_FIGURES, "declared", "non_taxable_per_capita", "reason")
    )
    return {
        atena_no: Figures(
            total, salary or 0, pension or 0, salary_income or 0, pension_income or 0, declared, non_taxable
        )
        for atena_no, total, salary, pension, salary_income, pension_income, declared, non_taxable, reason in rows
        if reason != Reason.CANCELLATION
    }


@dataclass(frozen=True, slots=True)
class Levy:
    """A person's 市町村民税 所得割 as the 保育料 reads it: before the 税額控除 (住宅ローン控除, 寄附金
    …) but after the 調整控除 (insurance-welfare-facts §9.2), and the 均等割 非課税 (地方税法 §295)."""

    income_levy: int
    non_taxable: bool
    version: int


# What ``levies_of`` subtracts in SQL: the 算出所得割額 less the 調整控除 of the 市町村民税.
_LEVY = Cast(KT("calculation__result__municipal__income_levy_before_credits"), BigIntegerField())
_ADJUSTMENT = Cast(KT("calculation__result__municipal__adjustment_credit"), BigIntegerField())


def levies_of(atena_nos: list[str], fiscal_year: int) -> dict[str, Levy]:
    """{宛名番号: Levy} from the latest version of each person's assessment of ``fiscal_year``,
    one query for the lot (the shape of ``figures_of``); a person without an assessment, or whose
    latest version is a 取消し, is left out (their 所得割 is another town's: a 0 would put them in
    the lowest 保育料 階層)."""
    rows = (
        Assessment.objects.filter(fiscal_year=fiscal_year, atena_no__any=atena_nos)
        .order_by("atena_no", "-version")
        .distinct("atena_no")
        .annotate(levy=Coalesce(_LEVY, 0) - Coalesce(_ADJUSTMENT, 0))
        .values_list("atena_no", "levy", "non_taxable_per_capita", "version", "reason")
    )
    return {
        atena_no: Levy(levy, non_taxable, version)
        for atena_no, levy, non_taxable, version, reason in rows
        if reason != Reason.CANCELLATION
    }
