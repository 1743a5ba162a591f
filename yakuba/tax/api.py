"""Tax endpoints (docs/tax.md, "API"). The 個人住民税 calculation is a pure function: any valid
token may call it, no municipality in the path, nothing stored (contract §4.8)."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Path, Query, Router
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yakuba.certificates.services import NotFound, RequesterInfo, RuleViolation
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.documents import SIGNED_PDF, certificate_pdf, refused
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.platform.audit.log import Action, audited
from yakuba.registry import services as registry
from yakuba.tax import access
from yakuba.tax.services import (
    CalculationRejected,
    ResidentTaxIn,
    ResidentTaxOut,
    assessment,
    calculate_resident_tax,
    certificate,
)

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["tax"])


@calculations.post(
    "tax/resident-tax/calculate",
    response={200: ResidentTaxOut, **ERRORS},
    summary="個人住民税を計算する（所得・控除・税額控除から年税額まで、計算過程つき）",
    openapi_extra={"x-business-rules": True},
)
def calculate_resident_tax_endpoint(request, body: ResidentTaxIn):
    try:
        return calculate_resident_tax(body)
    except CalculationRejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None


# --- assessments of a municipality (scopes tax:read, tax:write) ------------------------------

router = Router(tags=["tax"])

AtenaNo = Annotated[str, Path(pattern=r"^\d{2,15}$", description="宛名番号")]
PROTECTED = "registry:protected"  # the registry's scope for persons under 支援措置
ISSUE = "certificates:issue"  # the certificates app's scope: a certificate is issued and counted


class YearQuery(BaseModel):
    fiscal_year: int = Field(ge=2017, le=2026, title="年度（西暦）")


class InstallmentOut(BaseModel):
    month: str = Field(title="納期（年月）")
    way: Literal["payroll", "pension_provisional", "pension", "direct"] = Field(
        title="徴収方法（給与特徴・年金特徴の仮徴収・年金特徴の本徴収・普通徴収）"
    )
    amount: int = Field(title="税額")


class CollectionPartOut(BaseModel):
    way: Literal["payroll", "pension", "direct"] = Field(title="徴収方法")
    amount: int = Field(title="この方法で納める年税額")
    payer_no: str = Field(title="特別徴収義務者の指定番号（給与特徴）")
    first_year: bool = Field(title="年金特徴の初年度（前半は普通徴収）")
    refund: int = Field(title="仮徴収のうち年税額を超えた額（還付）")
    installments: list[InstallmentOut] = Field(title="この部分の納期")


class VersionOut(BaseModel):
    version: int = Field(title="版（1 が当初課税）")
    reason: Literal["initial", "correction", "cancellation"] = Field(title="事由")
    note: str = Field(title="更正・取消しの理由")
    collection: Literal["payroll", "direct", "pension", "none"] = Field(title="徴収方法")
    payer_no: str = Field(title="特別徴収義務者の指定番号")
    total_income: int = Field(title="合計所得金額")
    taxable_income: int = Field(title="課税総所得金額")
    municipal: int = Field(title="市町村民税")
    prefectural: int = Field(title="道府県民税")
    forest_environment_tax: int = Field(title="森林環境税")
    total: int = Field(title="年税額")
    non_taxable_per_capita: bool = Field(title="均等割が非課税")
    non_taxable_income_levy: bool = Field(title="所得割が非課税")
    installments: list[InstallmentOut] = Field(title="納期ごとの税額（年度の全納期、徴収方法つき）")
    parts: list[CollectionPartOut] = Field(title="徴収方法ごとの税額（給与特徴・年金特徴・普通徴収）")
    created_at: datetime


class AssessmentOut(BaseModel):
    atena_no: str
    fiscal_year: int
    versions: list[VersionOut] = Field(title="版（古い順）")


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fiscal_year: int = Field(ge=2017, le=2026, title="年度（西暦）")
    input: ResidentTaxIn = Field(title="更正後の計算の入力（contract §9.2）")
    note: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(title="更正の理由")


def _hidden(request, atena_no: str) -> bool:
    """A person under 支援措置 is unknown to a client without the registry's scope for them."""
    return not request.auth.has_scope(PROTECTED) and registry.is_protected(atena_no)


def _installments(rows) -> list[dict]:
    return [{"month": m, "way": w, "amount": a} for m, w, a in rows]


def _out(atena_no: str, fiscal_year: int, found: list) -> dict:
    return {
        "atena_no": atena_no,
        "fiscal_year": fiscal_year,
        "versions": [
            {
                **{k: getattr(v, k) for k in VersionOut.model_fields if k not in ("installments", "parts")},
                "installments": _installments(v.installments),
                "parts": [{**p, "installments": _installments(p["installments"])} for p in v.parts],
            }
            for v in found
        ],
    }


@router.get(
    "tax/assessments/{atena_no}",
    response={200: AssessmentOut, **ERRORS},
    summary="個人住民税の課税（版の履歴つき）",
)
@tenant_endpoint(access.READ)
@audited(Action.READ, "tax.assessment", subject="atena_no", purpose="個人住民税の課税情報の参照")
def get_assessment(request, atena_no: AtenaNo, lg_code: str = LG_CODE, query: Query[YearQuery] = None):
    found = [] if _hidden(request, atena_no) else assessment.versions(atena_no, query.fiscal_year)
    if not found:
        raise ApiProblem(404, "この URL にはリソースがありません")
    return _out(atena_no, query.fiscal_year, found)


@router.post(
    "tax/assessments/{atena_no}/corrections",
    response={201: AssessmentOut, **ERRORS},
    summary="個人住民税を更正する（新しい版を加える）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(access.WRITE)
def post_correction(request, atena_no: AtenaNo, body: CorrectionIn, lg_code: str = LG_CODE):
    if _hidden(request, atena_no):
        raise ApiProblem(404, "この URL にはリソースがありません")
    if body.input.fiscal_year != body.fiscal_year:
        raise ApiProblem(
            422,
            errors=[{"field": "input.fiscal_year", "message": "fiscal_year と同じ年度を指定してください"}],
        )
    try:
        assessment.correct(atena_no, body.fiscal_year, body.input.model_dump(mode="json"), note=body.note)
    except assessment.AssessmentMissing:
        raise ApiProblem(404, "この URL にはリソースがありません") from None
    except ValueError as exc:  # a reason of blanks only
        raise ApiProblem(422, errors=[{"field": "note", "message": str(exc)}]) from None
    except CalculationRejected as exc:
        raise ApiProblem(
            422,
            "入力内容に誤りがあります",
            errors=[{**e, "field": f"input.{e['field']}"} for e in exc.errors],
        ) from None
    return 201, _out(atena_no, body.fiscal_year, assessment.versions(atena_no, body.fiscal_year))


# --- 所得・課税証明書 (docs/tax.md#certificate; scopes tax:read and certificates:issue) ----------


class CertificateRequesterIn(BaseModel):
    """Who asked: the taxpayer, a member of the taxpayer's 世帯 or a proxy (地方税法 §22)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["self", "household", "agent"] = Field(title="請求者の区分（本人・同一世帯の者・代理人）")
    atena_no: Annotated[str, StringConstraints(pattern=r"^(\d{2,15})?$")] = Field(
        "", title="請求者の宛名番号（本人・同一世帯の者）"
    )
    name: Annotated[str, StringConstraints(max_length=100)] = Field("", title="代理人の氏名")


class IncomeCertificateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    atena_no: Annotated[str, StringConstraints(pattern=r"^\d{2,15}$")] = Field(title="証明する方の宛名番号")
    fiscal_year: int = Field(ge=2017, le=2026, title="年度（西暦）")
    requester: CertificateRequesterIn
    power_of_attorney: bool = Field(False, title="代理人の請求で委任状を確認した")
    fee_exempt_reason: Annotated[str, StringConstraints(max_length=100)] = Field("", title="手数料免除の理由")


@router.post(
    "tax/certificates",
    response={200: None, **ERRORS},
    summary="所得・課税証明書を発行する（署名付き PDF、ヘッダ X-Certificate-Number に証明書番号）",
    openapi_extra=SIGNED_PDF,
)
@tenant_endpoint(access.READ)
def issue_income_certificate(request, body: IncomeCertificateIn, lg_code: str = LG_CODE):
    """One certificate as one transaction with the certificates machinery (its 交付履歴 and
    print audit); 422 with every reason; a person under 支援措置 only on their own request."""
    if not request.auth.has_scope(ISSUE):
        raise ApiProblem(403, f"スコープ {ISSUE} が必要です")
    requester = RequesterInfo(
        type=body.requester.type, atena_no=body.requester.atena_no, name=body.requester.name
    )
    try:
        issued = certificate.issue(
            body.atena_no,
            body.fiscal_year,
            requester=requester,
            visibility=registry.Visibility(protected=request.auth.has_scope(PROTECTED)),
            power_of_attorney=body.power_of_attorney,
            fee_exempt_reason=body.fee_exempt_reason,
        )
    except NotFound:
        raise ApiProblem(404, "この URL にはリソースがありません") from None
    except RuleViolation as exc:
        raise refused(exc.errors) from None
    return certificate_pdf(issued.pdf, issued.number)
