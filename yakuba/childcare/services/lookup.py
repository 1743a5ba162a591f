"""A child's 保育 records: every 認定 version, 申込, 利用調整 result and 利用者負担 決定."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from yakuba.childcare.models import (
    AllocationResult,
    Application,
    Certification,
    FeeDetermination,
    Outcome,
)
from yakuba.childcare.rules.certification import KINDS, NEEDS, REASONS
from yakuba.childcare.services.certification import CertificationOut, certification_out
from yakuba.childcare.services.common import (
    PURPOSE,
    listed_names,
)
from yakuba.platform.audit.log import Action, record
from yakuba.registry import services as registry


@dataclass(frozen=True)
class ChildRecords:
    """Everything the municipality holds of a child's 保育, oldest first."""

    atena_no: str
    name: str
    birth_date: date | None
    certifications: list[CertificationOut]
    applications: list[dict]  # application_no, month, choices, class_age, applied_on
    results: list[dict]  # run, month, rank, total, outcome, facility, choice, steps
    fees: list[dict]  # decision_no, decided_on, from, until, tier, amount, free, rank, tax_year, steps


def child_records(atena_no: str, *, protected: bool = False) -> ChildRecords:
    """A child's 認定 (every version), 申込, 利用調整 results and 利用者負担 決定 (four queries and
    the registry's read), audited as one read. A child under 支援措置 is unknown to a caller who
    may not see them (``registry.NotFound``, the attempt audited by the registry)."""
    person = registry.get_resident(atena_no, visibility=registry.Visibility(protected=protected))
    certs = [
        certification_out(r)
        for r in Certification.objects.filter(child_atena_no=atena_no).order_by("certificate_no", "version")
    ]
    applications = [
        {
            "application_no": a.application_no,
            "month": a.month.strftime("%Y-%m"),
            "choices": a.choices,
            "class_age": a.class_age,
            "applied_on": a.applied_on,
        }
        for a in Application.objects.filter(child_atena_no=atena_no).order_by("application_no")
    ]
    results = [
        {
            "run": r.run_id,
            "month": r.application.month.strftime("%Y-%m"),
            "rank": r.rank,
            "total": r.total,
            "outcome": dict(Outcome.choices)[r.outcome],
            "facility": r.facility_code,
            "choice": r.choice,
            "steps": r.steps,
        }
        for r in AllocationResult.objects.filter(application__child_atena_no=atena_no)
        .select_related("application")
        .order_by("run_id")
    ]
    fees = [
        {
            "decision_no": f.decision_no,
            "decided_on": f.decided_on,
            "from": f.from_month.strftime("%Y-%m"),
            "until": f.until_month.strftime("%Y-%m"),
            "tax_year": f.tax_year,
            "tier": f.tier,
            "rank": f.rank,
            "free": f.free,
            "amount": f.amount,
            "steps": f.steps,
        }
        for f in FeeDetermination.objects.filter(child_atena_no=atena_no).order_by(
            "decision_no", "from_month"
        )
    ]
    record(Action.READ, "childcare.child", subjects=[atena_no], purpose=PURPOSE)
    return ChildRecords(atena_no, person.name, person.birth_date, certs, applications, results, fees)


@dataclass(frozen=True)
class Expiring:
    """A 認定 (its latest version) whose 有効期間 ends in the period asked: renew or end it."""

    atena_no: str  # the child's
    name: str  # "" for a child hidden from the caller by 支援措置
    certificate_no: str
    kind: str
    need: str
    valid_until: date
    reasons: str  # each parent's 事由, in words


def expiring(
    first: date,
    last: date,
    *,
    after: tuple[date, str] | None = None,
    limit: int = 50,
    protected: bool = False,
) -> list[Expiring]:
    """The 認定 whose latest version ends from ``first`` to ``last``, by (終期, 宛名番号), a keyset
    page after ``after`` (two queries and one audit row whatever the page's size)."""
    latest = (
        Certification.objects.order_by("certificate_no", "-version").distinct("certificate_no").values("id")
    )
    rows = Certification.objects.filter(id__in=latest, valid_until__range=(first, last))
    if after is not None:
        rows = rows.filter(Q(valid_until__gt=after[0]) | Q(valid_until=after[0], child_atena_no__gt=after[1]))
    page = list(rows.order_by("valid_until", "child_atena_no")[:limit])
    names = listed_names([r.child_atena_no for r in page], "childcare.expiring", protected=protected)
    return [
        Expiring(
            r.child_atena_no,
            names.get(r.child_atena_no, ""),
            r.certificate_no,
            KINDS[r.kind],
            NEEDS.get(r.need, "—"),
            r.valid_until,
            "・".join(REASONS.get(p.get("reason") or "", "事由なし") for p in r.parents) or "—",
        )
        for r in page
    ]


def count_expiring(first: date, last: date) -> int:
    """How many 認定 (latest versions) end from ``first`` to ``last`` (one query; ids only)."""
    latest = (
        Certification.objects.order_by("certificate_no", "-version").distinct("certificate_no").values("id")
    )
    return Certification.objects.filter(id__in=latest, valid_until__range=(first, last)).count()
