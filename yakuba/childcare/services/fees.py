"""利用者負担 決定: every month of a 年度 by the tax of the 年度 it follows, checked (the 確認
screen) and recorded as ranges of equal amounts (rules.fees)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel, Field

from yakuba.childcare.events import FEE_DECIDED
from yakuba.childcare.models import (
    Certification,
    FeeDetermination,
)
from yakuba.childcare.rules import parameters
from yakuba.childcare.rules.ages import class_age, next_month, tax_year_for
from yakuba.childcare.rules.fees import FeeRefused, Household, monthly_fee
from yakuba.childcare.services.common import (
    PURPOSE,
    HouseholdTax,
    Strict,
    child_of,
    household_tax,
    latest_certification,
    month_of,
    next_nos,
    parent_atenas,
    reject,
)
from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage.outbox import emit_many
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry


class FeeDecisionIn(Strict):
    certificate_no: str = Field(pattern=r"^\d{8}$", title="認定証番号")
    fiscal_year: int = Field(ge=2015, le=2099, title="年度")
    welfare: bool = Field(False, title="生活保護世帯")


class FeeRange(BaseModel):
    from_month: str = Field(title="始期（YYYY-MM）")
    until_month: str = Field(title="終期（YYYY-MM、この月を含む）")
    tax_year: int = Field(title="用いた市町村民税の年度")
    tier: str
    base: int
    rank: int
    free: str
    amount: int = Field(title="利用者負担額（月額）")
    steps: list[str]


class FeeDecisionOut(BaseModel):
    decision_no: str = Field(title="決定番号")
    certificate_no: str
    child_atena_no: str
    decided_on: date
    ranges: list[FeeRange]
    left_out: list[str] = Field(title="決定しなかった月とその理由")


def _siblings(child, parents: list[str], fiscal_year: int) -> list[date]:
    """The birth dates of the other children of the child's 世帯 (ids and dates only, through the
    registry's door: a protected sibling counts but is never shown)."""
    members = registry.household_members(child.setai_no) - {child.atena_no, *parents}
    return older_siblings(child.atena_no, child.birth_date, registry.birth_dates_of(members), fiscal_year)


def older_siblings(
    atena_no: str, birth: date, others: dict[str, date | None], fiscal_year: int
) -> list[date]:
    """The birth dates ``rules.fees`` counts among the other children of the 世帯 ({宛名番号: 生年月日})
    — those under 18 in the 年度. A twin born the same day counts as older only if registered
    first (the lower 宛名番号), so that twins are the 1st and the 2nd, not both the 2nd
    (``rules.fees`` counts a same-day sibling as older)."""
    return [
        b
        for other, b in others.items()
        if b is not None
        and b < date(fiscal_year + 1, 4, 1)
        and class_age(b, fiscal_year) <= 17
        and (b != birth or other < atena_no)
    ]


def months_of(cert: Certification, fiscal_year: int) -> list[date]:
    """The months of the 年度 the 認定's 有効期間 covers (each the 1st)."""
    first = max(date(fiscal_year, 4, 1), cert.valid_from.replace(day=1))
    last = min(date(fiscal_year + 1, 3, 1), cert.valid_until.replace(day=1))
    months, day = [], first
    while day <= last:
        months.append(day)
        day = next_month(day)
    return months


@dataclass(frozen=True)
class _Computed:
    cert: Certification
    parents: list[str]
    ranges: list[FeeRange]
    left_out: list[str]


def _computed(body: FeeDecisionIn, protected: bool) -> _Computed:
    """Every month of the 年度 the 認定 covers, each by the tax of the 年度 it follows, merged into
    ranges of equal amounts; every reason it cannot be decided as ``CalculationRejected``."""
    errors: list[dict] = []
    cert = latest_certification(body.certificate_no)
    if cert is None:
        reject(
            [{"field": "certificate_no", "message": f"認定証番号 {body.certificate_no} の認定はありません"}]
        )
    child = child_of(cert.child_atena_no, protected, errors, "certificate_no")
    months = months_of(cert, body.fiscal_year)
    if not months:
        errors.append({"field": "fiscal_year", "message": f"{body.fiscal_year}年度は認定の有効期間外です"})
    parents = parent_atenas(cert)
    if not parents or len(parents) != len(cert.parents):
        message = "宛名番号のない（または登録のない）保護者がいるため課税情報から所得割を読めません"
        errors.append({"field": "certificate_no", "message": message})
    reject(errors)
    taxes = {year: household_tax(parents, year) for year in {tax_year_for(m.year, m.month) for m in months}}
    siblings = _siblings(child, parents, body.fiscal_year)
    ranges, left_out = fee_ranges(
        cert,
        child.birth_date,
        months,
        taxes,
        siblings,
        lg_code=require_tenant().lg_code,
        welfare=body.welfare,
    )
    if not ranges:
        reject(
            [{"field": "fiscal_year", "message": "決定できる月がありません（" + "、".join(left_out) + "）"}]
        )
    return _Computed(cert, parents, ranges, left_out)


def fee_ranges(
    cert: Certification,
    birth: date,
    months: list[date],
    taxes: dict[int, HouseholdTax | None],
    siblings: list[date],
    *,
    lg_code: str,
    welfare: bool,
) -> tuple[list[FeeRange], list[str]]:
    """The 利用者負担 of each month (by the tax of the 年度 it follows: ``taxes`` {年度: the
    household's tax, None when not decided}) merged into ranges of equal amounts, and the months
    left out for want of a tax; a refusal of the rules as ``CalculationRejected``."""
    ranges: list[FeeRange] = []
    left_out: list[str] = []
    for m in months:
        tax = taxes[tax_year_for(m.year, m.month)]
        if tax is None:
            left_out.append(
                f"{m.year}年{m.month}月分: {tax_year_for(m.year, m.month)}年度の市町村民税が未決定"
            )
            continue
        try:
            fee = monthly_fee(
                lg_code=lg_code,
                year=m.year,
                month=m.month,
                birth=birth,
                kind=cert.kind,
                need=cert.need or None,
                household=Household(welfare, tax.exempt, tax.income_levy),
                siblings=siblings,
            )
        except (FeeRefused, parameters.UnknownYear) as exc:
            pairs = getattr(exc, "errors", [("fiscal_year", str(exc))])
            reject([{"field": f, "message": text} for f, text in pairs])
        one = FeeRange(
            from_month=m.strftime("%Y-%m"),
            until_month=m.strftime("%Y-%m"),
            tax_year=fee.tax_year,
            tier=fee.tier,
            base=fee.base,
            rank=fee.rank,
            free=fee.free,
            amount=fee.amount,
            steps=[*tax.steps, *fee.steps],
        )
        last = ranges[-1] if ranges else None
        same = (
            last is not None
            and _key(last) == _key(one)
            and month_of(last.until_month).month % 12 + 1 == m.month
        )
        if same:
            last.until_month = one.until_month
        else:
            ranges.append(one)
    return ranges, left_out


def _key(fee: FeeRange) -> tuple:
    return (fee.tax_year, fee.tier, fee.base, fee.rank, fee.free, fee.amount)


@dataclass(frozen=True)
class Decided:
    """A 決定 to record: the 認定 (latest version), its parents and the ranges."""

    cert: Certification
    parents: list[str]
    ranges: list[FeeRange]
    welfare: bool


def record_decisions(decided: list[Decided], today: date, **detail) -> list[str]:
    """Record each 決定 under a new 決定番号, with one 利用者負担 決定 event each and one audit row
    naming every child and parent, in the caller's transaction; the numbers in order."""
    numbers = next_nos(FeeDetermination, "decision_no", len(decided))
    FeeDetermination.objects.bulk_create(
        FeeDetermination(
            lg_code=require_tenant().lg_code,
            decision_no=number,
            certificate_no=d.cert.certificate_no,
            child_atena_no=d.cert.child_atena_no,
            decided_on=today,
            welfare=d.welfare,
            **{
                **r.model_dump(),
                "from_month": month_of(r.from_month),
                "until_month": month_of(r.until_month),
            },
        )
        for number, d in zip(numbers, decided, strict=True)
        for r in d.ranges
    )
    events = []
    for number, d in zip(numbers, decided, strict=True):
        months = [{"from": r.from_month, "until": r.until_month, "amount": r.amount} for r in d.ranges]
        data = {
            "atena_no": d.cert.child_atena_no,
            "certificate_no": d.cert.certificate_no,
            "decision_no": number,
            "months": months,
        }
        events.append((FEE_DECIDED, d.cert.child_atena_no, data))
    emit_many(events)
    subjects = sorted({a for d in decided for a in (d.cert.child_atena_no, *d.parents)})
    one = {"decision_no": numbers[0]} if len(numbers) == 1 else {"decision_nos": numbers}
    record(Action.CREATE, "childcare.fee", subjects=subjects, purpose=PURPOSE, detail={**one, **detail})
    return numbers


def check_fee(body: FeeDecisionIn, *, protected: bool = False) -> dict:
    """Every rule of a 決定 and the amounts ``decide_fee`` would record (the 確認 screen):
    nothing written; every broken rule at once as ``CalculationRejected``."""
    done = _computed(body, protected)
    return {"ranges": done.ranges, "left_out": done.left_out}


def decide_fee(body: FeeDecisionIn, *, protected: bool = False) -> FeeDecisionOut:
    """The 利用者負担 of every month of the 年度 the 認定 covers: each month by the tax of the 年度
    it follows (April–August the previous, September–March the current); a month whose tax is
    not yet decided is left out and said so (the September decision covers it). Stored as one
    decision of ranges of equal amounts, with one event and one audit row, in one transaction."""
    done = _computed(body, protected)
    cert, today = done.cert, timezone.localdate()
    with transaction.atomic(using=require_tenant().alias):
        (number,) = record_decisions([Decided(cert, done.parents, done.ranges, body.welfare)], today)
    return FeeDecisionOut(
        decision_no=number,
        certificate_no=cert.certificate_no,
        child_atena_no=cert.child_atena_no,
        decided_on=today,
        ranges=done.ranges,
        left_out=done.left_out,
    )
