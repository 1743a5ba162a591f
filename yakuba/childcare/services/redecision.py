"""The September 利用者負担 再決定: every child with a 決定 of the 年度, from 9月 on the new 年度's
市町村民税, as one resumable batch (``platform.batch``).

From September the fee follows the current 年度's tax (釧路市: 「9月分からは現年度の市町村民税」,
https://www.city.kushiro.lg.jp/kosodatekyouiku/kosodate/1008292/1005300/1005301/1005302.html;
insurance-welfare-facts §9.2), decided in June by the 当初課税 — so a 決定 made in April leaves
September–March out, and one made later may rest on a tax since corrected. The run computes each
child's months from September to March (within the 認定's 有効期間) by the rules of a counter
決定 (``fees.fee_ranges``) and records a new 決定 only for a child one of whose months has
another amount in force (or none): a rerun, or a child whose 階層 stayed, writes nothing.

The children are read in 認定証番号 order, a page at a time; each page's 決定, events, audit row
and the run's position commit in one transaction, so a killed run resumes after the last page
it wrote and ends with the rows an uninterrupted run writes. The parents' tax of a page is one
query (``tax.assessment.levies_of``); the children and their 世帯's birth dates come through the
registry's door (which reads a 世帯's members one 世帯 at a time: one query per 世帯 of a page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils import timezone

from yakuba.childcare.models import Certification, FeeDetermination, FeeRedecisionRun
from yakuba.childcare.rules.ages import next_month
from yakuba.childcare.services.common import (
    PURPOSE,
    household_taxes,
    latest_versions,
    month_of,
    parent_atenas,
)
from yakuba.childcare.services.fees import Decided, fee_ranges, months_of, older_siblings, record_decisions
from yakuba.platform.audit.log import Action, record
from yakuba.platform.batch import DONE, open_run, run_pages
from yakuba.platform.calculations import CalculationRejected
from yakuba.platform.errors import RunConflict
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.tax.services import assessment

PAGE = 500
SEPTEMBER = 9


@dataclass(frozen=True)
class RedecisionStatus:
    fiscal_year: int
    state: str
    changed: int
    unchanged: int
    refused: int
    refused_certificates: list[str]  # ids only: decide them at the counter


@dataclass(frozen=True)
class _Child:
    cert: Certification
    birth: date
    siblings: list[date]
    in_force: dict[date, int]  # the amount in force of each month from September
    welfare: bool


@dataclass(frozen=True)
class _Page:
    lg_code: str
    fiscal_year: int
    after: str
    last: str
    children: list[_Child]
    taxes: dict  # {認定証番号: HouseholdTax} of the new 年度 (absent: a parent not assessed)
    decided_on: date


def _in_care(fiscal_year: int):
    """The latest version of each 認定 still valid in September with a 決定 of the 年度."""
    decided = FeeDetermination.objects.filter(
        certificate_no=OuterRef("certificate_no"),
        from_month__lte=date(fiscal_year + 1, 3, 1),
        until_month__gte=date(fiscal_year, 4, 1),
    )
    return latest_versions().filter(Exists(decided), valid_until__gte=date(fiscal_year, 9, 1))


def count_in_care(fiscal_year: int) -> int:
    """The children the run of ``fiscal_year`` walks (the progress bar's total)."""
    return _in_care(fiscal_year).count()


def _in_force(certificate_nos: list[str], fiscal_year: int) -> tuple[dict, dict]:
    """({認定証番号: {month: amount in force}}, {認定証番号: the latest 決定's 生活保護}) for the
    months from September: the latest 決定 covering a month is the one in force."""
    rows = (
        FeeDetermination.objects.filter(
            certificate_no__in=certificate_nos,
            from_month__lte=date(fiscal_year + 1, 3, 1),
            until_month__gte=date(fiscal_year, 4, 1),
        )
        .order_by("decision_no", "from_month")
        .values_list("certificate_no", "from_month", "until_month", "amount", "welfare")
    )
    amounts: dict[str, dict[date, int]] = {}
    welfare: dict[str, bool] = {}
    september = date(fiscal_year, SEPTEMBER, 1)
    for certificate_no, first, last, amount, on_welfare in rows:
        months = amounts.setdefault(certificate_no, {})
        welfare[certificate_no] = on_welfare
        day = max(first, september)
        while day <= last:
            months[day] = amount
            day = next_month(day)
    return amounts, welfare


def _pages(lg_code: str, fiscal_year: int, after: str) -> Iterator[_Page]:
    """The pages still to decide, each read in a transaction of its own."""
    while True:
        with tenant_context(lg_code):
            certs = list(
                _in_care(fiscal_year).filter(certificate_no__gt=after).order_by("certificate_no")[:PAGE]
            )
            if not certs:
                return
            numbers = [c.certificate_no for c in certs]
            amounts, welfare = _in_force(numbers, fiscal_year)
            taxes = household_taxes({c.certificate_no: parent_atenas(c) for c in certs}, fiscal_year)
            kids = registry.residents_of(
                [c.child_atena_no for c in certs], visibility=registry.Visibility(protected=True)
            )
            members = {
                setai: registry.household_members(setai)
                for setai in sorted({k.setai_no for k in kids.values()})
            }
            births = registry.birth_dates_of({a for group in members.values() for a in group})
            record(
                Action.READ,
                "registry.resident",
                subjects=sorted(kids),
                purpose=PURPOSE,
                detail={"redecision": fiscal_year, "after": after, "through": numbers[-1]},
            )
            children = []
            for cert in certs:
                kid = kids.get(cert.child_atena_no)
                if kid is None or kid.birth_date is None:
                    continue  # the child's record is gone: nothing to decide on
                others = members.get(kid.setai_no, set()) - {kid.atena_no, *parent_atenas(cert)}
                siblings = older_siblings(
                    kid.atena_no, kid.birth_date, {a: births.get(a) for a in others}, fiscal_year
                )
                children.append(
                    _Child(
                        cert,
                        kid.birth_date,
                        siblings,
                        amounts.get(cert.certificate_no, {}),
                        welfare.get(cert.certificate_no, False),
                    )
                )
        last = numbers[-1]
        yield _Page(lg_code, fiscal_year, after, last, children, taxes, timezone.localdate())
        after = last


def _decide_page(page: _Page) -> tuple[list[Decided], int, list[str], _Page]:
    """Each child's months from September by the new 年度's tax; a 決定 only where an amount
    differs from the one in force. A child whose parents' tax is not decided, or whom the rules
    refuse, is counted and named in the page's audit row, not guessed."""
    decided, unchanged, refused = [], 0, []
    for child in page.children:
        cert = child.cert
        months = [m for m in months_of(cert, page.fiscal_year) if m >= date(page.fiscal_year, SEPTEMBER, 1)]
        tax = page.taxes.get(cert.certificate_no)
        if not months:
            continue
        if tax is None:
            refused.append(cert.certificate_no)
            continue
        try:
            ranges, _left = fee_ranges(
                cert,
                child.birth,
                months,
                {page.fiscal_year: tax},
                child.siblings,
                lg_code=page.lg_code,
                welfare=child.welfare,
            )
        except CalculationRejected:
            refused.append(cert.certificate_no)
            continue
        wanted = {
            month: r.amount
            for r in ranges
            for month in months
            if month_of(r.from_month) <= month <= month_of(r.until_month)
        }
        if wanted == {m: child.in_force.get(m) for m in months}:
            unchanged += 1
        else:
            decided.append(Decided(cert, parent_atenas(cert), ranges, child.welfare))
    return decided, unchanged, refused, page


def redecide(
    lg_code: str, fiscal_year: int, *, progress: Callable[[int], None] | None = None
) -> RedecisionStatus:
    """Run (or resume) the September 再決定 of ``fiscal_year``; ``progress(n)`` after each page with
    the children it walked. Refused before the 年度's 当初課税 is done (the tax it rests on). A
    finished run does nothing. Call with an audit actor bound."""
    with tenant_context(lg_code):
        tax = assessment.run_status(fiscal_year)
    if tax is None or tax.state != DONE:
        raise RunConflict(f"{fiscal_year}年度の当初課税が終わっていないため利用者負担を再決定できません")
    run = open_run(lg_code, FeeRedecisionRun, fiscal_year=fiscal_year)
    if run.state != DONE:

        def write(run, result) -> int:
            decided, unchanged, refused, page = result
            if decided:
                record_decisions(
                    decided, page.decided_on, redecision=page.fiscal_year, after=page.after, through=page.last
                )
            run.changed += len(decided)
            run.unchanged += unchanged
            run.refused += len(refused)
            run.refused_certificates = [*run.refused_certificates, *refused]
            return len(page.children)

        run = run_pages(
            lg_code,
            run,
            position="last_certificate_no",
            pages=_pages(lg_code, fiscal_year, run.last_certificate_no),
            calculate=_decide_page,
            write=write,
            conflict=f"{fiscal_year}年度の利用者負担の再決定は別の処理が実行中です",
            progress=progress,
        )
    return RedecisionStatus(
        run.fiscal_year, run.state, run.changed, run.unchanged, run.refused, run.refused_certificates
    )
