"""The 保育 records of a municipality: 施設 and 定員, 支給認定, 利用申込, 利用調整 and 利用者負担
決定 (insurance-welfare-facts §9.2; docs/childcare.md).

Children and parents come from the registry's door (a child under 支援措置 is unknown to a caller
who may not see them, as the registry's own reads say; a sibling counted for the 多子軽減 is read
as a birth date only, never shown), the 所得割 from the tax app's door (``assessment.versions``:
the latest version of each parent's 個人住民税 of the 年度 the month follows). Every write is one
transaction with its events (outbox) and its audit row naming every child and parent it touched;
every read of a child's records is one audit row. Rows are only ever appended.

Bad input is every reason at once as ``CalculationRejected`` (``[{"field", "message"}]``): the
CLI prints them and exits 2, the API answers 422.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal

from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field

from yakuba.childcare.events import ALLOCATED, CERTIFIED, FEE_DECIDED
from yakuba.childcare.models import (
    AllocationResult,
    AllocationRun,
    Application,
    Capacity,
    Certification,
    Facility,
    FeeDetermination,
    Outcome,
)
from yakuba.childcare.rules import allocation, parameters
from yakuba.childcare.rules.ages import MONTH, class_age, fiscal_year_of, tax_year_for
from yakuba.childcare.rules.certification import KINDS, NEEDS, REASONS, CertificationRefused, Need, certify
from yakuba.childcare.rules.fees import FeeRefused, Household, monthly_fee
from yakuba.platform.audit.log import Action, record
from yakuba.platform.calculations import CalculationRejected
from yakuba.platform.linkage.outbox import emit_many
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.tax.services import assessment

PURPOSE = "子ども・子育て支援（保育）の認定・利用調整・利用者負担"
AtenaNo = Annotated[str, Field(pattern=r"^\d{1,15}$", title="宛名番号")]
Reason = Literal[tuple(REASONS)]
Hours = Annotated[int, Field(ge=0, le=744)]
_MONTH = re.compile(MONTH)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- 施設 and 定員 ------------------------------------------------------------------------------


class PlaceIn(_Strict):
    class_age: int = Field(ge=0, le=5, title="クラス年齢")
    places: int = Field(ge=0, le=999, title="受入可能数")


class FacilityIn(_Strict):
    code: str = Field(pattern=r"^[0-9A-Za-z-]{1,20}$", title="施設番号")
    name: str = Field(min_length=1, max_length=100, title="施設名")
    kind: str = Field("保育所", min_length=1, max_length=40, title="種別")
    fiscal_year: int = Field(ge=2015, le=2099, title="年度（受入可能数の）")
    places: list[PlaceIn] = Field(max_length=6, title="クラス年齢ごとの受入可能数")


def save_facility(body: FacilityIn) -> None:
    """Register a 施設 (or rename it) and set its 受入可能数 of the 年度 per クラス年齢 (a クラス年齢
    given twice is refused)."""
    seen: set[int] = set()
    for i, place in enumerate(body.places):
        if place.class_age in seen:
            _raise([{"field": f"places[{i}].class_age", "message": "同じクラス年齢が2回あります"}])
        seen.add(place.class_age)
    lg_code = require_tenant().lg_code
    with transaction.atomic(using=require_tenant().alias):
        facility, _ = Facility.objects.update_or_create(
            lg_code=lg_code, code=body.code, defaults={"name": body.name, "kind": body.kind}
        )
        for place in body.places:
            Capacity.objects.update_or_create(
                lg_code=lg_code,
                facility=facility,
                fiscal_year=body.fiscal_year,
                class_age=place.class_age,
                defaults={"places": place.places},
            )


@dataclass(frozen=True)
class FacilityLine:
    code: str
    name: str
    kind: str
    places: dict[int, int]  # クラス年齢 → 受入可能数 of the 年度


def facilities(fiscal_year: int) -> list[FacilityLine]:
    """Every 施設 with its 受入可能数 of the 年度 (two queries)."""
    places: dict[int, dict[int, int]] = defaultdict(dict)
    for facility_id, age, n in Capacity.objects.filter(fiscal_year=fiscal_year).values_list(
        "facility_id", "class_age", "places"
    ):
        places[facility_id][age] = n
    return [
        FacilityLine(f.code, f.name, f.kind, dict(sorted(places[f.id].items())))
        for f in Facility.objects.order_by("code")
    ]


# --- 支給認定 ----------------------------------------------------------------------------------


class ParentIn(_Strict):
    atena_no: Annotated[str, Field(pattern=r"^(\d{1,15})?$")] = Field(
        "", title="保護者の宛名番号（住民でなければ空）"
    )
    reason: Reason | None = Field(None, title="保育の必要性の事由")
    monthly_hours: Hours | None = Field(None, title="月の就労等の時間")
    birth_due: date | None = Field(None, title="出産（予定）日（妊娠・出産）")
    until: date | None = Field(None, title="事由の終わる日（育児休業・就学など）")


class CertificationIn(_Strict):
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


def _raise(errors: list[dict]) -> None:
    if errors:
        raise CalculationRejected(errors)


def _child(atena_no: str, protected: bool, errors: list[dict], field: str = "child_atena_no"):
    """The child's 住民票 today (masked for the caller), or ``None`` with an error on the field."""
    try:
        person = registry.get_resident(atena_no, visibility=registry.Visibility(protected=protected))
    except registry.NotFound:
        errors.append({"field": field, "message": f"宛名番号 {atena_no} の住民は見つかりません"})
        return None
    if person.birth_date is None:
        errors.append({"field": field, "message": "生年月日が不詳のため認定できません"})
        return None
    return person


def _certificate_rows(certificate_no: str) -> list[Certification]:
    return list(Certification.objects.filter(certificate_no=certificate_no).order_by("version"))


def _checked_certification(body: CertificationIn, protected: bool):
    errors: list[dict] = []
    child = _child(body.child_atena_no, protected, errors)
    for i, parent in enumerate(body.parents):
        if parent.atena_no and parent.atena_no == body.child_atena_no:
            errors.append({"field": f"parents[{i}].atena_no", "message": "子ども本人は保護者になれません"})
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
    return errors, decided, previous


def check_certification(body: CertificationIn, *, protected: bool = False) -> dict:
    """Every rule of a 認定 and what ``apply_certification`` would record (the 確認 screen): no
    lock, nothing written; every broken rule at once as ``CalculationRejected``."""
    errors, decided, previous = _checked_certification(body, protected)
    _raise(errors)
    return {
        "certificate_no": previous.certificate_no if previous else "",
        "kind": KINDS[decided.kind],
        "need": NEEDS.get(decided.need, "—"),
        "valid_from": decided.valid_from,
        "valid_until": decided.valid_until,
        "steps": decided.steps,
    }


def _next_no(model, field: str) -> str:
    """The next 8-digit number of ``field`` in the municipality (under a transaction lock)."""
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
            [f"{require_tenant().lg_code}/{model._meta.db_table}"],
        )
    last = model.objects.aggregate(last=Max(field))["last"]
    return f"{int(last or 0) + 1:08d}"


def _certification_out(row: Certification) -> CertificationOut:
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


def apply_certification(body: CertificationIn, *, protected: bool = False) -> CertificationOut:
    """Record a 認定 (new, or a new version of ``certificate_no``): one transaction with its
    event and its audit row naming the child and the parents."""
    errors, decided, previous = _checked_certification(body, protected)
    _raise(errors)
    parents = [
        {**p.model_dump(mode="json"), "need": need or ""}
        for p, need in zip(body.parents, decided.parent_needs, strict=False)
    ]
    with transaction.atomic(using=require_tenant().alias):
        number = previous.certificate_no if previous else _next_no(Certification, "certificate_no")
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
        data = {
            "atena_no": row.child_atena_no,
            "certificate_no": row.certificate_no,
            "version": row.version,
            "kind": row.kind,
            "need": row.need,
            "valid_from": row.valid_from.isoformat(),
            "valid_until": row.valid_until.isoformat(),
        }
        emit_many([(CERTIFIED, row.child_atena_no, data)])
        subjects = [row.child_atena_no, *(p.atena_no for p in body.parents if p.atena_no)]
        record(
            Action.CREATE,
            "childcare.certification",
            subjects=subjects,
            purpose=PURPOSE,
            detail={"certificate_no": number},
        )
    return _certification_out(row)


# --- 利用申込 ----------------------------------------------------------------------------------


class RankingParentIn(_Strict):
    reason: Reason | None = Field(None, title="事由（なし: 空）")
    detail: str = Field(
        "default", pattern=r"^[a-z_]{1,30}$", title="事由の程度（基準の行。就労: outside, home …）"
    )
    monthly_hours: Hours | None = Field(None, title="月の時間")
    days_per_week: Annotated[int, Field(ge=0, le=7)] | None = Field(None, title="週の日数")
    hours_per_day: Annotated[int, Field(ge=0, le=24)] | None = Field(None, title="1日の時間")
    hours_per_week: Annotated[int, Field(ge=0, le=168)] | None = Field(None, title="週の時間")


class ApplicationIn(_Strict):
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


def _month(text: str) -> date:
    year, month = (int(part) for part in text.split("-"))
    return date(year, month, 1)


def _latest_certification(certificate_no: str) -> Certification | None:
    return Certification.objects.filter(certificate_no=certificate_no).order_by("-version").first()


def _parent_atenas(cert: Certification) -> list[str]:
    return [p["atena_no"] for p in cert.parents if p.get("atena_no")]


@dataclass(frozen=True)
class _Tax:
    income_levy: int  # 父母の所得割 合算額 (before 税額控除)
    exempt: bool
    steps: list[str]


def household_tax(atena_nos: list[str], tax_year: int) -> _Tax | None:
    """The parents' 市町村民税 所得割 合算額 before the 税額控除 (the 調整控除 stays deducted:
    https://jadocz.com/doc/842588/ 「住宅ローン控除などの税額控除(調整控除は除く)は含みません」) and
    whether every one is 均等割 非課税, from the latest version of each one's 個人住民税 of the
    年度; ``None`` when one of them has no assessment of the 年度 (not yet decided, or taxed by
    another municipality)."""
    total, exempt, steps = 0, True, []
    for atena_no in atena_nos:
        found = assessment.versions(atena_no, tax_year)
        if not found:
            return None
        latest = found[-1]
        municipal = (latest.calculation_result or {}).get("municipal", {})
        levy = municipal.get("income_levy_before_credits", 0) - municipal.get("adjustment_credit", 0)
        total += levy
        exempt &= latest.non_taxable_per_capita
        steps.append(f"宛名番号 {atena_no}: {tax_year}年度 市町村民税所得割（税額控除前）{levy:,}円")
    return _Tax(total, exempt and bool(atena_nos), steps)


def _checked_application(body: ApplicationIn, protected: bool):
    errors: list[dict] = []
    cert = _latest_certification(body.certificate_no)
    if cert is None:
        errors.append(
            {"field": "certificate_no", "message": f"認定証番号 {body.certificate_no} の認定はありません"}
        )
        return errors, None, None, None, None
    if cert.kind == "1":
        errors.append({"field": "certificate_no", "message": "1号認定では保育所等の利用調整に申し込めません"})
    child = _child(cert.child_atena_no, protected, errors, "certificate_no")
    month = _month(body.month)
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
    tax = household_tax(_parent_atenas(cert), tax_year)
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
    _raise(errors)
    return {"score": scored.total, "class_age": applicant.class_age, "steps": [*tax.steps, *scored.steps]}


def apply_application(body: ApplicationIn, *, protected: bool = False) -> ApplicationOut:
    """Record a 利用申込 with its 所得割 (the tax door, the year the 入所月 follows) and its 指数."""
    errors, cert, applicant, scored, tax = _checked_application(body, protected)
    _raise(errors)
    with transaction.atomic(using=require_tenant().alias):
        row = Application.objects.create(
            lg_code=require_tenant().lg_code,
            application_no=_next_no(Application, "application_no"),
            certificate_no=cert.certificate_no,
            child_atena_no=cert.child_atena_no,
            month=_month(body.month),
            class_age=applicant.class_age,
            choices=body.choices,
            parents=[p.model_dump(mode="json") for p in body.parents],
            adjustments=body.adjustments,
            income_levy=tax.income_levy,
            children=body.children,
            applied_on=body.applied_on,
        )
        subjects = [row.child_atena_no, *_parent_atenas(cert)]
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


# --- 利用調整 ----------------------------------------------------------------------------------


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


def _places(month: date) -> dict[tuple[str, int], int]:
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
    if not _MONTH.match(month_text):
        raise CalculationRejected([{"field": "month", "message": "入所月は YYYY-MM で入力してください"}])
    month = _month(month_text)
    fiscal_year = fiscal_year_of(month.year, month.month)
    try:
        table = parameters.ranking_table(require_tenant().lg_code, fiscal_year)
    except (parameters.MissingTable, parameters.UnknownYear) as exc:
        raise CalculationRejected([{"field": "month", "message": str(exc)}]) from None
    rows = list(Application.objects.filter(month=month).order_by("application_no"))
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
        placed = allocation.allocate(applicants, _places(month), table)
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
    run = AllocationRun.objects.filter(id=run_id).first()
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


def latest_runs(limit: int = 24) -> list[tuple[int, str, int, int]]:
    """(run, 入所月 YYYY-MM, 内定, 保留) of the latest runs, newest first (one query)."""
    return [
        (r.id, r.month.strftime("%Y-%m"), r.offered, r.pending)
        for r in AllocationRun.objects.order_by("-id")[:limit]
    ]


# --- 利用者負担 決定 -----------------------------------------------------------------------------


class FeeDecisionIn(_Strict):
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
    births = registry.birth_dates_of(members)
    return [
        b
        for b in births.values()
        if b is not None and b < date(fiscal_year + 1, 4, 1) and class_age(b, fiscal_year) <= 17
    ]


def _months(cert: Certification, fiscal_year: int) -> list[date]:
    first = max(date(fiscal_year, 4, 1), cert.valid_from.replace(day=1))
    last = min(date(fiscal_year + 1, 3, 1), cert.valid_until.replace(day=1))
    months, day = [], first
    while day <= last:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def decide_fee(body: FeeDecisionIn, *, protected: bool = False) -> FeeDecisionOut:
    """The 利用者負担 of every month of the 年度 the 認定 covers: each month by the tax of the 年度
    it follows (April–August the previous, September–March the current); a month whose tax is
    not yet decided is left out and said so (the September decision covers it). Stored as one
    decision of ranges of equal amounts, with one event and one audit row, in one transaction."""
    errors: list[dict] = []
    cert = _latest_certification(body.certificate_no)
    if cert is None:
        _raise(
            [{"field": "certificate_no", "message": f"認定証番号 {body.certificate_no} の認定はありません"}]
        )
    child = _child(cert.child_atena_no, protected, errors, "certificate_no")
    months = _months(cert, body.fiscal_year)
    if not months:
        errors.append({"field": "fiscal_year", "message": f"{body.fiscal_year}年度は認定の有効期間外です"})
    _raise(errors)
    parents = _parent_atenas(cert)
    if len(parents) != len(cert.parents):
        _raise(
            [
                {
                    "field": "certificate_no",
                    "message": "宛名番号のない保護者がいるため課税情報から所得割を読めません",
                }
            ]
        )
    taxes = {year: household_tax(parents, year) for year in {tax_year_for(m.year, m.month) for m in months}}
    siblings = _siblings(child, parents, body.fiscal_year)
    lg_code = require_tenant().lg_code
    fees, left_out = [], []
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
                birth=child.birth_date,
                kind=cert.kind,
                need=cert.need or None,
                household=Household(body.welfare, tax.exempt, tax.income_levy),
                siblings=siblings,
            )
        except (FeeRefused, parameters.UnknownYear) as exc:
            pairs = getattr(exc, "errors", [("fiscal_year", str(exc))])
            _raise([{"field": f, "message": m} for f, m in pairs])
        fees.append((m, fee, tax))
    if not fees:
        _raise(
            [{"field": "fiscal_year", "message": "決定できる月がありません（" + "、".join(left_out) + "）"}]
        )
    ranges: list[list] = []
    for m, fee, tax in fees:
        key = (fee.tax_year, fee.tier, fee.base, fee.rank, fee.free, fee.amount)
        if ranges and ranges[-1][2] == key and ranges[-1][1].month % 12 + 1 == m.month:
            ranges[-1][1] = m
        else:
            ranges.append([m, m, key, [*tax.steps, *fee.steps]])
    today = timezone.localdate()
    with transaction.atomic(using=require_tenant().alias):
        number = _next_no(FeeDetermination, "decision_no")
        FeeDetermination.objects.bulk_create(
            FeeDetermination(
                lg_code=lg_code,
                decision_no=number,
                certificate_no=cert.certificate_no,
                child_atena_no=cert.child_atena_no,
                from_month=first,
                until_month=last,
                tax_year=key[0],
                tier=key[1],
                base=key[2],
                rank=key[3],
                free=key[4],
                amount=key[5],
                steps=steps,
                decided_on=today,
            )
            for first, last, key, steps in ranges
        )
        data = {
            "atena_no": cert.child_atena_no,
            "certificate_no": cert.certificate_no,
            "decision_no": number,
            "months": [
                {"from": f.strftime("%Y-%m"), "until": u.strftime("%Y-%m"), "amount": k[5]}
                for f, u, k, _s in ranges
            ],
        }
        emit_many([(FEE_DECIDED, cert.child_atena_no, data)])
        record(
            Action.CREATE,
            "childcare.fee",
            subjects=[cert.child_atena_no, *parents],
            purpose=PURPOSE,
            detail={"decision_no": number},
        )
    return FeeDecisionOut(
        decision_no=number,
        certificate_no=cert.certificate_no,
        child_atena_no=cert.child_atena_no,
        decided_on=today,
        ranges=[
            FeeRange(
                from_month=f.strftime("%Y-%m"),
                until_month=u.strftime("%Y-%m"),
                tax_year=k[0],
                tier=k[1],
                base=k[2],
                rank=k[3],
                free=k[4],
                amount=k[5],
                steps=s,
            )
            for f, u, k, s in ranges
        ],
        left_out=left_out,
    )


# --- 照会 ------------------------------------------------------------------------------------


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
        _certification_out(r)
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


__all__ = [
    "MONTH",
    "NEEDS",
    "ApplicationIn",
    "ApplicationOut",
    "CertificationIn",
    "CertificationOut",
    "ChildRecords",
    "FacilityIn",
    "FacilityLine",
    "FeeDecisionIn",
    "FeeDecisionOut",
    "ParentIn",
    "PlaceIn",
    "RankingParentIn",
    "RunOut",
    "allocation_run",
    "apply_application",
    "apply_certification",
    "check_application",
    "check_certification",
    "child_records",
    "decide_fee",
    "facilities",
    "latest_runs",
    "run_allocation",
    "save_facility",
]
