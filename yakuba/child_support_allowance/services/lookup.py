"""The 照会 of the 児童扶養手当: every 認定 of a 受給者 with every version of each 支給年度's
determination, its amounts month by month and the engine's steps (``person``, one read and one
audit row), and a stored version as the door hands it out (``view_of``).

The 受給者 is read through the registry's door with the caller's visibility: a person under
支援措置 is not found (the registry audits the attempt).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from yakuba.child_support_allowance.codes import (
    Category,
    Claimant,
    DeterminationReason,
    EndReason,
    Ground,
    Status,
)
from yakuba.child_support_allowance.models import AmountPeriod, Determination, Entitlement, StatusReport
from yakuba.child_support_allowance.services.entitlement import PURPOSE, RESOURCE, VISIBILITY
from yakuba.platform.audit.log import Action, record
from yakuba.platform.payments.models import AccountType
from yakuba.registry import services as registry


@dataclass(frozen=True)
class PeriodView:
    from_month: date
    until_month: date
    monthly_total: int
    per_child: list[int]


@dataclass(frozen=True)
class DeterminationView:
    benefit_year: int
    version: int
    reason: str
    category: str
    from_month: date
    until_month: date
    income_for_test: int
    income: dict
    dependants: int
    elderly_dependants: int
    specific_dependants: int
    children: int
    steps: list[str]
    note: str
    created_at: object
    periods: list[PeriodView]
    amount_sources: list[dict]

    @property
    def reason_label(self) -> str:
        return DeterminationReason(self.reason).label

    @property
    def category_label(self) -> str:
        return Category(self.category).label


@dataclass(frozen=True)
class EntitlementView:
    id: int
    claimant_atena_no: str
    claimant_name: str
    claimant_kind: str
    ground: str
    children: list[tuple[str, str, date | None]]  # (宛名番号, 氏名, 生年月日)
    status: str
    claimed_on: date
    certified_on: date
    first_month: date
    last_month: date | None
    end_reason: str
    account: str
    determinations: list[DeterminationView] = field(default_factory=list)
    reports: list[tuple[int, date | None]] = field(default_factory=list)  # (支給年度, 受付日)

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def kind_label(self) -> str:
        return Claimant(self.claimant_kind).label

    @property
    def ground_label(self) -> str:
        return Ground(self.ground).label

    @property
    def end_label(self) -> str:
        return EndReason(self.end_reason).label if self.end_reason else ""


def view_of(d: Determination) -> DeterminationView:
    """A stored version as the door hands it out (its periods prefetched, or one query)."""
    return DeterminationView(
        d.benefit_year,
        d.version,
        d.reason,
        d.category,
        d.from_month,
        d.until_month,
        d.income_for_test,
        d.income,
        d.dependants,
        d.elderly_dependants,
        d.specific_dependants,
        d.children,
        d.steps,
        d.note,
        d.created_at,
        [PeriodView(p.from_month, p.until_month, p.monthly_total, p.per_child) for p in d.periods.all()],
        d.amount_sources,
    )


def person(atena_no: str, *, visibility: registry.Visibility = VISIBILITY) -> list[EntitlementView]:
    """Every 認定 of the 受給者 (newest first) with every version of every 支給年度 and its periods;
    ``registry.NotFound`` for a person the caller may not see (支援措置). Audited."""
    registry.get_resident(atena_no, visibility=visibility)  # hidden → NotFound, audited there
    rows = list(
        Entitlement.objects.filter(claimant_atena_no=atena_no)
        .order_by("-id")
        .prefetch_related(
            Prefetch(
                "determinations",
                Determination.objects.order_by("-benefit_year", "-version").prefetch_related(
                    Prefetch("periods", AmountPeriod.objects.order_by("from_month"))
                ),
            ),
            Prefetch("status_reports", StatusReport.objects.order_by("-benefit_year")),
        )
    )
    everyone = [atena_no] + [c for r in rows for c in r.children]
    names = registry.names_of(everyone, visibility=visibility)
    births = registry.birth_dates_of([a for a in everyone if a in names])
    record(Action.READ, RESOURCE, subjects=[atena_no], purpose=PURPOSE, detail={"entitlements": len(rows)})
    return [
        EntitlementView(
            r.id,
            r.claimant_atena_no,
            names.get(atena_no, ""),
            r.claimant_kind,
            r.ground,
            # A child under 支援措置 is shown without name or birth date (nor the 宛名番号).
            [
                (c, names[c], births.get(c)) if c in names else ("", "（表示できません）", None)
                for c in r.children
            ],
            r.status,
            r.claimed_on,
            r.certified_on,
            r.first_month,
            r.last_month,
            r.end_reason,
            f"{r.bank_code}-{r.branch_code} {AccountType(r.account_type).label}"
            f" {r.account_number} {r.account_holder_kana}",
            [view_of(d) for d in r.determinations.all()],
            [(s.benefit_year, s.received_on) for s in r.status_reports.all()],
        )
        for r in rows
    ]
