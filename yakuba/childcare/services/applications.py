"""利用申込: the 希望施設 in order and the 指数 by the municipality's 基準, with the parents'
所得割 of the year the 入所月 follows (the tie-break of the 利用調整)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel, Field

from yakuba.childcare.models import (
    Application,
    Facility,
)
from yakuba.childcare.rules import allocation, parameters
from yakuba.childcare.rules.ages import MONTH, class_age, fiscal_year_of, tax_year_for
from yakuba.childcare.services.common import (
    PURPOSE,
    Hours,
    Reason,
    Strict,
    child_of,
    household_tax,
    latest_certification,
    month_of,
    next_no,
    parent_atenas,
    reject,
)
from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import require_tenant


class RankingParentIn(Strict):
    reason: Reason | None = Field(None, title="事由（なし: 空）")
    detail: str = Field(
        "default", pattern=r"^[a-z_]{1,30}$", title="事由の程度（基準の行。就労: outside, home …）"
    )
    monthly_hours: Hours | None = Field(None, title="月の時間")
    days_per_week: Annotated[int, Field(ge=0, le=7)] | None = Field(None, title="週の日数")
    hours_per_day: Annotated[int, Field(ge=0, le=24)] | None = Field(None, title="1日の時間")
    hours_per_week: Annotated[int, Field(ge=0, le=168)] | None = Field(None, title="週の時間")


class ApplicationIn(Strict):
    certificate_no: str = Field(pattern=r"^\d{8}$", title="認定証番号")
    month: str = Field(pattern=MONTH, title="入所希望月（YYYY-MM）")
    choices: list[Annotated[str, Field(pattern=r"^[0-9A-Za-z-]{1,20}$")]] = Field(
        min_length=1, max_length=10, title="希望施設の番号（第1希望から）"
    )
    parents: list[RankingParentIn] = Field(
        min_length=1, max_length=2, title="保護者ごとの指数の事由（ひとり親は1人）"
    )
    adjustments: list[Annotated[str, Field(pattern=r"^[a-z_]{1,40}$")]] = Field(
        default_factory=list, max_length=20, title="調整指数の項目"
    )
    children: Annotated[int, Field(ge=1, le=20)] = Field(1, title="世帯の子の数")
    applied_on: date = Field(title="申込日")


class ApplicationOut(BaseModel):
    application_no: str = Field(title="申込番号")
    certificate_no: str
    child_atena_no: str
    month: str
    class_age: int = Field(title="クラス年齢")
    choices: list[str]
    income_levy: int = Field(title="市町村民税所得割の合算額（利用調整の同点の順）")
    score: int = Field(title="指数（申込時の基準による）")
    steps: list[str] = Field(title="指数の過程")


def _checked_application(body: ApplicationIn, protected: bool):
    errors: list[dict] = []
    cert = latest_certification(body.certificate_no)
    if cert is None:
        errors.append(
            {"field": "certificate_no", "message": f"認定証番号 {body.certificate_no} の認定はありません"}
        )
        return errors, None, None, None, None
    if cert.kind == "1":
        errors.append({"field": "certificate_no", "message": "1号認定では保育所等の利用調整に申し込めません"})
    child = child_of(cert.child_atena_no, protected, errors, "certificate_no")
    month = month_of(body.month)
    if not cert.valid_from.replace(day=1) <= month <= cert.valid_until:
        errors.append({"field": "month", "message": "入所希望月が認定の有効期間外です"})
    known = set(Facility.objects.filter(code__in=body.choices).values_list("code", flat=True))
    for i, code in enumerate(body.choices):
        if code not in known:
            errors.append({"field": f"choices[{i}]", "message": f"施設番号 {code} の施設はありません"})
    if len(set(body.choices)) != len(body.choices):
        errors.append({"field": "choices", "message": "同じ施設を2回希望できません"})
    if body.applied_on > timezone.localdate():
        errors.append({"field": "applied_on", "message": "未来の日付は指定できません"})
    if errors or child is None:
        return errors, None, None, None, None
    tax_year = tax_year_for(month.year, month.month)
    tax = household_tax(parent_atenas(cert), tax_year)
    if tax is None:
        errors.append(
            {
                "field": "certificate_no",
                "message": f"保護者の{tax_year}年度の市町村民税の課税情報がありません",
            }
        )
        return errors, None, None, None, None
    fiscal_year = fiscal_year_of(month.year, month.month)
    applicant = _applicant("", body, tax.income_levy, class_age(child.birth_date, fiscal_year))
    try:
        scored = allocation.score(applicant, parameters.ranking_table(require_tenant().lg_code, fiscal_year))
    except (allocation.ScoreRefused, parameters.MissingTable) as exc:
        pairs = getattr(exc, "errors", [("month", str(exc))])
        errors += [{"field": f, "message": m} for f, m in pairs]
        return errors, None, None, None, None
    return errors, cert, applicant, scored, tax


def _applicant(number: str, body: ApplicationIn, income_levy: int, klass: int) -> allocation.Applicant:
    return allocation.Applicant(
        number,
        tuple(allocation.Parent(**p.model_dump()) for p in body.parents),
        tuple(body.adjustments),
        income_levy,
        body.children,
        klass,
        tuple(body.choices),
    )


def check_application(body: ApplicationIn, *, protected: bool = False) -> dict:
    """Every rule of a 利用申込 and the 指数 ``apply_application`` would record (the 確認
    screen): nothing written; every broken rule at once as ``CalculationRejected``."""
    errors, _cert, applicant, scored, tax = _checked_application(body, protected)
    reject(errors)
    return {"score": scored.total, "class_age": applicant.class_age, "steps": [*tax.steps, *scored.steps]}


def apply_application(body: ApplicationIn, *, protected: bool = False) -> ApplicationOut:
    """Record a 利用申込 with its 所得割 (the tax door, the year the 入所月 follows) and its 指数."""
    errors, cert, applicant, scored, tax = _checked_application(body, protected)
    reject(errors)
    with transaction.atomic(using=require_tenant().alias):
        row = Application.objects.create(
            lg_code=require_tenant().lg_code,
            application_no=next_no(Application, "application_no"),
            certificate_no=cert.certificate_no,
            child_atena_no=cert.child_atena_no,
            month=month_of(body.month),
            class_age=applicant.class_age,
            choices=body.choices,
            parents=[p.model_dump(mode="json") for p in body.parents],
            adjustments=body.adjustments,
            income_levy=tax.income_levy,
            children=body.children,
            applied_on=body.applied_on,
        )
        subjects = [row.child_atena_no, *parent_atenas(cert)]
        record(
            Action.CREATE,
            "childcare.application",
            subjects=subjects,
            purpose=PURPOSE,
            detail={"application_no": row.application_no},
        )
    return ApplicationOut(
        application_no=row.application_no,
        certificate_no=row.certificate_no,
        child_atena_no=row.child_atena_no,
        month=body.month,
        class_age=row.class_age,
        choices=row.choices,
        income_levy=row.income_levy,
        score=scored.total,
        steps=[*tax.steps, *scored.steps],
    )
