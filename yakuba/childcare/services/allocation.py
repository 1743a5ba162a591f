"""利用調整 of a 入所月: every application ranked and placed (rules.allocation), stored as a run
with each result's steps; the result list as the clerk reads it."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from django.db import transaction
from pydantic import BaseModel, Field

from yakuba.childcare.events import ALLOCATED
from yakuba.childcare.models import (
    AllocationResult,
    AllocationRun,
    Application,
    Capacity,
    Facility,
    Outcome,
)
from yakuba.childcare.rules import allocation, parameters
from yakuba.childcare.rules.ages import fiscal_year_of
from yakuba.childcare.services.common import (
    MONTH_TEXT,
    PURPOSE,
    month_of,
)
from yakuba.platform.audit.log import Action, record
from yakuba.platform.calculations import CalculationRejected
from yakuba.platform.linkage.outbox import emit_many
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry


class ResultLine(BaseModel):
    rank: int = Field(title="順位")
    application_no: str
    child_atena_no: str
    name: str = Field(title="子どもの氏名（支援措置の対象で見せられないときは空）")
    class_age: int
    total: int = Field(title="指数")
    base_total: int = Field(title="基準指数")
    outcome: str = Field(title="結果（offered 内定, pending 保留）")
    facility: str = Field(title="内定施設（保留は空）")
    choice: int | None = Field(title="第何希望")
    steps: list[str] = Field(title="指数と順位の過程")


class RunOut(BaseModel):
    run: int = Field(title="利用調整の番号")
    month: str
    basis: str = Field(title="利用調整の基準（出典）")
    run_at: datetime
    offered: int
    pending: int
    results: list[ResultLine]


def places_left(month: date) -> dict[tuple[str, int], int]:
    """The 受入可能数 of the 年度 less the places given by the latest run of each earlier 入所月
    of the 年度 (three queries)."""
    fiscal_year = fiscal_year_of(month.year, month.month)
    codes = dict(Facility.objects.values_list("id", "code"))
    places = {
        (codes[f], age): n
        for f, age, n in Capacity.objects.filter(fiscal_year=fiscal_year).values_list(
            "facility_id", "class_age", "places"
        )
    }
    first = date(fiscal_year, 4, 1)
    latest = (
        AllocationRun.objects.filter(month__gte=first, month__lt=month)
        .order_by("month", "-id")
        .distinct("month")
        .values_list("id", flat=True)
    )
    given = AllocationResult.objects.filter(run_id__in=list(latest), outcome=Outcome.OFFERED).values_list(
        "facility_code", "application__class_age"
    )
    for code, age in given:
        if (code, age) in places:
            places[(code, age)] -= 1
    return places


def run_allocation(month_text: str, *, protected: bool = False) -> RunOut:
    """The 利用調整 of a 入所月: every application of the month scored by the municipality's 基準
    of the 年度, ranked and placed (rules.allocation), stored as a new run with one event per
    application and one audit row naming every child — all in one transaction."""
    if not MONTH_TEXT.match(month_text):
        raise CalculationRejected([{"field": "month", "message": "入所月は YYYY-MM で入力してください"}])
    month = month_of(month_text)
    fiscal_year = fiscal_year_of(month.year, month.month)
    try:
        table = parameters.ranking_table(require_tenant().lg_code, fiscal_year)
    except (parameters.MissingTable, parameters.UnknownYear) as exc:
        raise CalculationRejected([{"field": "month", "message": str(exc)}]) from None
    # A later 申込 for the same 認定 and month replaces the earlier one (its choices changed).
    latest = (
        Application.objects.filter(month=month)
        .order_by("certificate_no", "-application_no")
        .distinct("certificate_no")
    )
    rows = sorted(latest, key=lambda r: r.application_no)
    if not rows:
        raise CalculationRejected(
            [{"field": "month", "message": f"{month.year}年{month.month}月入所の申込はありません"}]
        )
    applicants = [
        allocation.Applicant(
            r.application_no,
            tuple(allocation.Parent(**p) for p in r.parents),
            tuple(r.adjustments),
            r.income_levy,
            r.children,
            r.class_age,
            tuple(r.choices),
        )
        for r in rows
    ]
    try:
        placed = allocation.allocate(applicants, places_left(month), table)
    except allocation.ScoreRefused as exc:
        raise CalculationRejected([{"field": f, "message": m} for f, m in exc.errors]) from None
    by_no = {r.application_no: r for r in rows}
    lg_code = require_tenant().lg_code
    with transaction.atomic(using=require_tenant().alias):
        offered = sum(1 for p in placed if p.offered)
        run = AllocationRun.objects.create(
            lg_code=lg_code, month=month, basis=table.source, offered=offered, pending=len(placed) - offered
        )
        AllocationResult.objects.bulk_create(
            AllocationResult(
                lg_code=lg_code,
                run=run,
                application=by_no[p.number],
                rank=p.rank,
                total=p.score.total,
                base_total=p.score.base_total,
                outcome=Outcome.OFFERED if p.offered else Outcome.PENDING,
                facility_code=p.facility or "",
                choice=p.choice,
                steps=[*p.score.steps, *p.steps],
            )
            for p in placed
        )
        emit_many(
            [
                (
                    ALLOCATED,
                    by_no[p.number].child_atena_no,
                    {
                        "atena_no": by_no[p.number].child_atena_no,
                        "application_no": p.number,
                        "month": month_text,
                        "outcome": "offered" if p.offered else "pending",
                        "facility": p.facility or "",
                        "rank": p.rank,
                        "run": run.id,
                    },
                )
                for p in placed
            ]
        )
        record(
            Action.CREATE,
            "childcare.allocation",
            subjects=[r.child_atena_no for r in rows],
            purpose=PURPOSE,
            detail={"run": run.id, "month": month_text},
        )
    return allocation_run(run.id, protected=protected, audit=False)


def allocation_run(run_id: int, *, protected: bool = False, audit: bool = True) -> RunOut:
    """A run with every result in 順位 order, with each score's steps (three queries and the
    registry's names): a child under 支援措置 is listed without a name for a caller who may not
    see them. Raises ``LookupError`` for an unknown run."""
    run = AllocationRun.objects.filter(id=run_id).first() if 0 < run_id < 2**63 else None
    if run is None:
        raise LookupError(run_id)
    results = list(run.results.select_related("application").order_by("rank"))
    children = [r.application.child_atena_no for r in results]
    names = registry.names_of(children, visibility=registry.Visibility(protected=protected))
    if audit:
        record(
            Action.READ, "childcare.allocation", subjects=children, purpose=PURPOSE, detail={"run": run.id}
        )
    return RunOut(
        run=run.id,
        month=run.month.strftime("%Y-%m"),
        basis=run.basis,
        run_at=run.run_at,
        offered=run.offered,
        pending=run.pending,
        results=[
            ResultLine(
                rank=r.rank,
                application_no=r.application.application_no,
                child_atena_no=r.application.child_atena_no,
                name=names.get(r.application.child_atena_no, ""),
                class_age=r.application.class_age,
                total=r.total,
                base_total=r.base_total,
                outcome=r.outcome,
                facility=r.facility_code,
                choice=r.choice,
                steps=r.steps,
            )
            for r in results
        ],
    )


CSV_COLUMNS = [
    "順位",
    "申込番号",
    "宛名番号",
    "氏名",
    "クラス年齢",
    "指数",
    "基準指数",
    "結果",
    "内定施設",
    "第何希望",
    "過程",
]


def allocation_csv(run_id: int, *, protected: bool = False) -> bytes:
    """The result list as UTF-8 CSV with a BOM and CRLF (a clerk opens it in Excel), each row's
    steps in one cell; audited as an export naming every child (``LookupError``: no such run)."""
    out = allocation_run(run_id, protected=protected, audit=False)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in out.results:
        result = "内定" if r.outcome == "offered" else "保留"
        writer.writerow(
            [r.rank, r.application_no, r.child_atena_no, r.name, r.class_age, r.total, r.base_total, result]
            + [r.facility, r.choice or "", " / ".join(r.steps)]
        )
    children = [r.child_atena_no for r in out.results]
    record(Action.EXPORT, "childcare.allocation", subjects=children, purpose=PURPOSE, detail={"run": out.run})
    return ("\ufeff" + text.getvalue()).encode()


def latest_runs(limit: int = 24) -> list[tuple[int, str, int, int]]:
    """(run, 入所月 YYYY-MM, 内定, 保留) of the latest runs, newest first (one query)."""
    return [
        (r.id, r.month.strftime("%Y-%m"), r.offered, r.pending)
        for r in AllocationRun.objects.order_by("-id")[:limit]
    ]
