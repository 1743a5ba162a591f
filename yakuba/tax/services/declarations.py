"""住民税申告 taken at the counter, and 課税資料 joined to a person by hand.

A 住民税申告書 (地方税法 §317の2) entered on screen is stored as an imported row is: one
``IncomeReport`` of kind 申告 with the person's facts in the shape of the calculation JSON
(contract §9.2), in a batch of its own named 「画面入力」, matched ``manual`` — so the 当初課税 and
every 更正 read it exactly as they read a file (``assessment.merged_input``). A person has one
申告 that counts a year: a correction replaces the facts of the 申告 the assessment takes the
family from (the last one), never adds a second (``merged_input`` adds incomes across reports,
so a second row would count them twice); the facts it replaces go into the audit row, so the
history is kept.

A report the import could not match (docs/tax-income-files.md, "Matching to residents") is
joined by a clerk to a person registered on 1月1日 of the 年度 (賦課期日, §318), or set aside as
not this municipality's resident. Either is one transaction with its audit row naming who and
why; a person already assessed for the year gets a 更正 from their reports as they now stand.

The registry is read only through its door; persons under 支援措置 are hidden by it (the
registry audits the refused read).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F
from pydantic import ValidationError

from yakuba.platform import schema_errors
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.tax.codes import Collection, Match, ReportKind
from yakuba.tax.models import ImportBatch, IncomeReport
from yakuba.tax.services import assessment
from yakuba.tax.services.calculation import CalculationRejected, ResidentTaxIn, calculate_resident_tax
from yakuba.tax.services.income_import import RESOURCE

SCREEN_FILE = "画面入力"
PURPOSE_DECLARATION = "個人住民税の申告の受付"
PURPOSE_MATCH = "個人住民税の課税資料の突合（職員による確認）"
MATCH_NOTE = "課税資料の突合"
REMOVED = 3  # 住民状態 消除 (resident JSON, contract §6)
PAGE = 50

# The schema's refusals in a clerk's words for an amount typed on the 申告 (the rest are the
# platform's messages, yakuba.platform.schema_errors).
_MESSAGES = {
    "greater_than_equal": "0円以上で入力してください",
    "less_than_equal": "金額が大きすぎます",
    "int_parsing": "円単位の整数で入力してください",
    "int_type": "円単位の整数で入力してください",
    "date_parsing": "日付として読めません",
    "missing": "入力してください",
}


class DeclarationRejected(ValueError):
    """What the clerk typed cannot be taken: ``errors`` as ``[{"field", "message"}]``, every one
    found, each naming its place in the calculation JSON (``dependents[1].birth_date``)."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


class NotTaxpayer(LookupError):
    """The person was not registered on 1月1日 of the 年度: another municipality taxes them."""


class Stale(RuntimeError):
    """The 申告 or the assessment changed since the clerk's 確認 screen."""


class ReportGone(LookupError):
    """The report is no longer on the review list (another clerk resolved it)."""


@dataclass(frozen=True)
class Taxpayer:
    """A person as registered at the end of 1月1日 of the 年度 — whom this municipality taxes."""

    atena_no: str
    name: str
    name_kana: str
    birth_date: date | None
    address: str


def taxpayer_on(atena_no: str, fiscal_year: int, *, visibility: registry.Visibility) -> Taxpayer:
    """The person on the 賦課期日 (地方税法 §318: 1月1日 of the 年度). ``registry.NotFound`` for an
    unknown person or one hidden by 支援措置; ``NotTaxpayer`` when not registered that day."""
    registry.get_resident(atena_no, visibility=visibility)  # unknown or hidden: NotFound
    day = date(fiscal_year, 1, 1)
    try:
        then = registry.get_resident(atena_no, as_of=day, visibility=visibility)
    except registry.NotFound:
        then = None
    if then is None or then.status == REMOVED:
        raise NotTaxpayer(
            f"宛名番号 {atena_no} の人は{fiscal_year}年1月1日に住民登録がありません"
            f"（{fiscal_year}年度の個人住民税はその日の住所地の市区町村が課税します）"
        )
    address = f"{then.address} {then.address_extra}".strip()
    return Taxpayer(then.atena_no, then.name, then.name_kana, then.birth_date, address)


# --- the 申告 ----------------------------------------------------------------------------------


def _declaration(atena_no: str, fiscal_year: int, *, lock: bool = False) -> IncomeReport | None:
    """The 申告 that counts: the last one taken in (``merged_input`` takes the family from it)."""
    rows = IncomeReport.objects.filter(
        fiscal_year=fiscal_year, atena_no=atena_no, kind=ReportKind.DECLARATION
    )
    if lock:
        rows = rows.select_for_update()
    return rows.order_by("batch__created_at", "line_no").last()


def declared_facts(atena_no: str, fiscal_year: int) -> dict | None:
    """The facts of the person's 申告 of the 年度 (None: none yet)."""
    row = _declaration(atena_no, fiscal_year)
    return row.facts if row else None


def _state(row: IncomeReport | None, versions: list[assessment.Version]) -> str:
    """What the 確認 screen was computed from: the 申告 it replaces and the assessment's version.
    Saving checks it again, so a clerk never overwrites what another clerk saved meanwhile."""
    seen = {
        "report": row.pk if row else None,
        "facts": row.facts if row else None,
        "version": versions[-1].version if versions else 0,
    }
    return hashlib.sha256(json.dumps(seen, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def _birth_date(person: Taxpayer, versions: list[assessment.Version], fiscal_year: int) -> date:
    """The 生年月日 the calculation uses: the one the assessment was calculated with (as
    ``assessment.recalculate`` does), else the registry's, else a day that makes the person 40
    (the 当初課税's choice for a 生年月日 the registry holds as 不詳)."""
    for version in reversed(versions):
        born = ((version.calculation_input or {}).get("taxpayer") or {}).get("birth_date")
        if born:
            return date.fromisoformat(born)
    return person.birth_date or date(fiscal_year - 41, 6, 1)


def _errors(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": schema_errors.path(e["loc"]), "message": schema_errors.message(e, _MESSAGES)}
        for e in exc.errors()
    ]


def _without(body: dict, paths: list[tuple]) -> dict:
    """``body`` less the values at ``paths`` (pydantic locations), to check the rest again."""
    body = json.loads(json.dumps(body))
    for loc in paths:
        node = body
        for key in loc[:-1]:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                break
        else:
            if isinstance(node, dict):
                node.pop(loc[-1], None)
    return body


def checked_facts(facts: dict, *, fiscal_year: int, birth_date: date) -> dict:
    """The 申告's facts as stored (contract §9.2 without the taxpayer's 生年月日, defaults left
    out), checked by the API's own model (``ResidentTaxIn``) and the engine's rules, so the
    screen takes exactly what the API takes. ``DeclarationRejected`` with every error: the
    engine's rules (a dependant born after the income year) are checked even when the schema
    refused other inputs, on the inputs it took."""
    lg_code = require_tenant().lg_code
    taxpayer = {**facts.get("taxpayer", {}), "birth_date": birth_date.isoformat()}
    body = {**facts, "fiscal_year": fiscal_year, "lg_code": lg_code, "taxpayer": taxpayer}
    errors: list[dict[str, str]] = []
    try:
        model = ResidentTaxIn.model_validate(body)
    except ValidationError as exc:
        errors = _errors(exc)
        try:
            model = ResidentTaxIn.model_validate(_without(body, [e["loc"] for e in exc.errors()]))
        except ValidationError:
            raise DeclarationRejected(errors) from None
    try:
        calculate_resident_tax(model)
    except CalculationRejected as exc:
        errors += [e for e in exc.errors if e not in errors]
    if errors:
        raise DeclarationRejected(errors)
    kept = model.model_dump(mode="json", exclude_defaults=True, exclude={"fiscal_year", "lg_code"})
    own = {k: v for k, v in kept.pop("taxpayer").items() if k != "birth_date"}
    return kept | ({"taxpayer": own} if own else {})


@dataclass(frozen=True)
class Preview:
    """The 確認 screen: the facts as they will be stored and the tax of the person's 課税資料
    with this 申告 in place of the one it corrects."""

    facts: dict
    result: dict  # the calculation's JSON, steps included
    current: assessment.Version | None  # the assessment's latest version (None: not assessed yet)
    replaces: bool  # an earlier 申告 is corrected
    state: str


def preview(person: Taxpayer, fiscal_year: int, facts: dict) -> Preview:
    """Check the 申告 and calculate the tax it leads to, merged with the person's other reports
    exactly as the 当初課税 and ``assessment.recalculate`` merge them; nothing is written."""
    found = assessment.versions(person.atena_no, fiscal_year)
    born = _birth_date(person, found, fiscal_year)
    facts = checked_facts(facts, fiscal_year=fiscal_year, birth_date=born)
    existing = _declaration(person.atena_no, fiscal_year)
    reports = assessment.reports_of([person.atena_no], fiscal_year).get(person.atena_no, [])
    if existing is not None:  # the last 申告 in the merge order is the one replaced
        last = max(i for i, r in enumerate(reports) if r["kind"] == ReportKind.DECLARATION)
        reports = reports[:last] + reports[last + 1 :]
    reports.append({**facts, "kind": ReportKind.DECLARATION})
    body = assessment.merged_input(born, reports, fiscal_year=fiscal_year, lg_code=require_tenant().lg_code)
    try:
        result = calculate_resident_tax(ResidentTaxIn.model_validate(body))
    except (ValidationError, CalculationRejected):
        # Each report is valid; only their sum can break a limit (100 billion yen).
        raise DeclarationRejected(
            [{"field": "", "message": "他の課税資料と合わせた金額が計算できる範囲を超えています"}]
        ) from None
    return Preview(facts, result, found[-1] if found else None, existing is not None, _state(existing, found))


@dataclass(frozen=True)
class Saved:
    report_id: int
    replaced: bool
    version: assessment.Version | None  # the 更正 made (None: the person is not assessed yet)


def save_declaration(person: Taxpayer, fiscal_year: int, facts: dict, *, state: str, note: str) -> Saved:
    """Store the 申告 — replacing the facts of the person's 申告 of the year, or as a new report —
    and, when the person is already assessed for the year, add the 更正 it leads to with the
    clerk's reason (``note``, required then). One transaction with its audit rows; ``Stale``
    when the 申告 or the assessment changed since ``state`` was shown."""
    with transaction.atomic(using=require_tenant().alias):
        existing = _declaration(person.atena_no, fiscal_year, lock=True)
        found = assessment.versions(person.atena_no, fiscal_year)
        if _state(existing, found) != state:
            raise Stale(
                "他の職員が先にこの人の申告か課税を更新しました。入力画面を開き直して確かめてください"
            )
        facts = checked_facts(
            facts, fiscal_year=fiscal_year, birth_date=_birth_date(person, found, fiscal_year)
        )
        if found and not note.strip():
            raise DeclarationRejected([{"field": "note", "message": "更正の理由を入力してください"}])
        detail: dict = {"fiscal_year": fiscal_year}
        if existing is not None:
            detail |= {"report": existing.pk, "before": existing.facts}
            existing.facts = facts
            existing.save(update_fields=["facts"])
            report = existing
        else:
            report = _new_report(person, fiscal_year, facts)
            detail |= {"report": report.pk, "batch": str(report.batch_id)}
        record(
            Action.UPDATE if existing is not None else Action.CREATE,
            RESOURCE,
            subjects=[person.atena_no],
            purpose=PURPOSE_DECLARATION,
            detail=detail,
        )
        version = None
        if found:
            assessment.recalculate(person.atena_no, fiscal_year, note=note.strip())
            version = assessment.versions(person.atena_no, fiscal_year)[-1]
    return Saved(report.pk, existing is not None, version)


def _new_report(person: Taxpayer, fiscal_year: int, facts: dict) -> IncomeReport:
    """A 申告 of its own batch, as a one-line file 「画面入力」 taken by this clerk."""
    lg_code = require_tenant().lg_code
    batch = ImportBatch.objects.create(
        lg_code=lg_code,
        fiscal_year=fiscal_year,
        kind=ReportKind.DECLARATION,
        file_name=SCREEN_FILE,
        rows=1,
        matched=1,
        created_by=current_actor().name,
    )
    return IncomeReport.objects.create(
        lg_code=lg_code,
        batch=batch,
        fiscal_year=fiscal_year,
        kind=ReportKind.DECLARATION,
        line_no=1,
        name=person.name,
        name_kana=person.name_kana,
        birth_date=person.birth_date,
        address=person.address[:200],
        atena_no=person.atena_no,
        match=Match.MANUAL,
        collection=Collection.DIRECT,
        facts=facts,
    )


# --- the review list of unmatched reports -------------------------------------------------------


@dataclass(frozen=True)
class Unmatched:
    """A report on the review list: the person as the payer wrote them, and where it came from."""

    id: int
    fiscal_year: int
    kind: str
    file_name: str
    line_no: int
    name: str
    name_kana: str
    birth_date: date | None
    address: str
    payer_name: str

    @property
    def kind_label(self) -> str:
        return ReportKind(self.kind).label


_UNMATCHED_COLUMNS = (
    "id",
    "fiscal_year",
    "kind",
    "batch__file_name",
    "line_no",
    "name",
    "name_kana",
    "birth_date",
    "address",
    "payer_name",
)


def unmatched_page(
    fiscal_year: int, *, after: int = 0, limit: int = PAGE
) -> tuple[list[Unmatched], int | None]:
    """The next ``limit`` unmatched reports of the 年度 after report ``after``, in the order they
    were taken in (keyset: as fast on the last page as on the first), and the id to continue
    after (None: no more). One query."""
    rows = list(
        IncomeReport.objects.filter(fiscal_year=fiscal_year, match=Match.UNMATCHED, id__gt=after)
        .order_by("id")
        .values_list(*_UNMATCHED_COLUMNS)[: limit + 1]
    )
    more = len(rows) > limit
    page = [Unmatched(*row) for row in rows[:limit]]
    return page, (page[-1].id if more else None)


def unmatched_count(fiscal_year: int) -> int:
    return IncomeReport.objects.filter(fiscal_year=fiscal_year, match=Match.UNMATCHED).count()


def unmatched_report(report_id: int) -> Unmatched:
    """One report of the review list; ``ReportGone`` when it is not (or no longer) on it."""
    row = (
        IncomeReport.objects.filter(id=report_id, match=Match.UNMATCHED)
        .values_list(*_UNMATCHED_COLUMNS)
        .first()
    )
    if row is None:
        raise ReportGone("この課税資料は未突合の一覧にありません（他の職員が処理した可能性があります）")
    return Unmatched(*row)


def candidates(
    query: registry.SearchQuery, *, visibility: registry.Visibility
) -> list[registry.ResidentRecord]:
    """Persons a report may be about, by the registry's search (住民 and 除票: someone who moved
    out after 1月1日 is still taxed here); one audit row naming every person shown.
    ``registry.RuleViolation`` for criteria it cannot read (a 生年月日 that does not exist)."""
    found = registry.search(query, visibility=visibility)
    criteria = {k: v for k, v in vars(query).items() if k in ("name", "name_kana", "birth_date") and v}
    record(
        Action.SEARCH,
        "resident",
        subjects=[r.atena_no for r in found],
        purpose=PURPOSE_MATCH,
        detail={"criteria": criteria},
    )
    return found


def _take(report_id: int) -> IncomeReport:
    report = IncomeReport.objects.select_for_update().filter(id=report_id, match=Match.UNMATCHED).first()
    if report is None:
        raise ReportGone("この課税資料は未突合の一覧にありません（他の職員が処理した可能性があります）")
    return report


def _reason(note: str) -> str:
    if not note.strip():
        raise DeclarationRejected([{"field": "note", "message": "理由を入力してください"}])
    return note.strip()


def match_report(
    report_id: int, atena_no: str, *, note: str, visibility: registry.Visibility
) -> assessment.Version | None:
    """Join an unmatched report to the person the clerk chose — who must have been registered on
    1月1日 of its 年度 (``NotTaxpayer``) — with the clerk's reason. When the person is already
    assessed for the year, the 更正 from their reports as they now stand (「課税資料の突合」) is
    returned; before the 当初課税 nothing more is done (the run will read the report)."""
    note = _reason(note)
    with transaction.atomic(using=require_tenant().alias):
        report = _take(report_id)
        taxpayer_on(atena_no, report.fiscal_year, visibility=visibility)
        report.atena_no, report.match = atena_no, Match.MANUAL
        report.save(update_fields=["atena_no", "match"])
        ImportBatch.objects.filter(id=report.batch_id).update(matched=F("matched") + 1)
        record(
            Action.UPDATE,
            RESOURCE,
            subjects=[atena_no],
            purpose=PURPOSE_MATCH,
            detail=_resolved(report, note),
        )
        if not assessment.versions(atena_no, report.fiscal_year):
            return None
        assessment.recalculate(atena_no, report.fiscal_year, note=MATCH_NOTE)
        return assessment.versions(atena_no, report.fiscal_year)[-1]


def set_outside(report_id: int, *, note: str) -> None:
    """Take a report off the review list as not about this municipality's resident (e.g. the
    employer sent it to the wrong 市区町村; 地方税法 §317の6 ①: the 1月1日 address decides)."""
    note = _reason(note)
    with transaction.atomic(using=require_tenant().alias):
        report = _take(report_id)
        report.match = Match.OUTSIDE
        report.save(update_fields=["match"])
        record(Action.UPDATE, RESOURCE, purpose=PURPOSE_MATCH, detail=_resolved(report, note))


def _resolved(report: IncomeReport, note: str) -> dict:
    return {
        "report": report.pk,
        "batch": str(report.batch_id),
        "line": report.line_no,
        "fiscal_year": report.fiscal_year,
        "match": report.match,
        "note": note,
    }
