"""支給認定: checked (the 確認 screen) and recorded as versions of a 認定証番号
(rules.certification; insurance-welfare-facts §9.2)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.db import transaction
from pydantic import BaseModel, Field

from yakuba.childcare.events import CERTIFIED
from yakuba.childcare.models import (
    Certification,
)
from yakuba.childcare.rules import parameters
from yakuba.childcare.rules.ages import fiscal_year_of
from yakuba.childcare.rules.certification import KINDS, NEEDS, CertificationRefused, Need, certify
from yakuba.childcare.services.common import (
    PURPOSE,
    AtenaNo,
    Hours,
    Reason,
    Strict,
    child_of,
    next_no,
    reject,
)
from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage.outbox import emit_many
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry


class ParentIn(Strict):
    atena_no: Annotated[str, Field(pattern=r"^(\d{1,15})?$")] = Field(
        "", title="保護者の宛名番号（住民でなければ空）"
    )
    reason: Reason | None = Field(None, title="保育の必要性の事由")
    monthly_hours: Hours | None = Field(None, title="月の就労等の時間")
    birth_due: date | None = Field(None, title="出産（予定）日（妊娠・出産）")
    until: date | None = Field(None, title="事由の終わる日（育児休業・就学など）")


class CertificationIn(Strict):
    child_atena_no: AtenaNo
    base_date: date = Field(title="基準日（認定の始期）")
    care: bool = Field(True, title="保育認定を求める（しない: 1号 教育標準時間認定）")
    parents: list[ParentIn] = Field(default_factory=list, max_length=2, title="保護者（ひとり親は1人）")
    certificate_no: Annotated[str, Field(pattern=r"^(\d{8})?$")] = Field(
        "", title="変更する認定証番号（新規は空）"
    )
    note: str = Field("", max_length=200, title="備考")


class CertificationOut(BaseModel):
    certificate_no: str = Field(title="認定証番号")
    version: int = Field(title="版")
    child_atena_no: str
    kind: str = Field(title="認定区分（1, 2, 3）")
    kind_label: str = Field(title="認定区分")
    need: str = Field(title="保育必要量（standard, short。1号は空）")
    base_date: date
    valid_from: date
    valid_until: date
    parents: list[dict] = Field(title="保護者ごとの事由と必要量")
    steps: list[str] = Field(title="判定の過程")
    note: str
    recorded_at: datetime


def _certificate_rows(certificate_no: str) -> list[Certification]:
    return list(Certification.objects.filter(certificate_no=certificate_no).order_by("version"))


def _checked_certification(body: CertificationIn, protected: bool):
    errors: list[dict] = []
    child = child_of(body.child_atena_no, protected, errors)
    given = [p.atena_no for p in body.parents if p.atena_no]
    known = registry.names_of(given, visibility=registry.Visibility(protected=protected)) if given else {}
    for i, parent in enumerate(body.parents):
        at = f"parents[{i}].atena_no"
        if parent.atena_no and parent.atena_no == body.child_atena_no:
            errors.append({"field": at, "message": "子ども本人は保護者になれません"})
        elif parent.atena_no and parent.atena_no not in known:
            errors.append({"field": at, "message": f"宛名番号 {parent.atena_no} の住民は見つかりません"})
    previous = None
    if body.certificate_no:
        rows = _certificate_rows(body.certificate_no)
        if not rows or rows[-1].child_atena_no != body.child_atena_no:
            errors.append({"field": "certificate_no", "message": "この子どもの認定証番号ではありません"})
        else:
            previous = rows[-1]
    decided = None
    if child is not None:
        try:
            table = parameters.national(
                fiscal_year_of(body.base_date.year, body.base_date.month)
            ).certification
            needs = [Need(p.reason, p.monthly_hours, p.birth_due, p.until) for p in body.parents]
            decided = certify(child.birth_date, body.base_date, needs, care=body.care, table=table)
        except parameters.UnknownYear as exc:
            errors.append({"field": "base_date", "message": str(exc)})
        except CertificationRefused as exc:
            errors += [{"field": f, "message": m} for f, m in exc.errors]
    if decided is not None and previous is None:
        errors += _overlapping(body.child_atena_no, decided.valid_from, decided.valid_until)
    return errors, decided, previous


def _overlapping(child_atena_no: str, first: date, last: date) -> list[dict]:
    """A child has one 認定 at a time: a new one whose 有効期間 overlaps the latest version of
    another is a 変更 of that one (one query)."""
    latest = (
        Certification.objects.filter(child_atena_no=child_atena_no)
        .order_by("certificate_no", "-version")
        .distinct("certificate_no")
    )
    return [
        {
            "field": "certificate_no",
            "message": f"この子どもには有効期間の重なる認定（認定証番号 {c.certificate_no}）があります。その変更として入力してください",
        }
        for c in latest
        if c.valid_from <= last and first <= c.valid_until
    ]


def check_certification(body: CertificationIn, *, protected: bool = False) -> dict:
    """Every rule of a 認定 and what ``apply_certification`` would record (the 確認 screen): no
    lock, nothing written; every broken rule at once as ``CalculationRejected``."""
    errors, decided, previous = _checked_certification(body, protected)
    reject(errors)
    return {
        "certificate_no": previous.certificate_no if previous else "",
        "kind": KINDS[decided.kind],
        "need": NEEDS.get(decided.need, "—"),
        "valid_from": decided.valid_from,
        "valid_until": decided.valid_until,
        "steps": decided.steps,
    }


def certification_out(row: Certification) -> CertificationOut:
    return CertificationOut(
        certificate_no=row.certificate_no,
        version=row.version,
        child_atena_no=row.child_atena_no,
        kind=row.kind,
        kind_label=KINDS[row.kind],
        need=row.need,
        base_date=row.base_date,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        parents=row.parents,
        steps=row.steps,
        note=row.note,
        recorded_at=row.recorded_at,
    )


def certified_event(row: Certification) -> tuple:
    """The 認定 event of a version (ids, 号, 必要量 and dates; no 事由 or hours)."""
    data = {
        "atena_no": row.child_atena_no,
        "certificate_no": row.certificate_no,
        "version": row.version,
        "kind": row.kind,
        "need": row.need,
        "valid_from": row.valid_from.isoformat(),
        "valid_until": row.valid_until.isoformat(),
    }
    return (CERTIFIED, row.child_atena_no, data)


def apply_certification(body: CertificationIn, *, protected: bool = False) -> CertificationOut:
    """Record a 認定 (new, or a new version of ``certificate_no``): one transaction with its
    event and its audit row naming the child and the parents."""
    errors, decided, previous = _checked_certification(body, protected)
    reject(errors)
    parents = [
        {**p.model_dump(mode="json"), "need": need or ""}
        for p, need in zip(body.parents, decided.parent_needs, strict=False)
    ]
    with transaction.atomic(using=require_tenant().alias):
        number = previous.certificate_no if previous else next_no(Certification, "certificate_no")
        row = Certification.objects.create(
            lg_code=require_tenant().lg_code,
            certificate_no=number,
            version=previous.version + 1 if previous else 1,
            child_atena_no=body.child_atena_no,
            kind=decided.kind,
            need=decided.need or "",
            base_date=body.base_date,
            valid_from=decided.valid_from,
            valid_until=decided.valid_until,
            parents=parents,
            steps=decided.steps,
            note=body.note,
        )
        emit_many([certified_event(row)])
        subjects = [row.child_atena_no, *(p.atena_no for p in body.parents if p.atena_no)]
        record(
            Action.CREATE,
            "childcare.certification",
            subjects=subjects,
            purpose=PURPOSE,
            detail={"certificate_no": number},
        )
    return certification_out(row)
