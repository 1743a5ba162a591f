"""要介護認定 records (facts §4.4): the 申請 and its 認定結果 as data — the assessment itself (認定調査,
主治医意見書, 一次判定, 審査会) is not kept here.

Append-only: an 申請 is one row; its 認定結果 a row of its own, and a later 結果 of the same 申請
corrects the earlier one (both kept: ``history`` shows them). The 有効期間 lengths are checked by
``rules.certification``. Each write is one transaction with its event and audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yakuba.long_term_care.codes import CareLevel, CertificationKind
from yakuba.long_term_care.events import CERTIFICATION_APPLIED, CERTIFICATION_DECIDED
from yakuba.long_term_care.models import CertificationApplication, CertificationDecision, Qualification
from yakuba.long_term_care.rules import certification as rules
from yakuba.long_term_care.services.common import Rejected, not_future, refuse_if
from yakuba.long_term_care.services.qualification import PURPOSE
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.linkage import outbox
from yakuba.platform.linkage.qualification import Change
from yakuba.platform.tenancy.context import require_tenant

RESOURCE = "long_term_care.certification"
CERT_PURPOSE = f"{PURPOSE}（要介護認定）"


@dataclass(frozen=True)
class DecisionLine:
    level: str
    level_label: str
    decided_on: date
    valid_from: date | None
    valid_until: date | None
    recorded_at: object
    recorded_by: str


@dataclass(frozen=True)
class CertificationLine:
    """One 申請 with its 結果 rows, the one in force last (``decision``)."""

    application_id: int
    atena_no: str
    kind: str
    kind_label: str
    applied_on: date
    decisions: list[DecisionLine]

    @property
    def decision(self) -> DecisionLine | None:
        return self.decisions[-1] if self.decisions else None


def _insured_on(atena_no: str, day: date) -> bool:
    last = (
        Qualification.objects.filter(atena_no=atena_no, effective_on__lte=day)
        .order_by("-effective_on", "-id")
        .values_list("change", flat=True)
        .first()
    )
    return last == Change.ACQUIRED


def check_application(atena_no: str, applied_on: date, kind: str) -> list[tuple[str, str]]:
    errors = not_future("applied_on", applied_on, "申請日")
    if kind not in CertificationKind.values:
        errors.append(("kind", "申請区分は new（新規）・renewal（更新）・change（区分変更）のいずれかです"))
    if not _insured_on(atena_no, applied_on):
        errors.append(("atena_no", "申請日に当市町村の第1号被保険者ではありません"))
    return errors


def _previous(atena_no: str, before: int | None) -> tuple[str, date] | None:
    """The person's 認定 in force before this 申請: (区分, 終了日) of the latest period."""
    rows = _decisions(CertificationDecision.objects.filter(atena_no=atena_no).exclude(application_id=before))
    periods = [d for d in rows.values() if d.valid_until is not None]
    if not periods:
        return None
    last = max(periods, key=lambda d: d.valid_until)
    return last.level, last.valid_until


def _decisions(rows) -> dict[int, CertificationDecision]:
    """{申請: its 結果 in force} — the latest row of each."""
    return {d.application_id: d for d in rows.order_by("application_id", "id")}


def check_decision(
    application: CertificationApplication,
    level: str,
    decided_on: date,
    valid_from: date | None,
    valid_until: date | None,
) -> list[tuple[str, str]]:
    if level not in CareLevel.values:
        return [("level", f"認定結果は {', '.join(CareLevel.values)} のいずれかです")]
    errors = not_future("decided_on", decided_on, "認定日")
    errors += rules.check_period(
        application.kind,
        level,
        application.applied_on,
        decided_on,
        valid_from,
        valid_until,
        previous=_previous(application.atena_no, application.id),
    )
    return errors


def add_certification(
    atena_no: str,
    applied_on: date,
    kind: str,
    *,
    level: str | None = None,
    decided_on: date | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> CertificationLine:
    """An 申請, and its 結果 when ``level`` is given — one transaction, every broken rule at once."""
    with transaction.atomic():
        errors = check_application(atena_no, applied_on, kind)
        if level is not None and decided_on is None:
            errors.append(("decided_on", "認定日を入力してください"))
        refuse_if(errors)
        application = CertificationApplication.objects.create(
            lg_code=require_tenant().lg_code,
            atena_no=atena_no,
            applied_on=applied_on,
            kind=kind,
            created_at=timezone.now(),
            created_by=current_actor().name,
        )
        outbox.emit(CERTIFICATION_APPLIED, subject=atena_no, data=_application_data(application))
        record(Action.CREATE, RESOURCE, subjects=[atena_no], purpose=CERT_PURPOSE, detail={"kind": kind})
        if level is not None:
            _decide(application, level, decided_on, valid_from, valid_until)
    return certifications(atena_no, application_id=application.id)[0]


def add_decision(
    application_id: int,
    level: str,
    decided_on: date,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> CertificationLine:
    """The 結果 of an 申請 recorded earlier (or a correction of its 結果): a new row."""
    with transaction.atomic():
        application = CertificationApplication.objects.filter(id=application_id).first()
        if application is None:
            raise Rejected.of([("application", f"申請 {application_id} はありません")])
        _decide(application, level, decided_on, valid_from, valid_until)
    return certifications(application.atena_no, application_id=application.id)[0]


def _decide(application, level, decided_on, valid_from, valid_until) -> None:
    refuse_if(check_decision(application, level, decided_on, valid_from, valid_until))
    CertificationDecision.objects.create(
        lg_code=application.lg_code,
        application=application,
        atena_no=application.atena_no,
        level=level,
        decided_on=decided_on,
        valid_from=valid_from,
        valid_until=valid_until,
        created_at=timezone.now(),
        created_by=current_actor().name,
    )
    data = {
        **_application_data(application),
        "level": level,
        "decided_on": decided_on.isoformat(),
        "valid_from": valid_from.isoformat() if valid_from else "",
        "valid_until": valid_until.isoformat() if valid_until else "",
    }
    outbox.emit(CERTIFICATION_DECIDED, subject=application.atena_no, data=data)
    record(
        Action.CREATE,
        RESOURCE,
        subjects=[application.atena_no],
        purpose=CERT_PURPOSE,
        detail={"application": application.id, "level": level},
    )


def _application_data(application) -> dict:
    return {
        "atena_no": application.atena_no,
        "application_id": application.id,
        "kind": application.kind,
        "applied_on": application.applied_on.isoformat(),
    }


def certifications(atena_no: str, *, application_id: int | None = None) -> list[CertificationLine]:
    """The person's 申請 (newest first) with every 結果 row of each — two queries; one audit row."""
    applications = CertificationApplication.objects.filter(atena_no=atena_no)
    if application_id is not None:
        applications = applications.filter(id=application_id)
    found: dict[int, list[DecisionLine]] = {}
    for d in CertificationDecision.objects.filter(atena_no=atena_no).order_by("id"):
        found.setdefault(d.application_id, []).append(
            DecisionLine(
                d.level,
                CareLevel(d.level).label,
                d.decided_on,
                d.valid_from,
                d.valid_until,
                d.created_at,
                d.created_by,
            )
        )
    lines = [
        CertificationLine(
            a.id, a.atena_no, a.kind, CertificationKind(a.kind).label, a.applied_on, found.get(a.id, [])
        )
        for a in applications.order_by("-applied_on", "-id")
    ]
    record(Action.READ, RESOURCE, subjects=[atena_no], purpose=CERT_PURPOSE, detail={"count": len(lines)})
    return lines


def _in_force(day: date):
    """The 結果 rows in force on ``day``: the latest row of each 申請, a 認定 (要支援・要介護) or
    事業対象者 whose 有効期間 holds the day."""
    latest = CertificationDecision.objects.values("application_id").annotate(last=Max("id"))
    return CertificationDecision.objects.filter(
        id__in=latest.values("last"), valid_from__lte=day, valid_until__gte=day
    ).exclude(level=CareLevel.NOT_APPLICABLE)


def certified_page(day: date, *, after: str, limit: int) -> list[str]:
    """宛名番号 after ``after`` (keyset, at most ``limit``) of the persons with a 認定 or 事業対象者
    in force on ``day`` — one query, the annual 負担割合's walk."""
    rows = _in_force(day).filter(atena_no__gt=after).order_by("atena_no").distinct("atena_no")
    return list(rows.values_list("atena_no", flat=True)[:limit])


def certified_count(day: date) -> int:
    """How many persons have a 認定 or 事業対象者 in force on ``day`` (one query)."""
    return _in_force(day).values("atena_no").distinct().count()


def in_force(atena_no: str, day: date) -> CertificationDecision | None:
    """The person's 認定 in force on ``day`` (the earliest starting, if two overlap)."""
    return _in_force(day).filter(atena_no=atena_no).order_by("valid_from").first()
