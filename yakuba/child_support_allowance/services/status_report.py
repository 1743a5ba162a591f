"""現況届: opened each August for every 受給者, recorded when filed, and the list of those not yet
filed.

Every 受給資格者 — 全部停止 included — files a 現況届 in August (the state on 8月1日); it decides
the 支給年度 from November with the new year's 所得 (児童扶養手当法施行規則 §4). Without it the
手当 is not paid from November (差止め) until it is filed, and after two years without it the
right lapses (§22 時効): 愛西市 「現況届の提出がない場合、11月分以降の手当を受給することができ
ません」 https://www.city.aisai.lg.jp/0000017549.html ; 明石市 「提出されない場合、11月分から手当が
支給されません」 https://www.city.akashi.lg.jp/kodomo/jidou_fu_ka/kodomo-kyoiku/kosodate/hitorioya/jidoufuyouteatezilyukilyuutilyuu.html .
Here the 差止め needs no flag: a month is paid only under a determination of its 支給年度, and a
支給年度 is determined when its 現況届 is recorded; the months withheld are paid by the first
odd-month run after it (services/payments.py).

``open_reports`` is a resumable batch (``platform.batch``, like the 国保 本算定): pages of active
認定 in id order, each page's 現況届 rows by COPY with one audit row and the run's position in
one transaction — killed anywhere, it resumes after the last committed page and opens each
現況届 once. ``record`` files one (one transaction: the 現況届, the new determination, its
event, the audit rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from yakuba.child_support_allowance.codes import DeterminationReason, RunState, Status
from yakuba.child_support_allowance.models import Determination, Entitlement, StatusReport, StatusReportRun
from yakuba.child_support_allowance.rules import months as rules
from yakuba.child_support_allowance.services.entitlement import (
    PURPOSE,
    VISIBILITY,
    Decision,
    FactsIn,
    Rejected,
    active_of,
    check_facts,
    decide,
    determine,
)
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.batch import open_run, run_pages, write_page
from yakuba.platform.tenancy.context import require_tenant, tenant_context
from yakuba.registry import services as registry

RESOURCE = "child_support_allowance.status_report"
PURPOSE_OPEN = "児童扶養手当の現況届（受付の準備）"
PAGE = 1000
COLUMNS = ["lg_code", "entitlement_id", "benefit_year", "opened_at", "received_on", "received_by"]


@dataclass(frozen=True)
class RunStatus:
    benefit_year: int
    state: str
    done: int


@dataclass(frozen=True)
class _Page:
    after: int
    last: int
    rows: list[tuple]


def _pages(lg_code: str, benefit_year: int, after: int) -> Iterator[_Page]:
    """Active 認定 paying from before the 支給年度 (one whose 認定 starts in it was decided with its
    所得 already), without a 現況届 of that year yet — each page read in its own transaction."""
    november, _october = rules.benefit_year_span(benefit_year)
    while True:
        with tenant_context(lg_code):
            ids = list(
                Entitlement.objects.filter(id__gt=after, status=Status.ACTIVE, first_month__lt=november)
                .exclude(status_reports__benefit_year=benefit_year)
                .order_by("id")
                .values_list("id", flat=True)[:PAGE]
            )
        if not ids:
            return
        now = timezone.now()
        rows = [(lg_code, i, benefit_year, now, None, "") for i in ids]
        yield _Page(after, ids[-1], rows)
        after = ids[-1]


def open_reports(
    lg_code: str, benefit_year: int, *, progress: Callable[[int], None] | None = None
) -> RunStatus:
    """Open (or resume opening) the 現況届 of ``benefit_year`` for every active 認定; a finished
    run does nothing. Call with an audit actor bound."""
    run = open_run(lg_code, StatusReportRun, benefit_year=benefit_year)
    if run.state == RunState.DONE:
        return RunStatus(run.benefit_year, run.state, run.done)

    def write(run, result) -> int:
        (page,) = result
        write_page(
            StatusReport,
            COLUMNS,
            page.rows,
            [],
            page,
            resource=RESOURCE,
            purpose=PURPOSE_OPEN,
            benefit_year=benefit_year,
        )
        run.done += len(page.rows)
        return len(page.rows)

    run = run_pages(
        lg_code,
        run,
        position="last_id",
        pages=_pages(lg_code, benefit_year, run.last_id),
        calculate=lambda page: (page,),
        write=write,
        conflict=f"{benefit_year}年度の現況届は別の処理が開いています（やり直してください）",
        progress=progress,
    )
    return RunStatus(run.benefit_year, run.state, run.done)


def run_status(benefit_year: int) -> RunStatus | None:
    run = StatusReportRun.objects.filter(benefit_year=benefit_year).first()
    return RunStatus(run.benefit_year, run.state, run.done) if run else None


def _year_errors(found: Entitlement, benefit_year: int) -> list[tuple[str, str]]:
    if found.first_month >= rules.benefit_year_span(benefit_year)[0]:
        return [("benefit_year", f"{benefit_year}年度の手当は認定のときに決まっています（現況届は不要です）")]
    filed = StatusReport.objects.filter(
        entitlement=found, benefit_year=benefit_year, received_on__isnull=False
    )
    return [("benefit_year", f"{benefit_year}年度の現況届は受付済みです")] if filed.exists() else []


def _checked(
    atena_no: str, benefit_year: int, received_on: date, facts: FactsIn, visibility: registry.Visibility
) -> Entitlement:
    """The 受給者's active 認定 for a 現況届, or every broken rule at once (``Rejected``)."""
    errors = check_facts(facts)
    if received_on > timezone.localdate():
        errors.append(("received_on", "受付日に未来の日付は入力できません"))
    found = active_of(atena_no, visibility, errors)
    if found is not None:
        errors += _year_errors(found, benefit_year)
    if errors:
        raise Rejected.of(errors)
    return found


def preview_report(
    atena_no: str,
    benefit_year: int,
    received_on: date,
    facts: FactsIn,
    *,
    visibility: registry.Visibility = VISIBILITY,
) -> Decision:
    """What ``record_report`` would decide (the 確認 screen); nothing written."""
    found = _checked(atena_no, benefit_year, received_on, facts, visibility)
    return decide(found, benefit_year, facts)


def record_report(
    atena_no: str,
    benefit_year: int,
    received_on: date,
    facts: FactsIn,
    *,
    visibility: registry.Visibility = VISIBILITY,
) -> Determination:
    """The 受給者's 現況届 for ``benefit_year`` filed on ``received_on``: the 支給年度 determined with
    that year's 所得 (the next version if already determined) — one transaction, every broken rule
    at once (``Rejected``). A 現況届 the August run did not open (a 認定 after it) is opened here."""
    with transaction.atomic(using=require_tenant().alias):
        found = _checked(atena_no, benefit_year, received_on, facts, visibility)
        report, _ = StatusReport.objects.select_for_update().get_or_create(
            entitlement=found,
            benefit_year=benefit_year,
            defaults={"lg_code": found.lg_code, "opened_at": timezone.now()},
        )
        if report.received_on is not None:  # filed meanwhile by another clerk
            raise Rejected.of([("benefit_year", f"{benefit_year}年度の現況届は受付済みです")])
        report.received_on, report.received_by = received_on, current_actor().name
        report.save(update_fields=["received_on", "received_by"])
        record(
            Action.UPDATE,
            RESOURCE,
            subjects=[atena_no],
            purpose=PURPOSE,
            detail={"benefit_year": benefit_year, "received_on": received_on.isoformat()},
        )
        return determine(found, benefit_year, facts, DeterminationReason.STATUS_REPORT)


@dataclass(frozen=True)
class Outstanding:
    """A 現況届 not yet filed: whose (a person the caller may not see is shown without name)."""

    report_id: int
    atena_no: str
    name: str
    first_month: date
    withheld: bool  # November has come: the 手当 is withheld (差止め) until it is filed


def outstanding(
    benefit_year: int, *, after: int = 0, limit: int = 50, visibility: registry.Visibility = VISIBILITY
) -> list[Outstanding]:
    """A keyset page (by the 現況届's id) of the 未提出 現況届 of ``benefit_year``, with the names
    (the registry's, two queries) — three queries whatever the page's size. Audited."""
    rows = list(
        StatusReport.objects.filter(benefit_year=benefit_year, received_on__isnull=True, id__gt=after)
        .order_by("id")
        .values_list("id", "entitlement__claimant_atena_no", "entitlement__first_month")[:limit]
    )
    names = registry.names_of([a for _i, a, _f in rows], visibility=visibility)
    withheld = timezone.localdate() >= rules.benefit_year_span(benefit_year)[0]
    record(
        Action.READ,
        RESOURCE,
        subjects=sorted(names),
        purpose=PURPOSE,
        detail={"benefit_year": benefit_year, "after": after, "count": len(rows)},
    )
    # A 受給者 under 支援措置 stays on the list (the work is still to do) without a name or 宛名番号.
    return [
        Outstanding(i, a if a in names else "", names.get(a, "（表示できません）"), f, withheld)
        for i, a, f in rows
    ]


def outstanding_count(benefit_year: int) -> int:
    return StatusReport.objects.filter(benefit_year=benefit_year, received_on__isnull=True).count()


def current_benefit_year() -> int:
    """The 支給年度 whose 現況届 is in hand: from August, the one starting in November."""
    today = timezone.localdate()
    return today.year if today.month >= 8 else today.year - 1
