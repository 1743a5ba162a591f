"""児童扶養手当 endpoints.

- The calculation is a pure function: any valid token may call it, no municipality in the path,
  nothing stored (contract §4.8, §9.6).
- The records of a municipality (``/api/v1/{lg_code}/child-support-allowance/…``): the 認定 of a
  受給者 with every 支給年度's versions (``child_support_allowance:read``), an 認定請求 and a
  現況届 (``child_support_allowance:write``), the 未提出 現況届 (read). A person under 支援措置 is
  found only by a client that also holds ``registry:protected`` (else 404, as the registry
  answers); the list of 未提出 shows them without 宛名番号 or name.
- A 年度's 手当額 registered from the 告示 (``…/child-support-allowance/amounts``): read with
  ``child_support_allowance:read``, a new version with ``child_support_allowance:amounts``.
"""

from datetime import date, datetime
from typing import Annotated

from ninja import Query, Router
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yakuba.child_support_allowance.access import AMOUNTS, READ, WRITE
from yakuba.child_support_allowance.services import (
    CalculationRejected,
    ChildIn,
    ClaimIn,
    FactsIn,
    Rejected,
    SupportAllowanceIn,
    SupportAllowanceOut,
    amounts,
    calculate_support_allowance,
    children,
    ending,
    entitlement,
    lookup,
    status_report,
)
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.platform.audit.log import current_actor
from yakuba.registry import services as registry

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["child_support_allowance"])


@calculations.post(
    "child/support-allowance/calculate",
    response={200: SupportAllowanceOut, **ERRORS},
    summary="児童扶養手当の手当月額を所得・扶養親族等の数から計算する（計算の過程つき）",
    openapi_extra={"x-business-rules": True},
)
def calculate_endpoint(request, body: SupportAllowanceIn):
    try:
        return calculate_support_allowance(body)
    except CalculationRejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None


# --- records of a municipality --------------------------------------------------------------------

router = Router(tags=["child_support_allowance"])
AtenaNo = Annotated[str, StringConstraints(pattern=r"^\d{1,15}$")]
PROTECTED = "registry:protected"


def _visibility(request) -> registry.Visibility:
    return registry.Visibility(protected=request.auth.has_scope(PROTECTED))


class PersonQuery(BaseModel):
    atena_no: AtenaNo = Field(title="受給者の宛名番号")


class PeriodOut(BaseModel):
    from_month: date = Field(title="開始月（1日）")
    until_month: date = Field(title="終了月（1日）")
    monthly_total: int = Field(title="手当月額")
    per_child: list[int] = Field(title="児童ごとの月額（第1子から）")


class DeterminationOut(BaseModel):
    benefit_year: int = Field(title="支給年度（11月の年）")
    version: int = Field(title="版")
    reason: str = Field(title="事由（certified / status_report / revised）")
    category: str = Field(title="支給区分（full / partial / stopped）")
    from_month: date
    until_month: date
    income_for_test: int = Field(title="所得額")
    income: dict = Field(title="所得の内訳（tax_year: 住民税の年度）")
    dependants: int = Field(title="扶養親族等の数")
    children: int = Field(title="対象児童の数")
    steps: list[str] = Field(title="計算の過程")
    note: str = Field(title="備考")
    periods: list[PeriodOut]
    amount_sources: list[dict] = Field(
        title="手当額の出典（from_month から: packaged 同梱データ / registered 登録した年度・版）"
    )


class EntitlementOut(BaseModel):
    id: int = Field(title="認定番号")
    claimant_atena_no: str
    claimant_kind: str = Field(title="受給者の区分（mother / father / caretaker）")
    ground: str = Field(title="受給資格の事由")
    children: list[str] = Field(title="対象児童の宛名番号（見られない方は空）")
    status: str = Field(title="状態（active / ended）")
    claimed_on: date
    certified_on: date
    first_month: date = Field(title="支給開始月")
    last_month: date | None = Field(title="支給終了月")
    end_reason: str
    determinations: list[DeterminationOut] = Field(title="支給年度ごとの決定（新しい年度・版から）")
    status_reports: list[tuple[int, date | None]] = Field(title="現況届（支給年度, 受付日）")


def _out(view) -> EntitlementOut:
    return EntitlementOut(
        id=view.id,
        claimant_atena_no=view.claimant_atena_no,
        claimant_kind=view.claimant_kind,
        ground=view.ground,
        children=[a for a, _n, _b in view.children],
        status=view.status,
        claimed_on=view.claimed_on,
        certified_on=view.certified_on,
        first_month=view.first_month,
        last_month=view.last_month,
        end_reason=view.end_reason,
        determinations=[_determination(d) for d in view.determinations],
        status_reports=view.reports,
    )


def _determination(d) -> DeterminationOut:
    return DeterminationOut(
        benefit_year=d.benefit_year,
        version=d.version,
        reason=d.reason,
        category=d.category,
        from_month=d.from_month,
        until_month=d.until_month,
        income_for_test=d.income_for_test,
        income=d.income,
        dependants=d.dependants,
        children=d.children,
        steps=d.steps,
        note=d.note,
        periods=[PeriodOut(**vars(p)) for p in d.periods],
        amount_sources=d.amount_sources,
    )


def _person(atena_no: str, visibility) -> list[EntitlementOut]:
    try:
        return [_out(v) for v in lookup.person(atena_no, visibility=visibility)]
    except registry.NotFound:
        raise ApiProblem(404, f"宛名番号 {atena_no} の方は見つかりません") from None


@router.get(
    "child-support-allowance/entitlements",
    response={200: list[EntitlementOut], **ERRORS},
    summary="児童扶養手当の認定と支給年度ごとの決定（1人、新しい認定から）",
)
@tenant_endpoint(READ)
def list_entitlements(request, lg_code: str = LG_CODE, query: Query[PersonQuery] = None):
    return _person(query.atena_no, _visibility(request))


@router.post(
    "child-support-allowance/entitlements",
    response={201: list[EntitlementOut], **ERRORS},
    summary="認定請求を登録し、支給開始月の支給年度の手当月額を決める",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(WRITE)
def post_claim(request, body: ClaimIn, lg_code: str = LG_CODE):
    visibility = _visibility(request)
    try:
        entitlement.apply_claim(body, visibility=visibility)
    except Rejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
    return 201, _person(body.claimant_atena_no, visibility)


class StatusReportIn(FactsIn):
    atena_no: AtenaNo = Field(title="受給者の宛名番号")
    benefit_year: int = Field(title="支給年度（その年の11月から）", ge=2019, le=2100)
    received_on: date = Field(title="受付日")


@router.post(
    "child-support-allowance/status-reports",
    response={201: DeterminationOut, **ERRORS},
    summary="現況届を受け付け、その支給年度（11月〜翌10月）の手当月額を決める",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(WRITE)
def post_status_report(request, body: StatusReportIn, lg_code: str = LG_CODE):
    facts = FactsIn(**body.model_dump(include=set(FactsIn.model_fields)))
    visibility = _visibility(request)
    try:
        row = status_report.record_report(
            body.atena_no, body.benefit_year, body.received_on, facts, visibility=visibility
        )
    except Rejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
    return 201, _determination(lookup.view_of(row))


@router.post(
    "child-support-allowance/children",
    response={201: list[EntitlementOut], **ERRORS},
    summary="額改定請求: 対象児童が増えたとき（請求の翌月から増額）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(WRITE)
def post_child(request, body: ChildIn, lg_code: str = LG_CODE):
    visibility = _visibility(request)
    try:
        children.add_child(body, visibility=visibility)
    except Rejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
    return 201, _person(body.atena_no, visibility)


class EndIn(BaseModel):
    atena_no: AtenaNo = Field(title="受給者の宛名番号")
    ended_on: date = Field(title="資格を喪失した日（婚姻・事実婚、監護しなくなった日など）")


@router.post(
    "child-support-allowance/endings",
    response={200: list[EntitlementOut], **ERRORS},
    summary="資格喪失届: 認定を消滅させる（喪失の日の属する月まで支給）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(WRITE)
def post_ending(request, body: EndIn, lg_code: str = LG_CODE):
    visibility = _visibility(request)
    try:
        ending.end_by_notice(body.atena_no, body.ended_on, visibility=visibility)
    except Rejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
    return _person(body.atena_no, visibility)


class OutstandingQuery(BaseModel):
    benefit_year: int = Field(title="支給年度", ge=2019, le=2100)
    after: int = Field(0, title="前のページの最後の番号", ge=0, le=2**62)


class OutstandingOut(BaseModel):
    report_id: int = Field(title="現況届の番号（次のページの after）")
    atena_no: str = Field(title="受給者の宛名番号（支援措置の対象者は空）")
    name: str
    first_month: date
    withheld: bool = Field(title="差止め中（11月を過ぎて未提出）")


@router.get(
    "child-support-allowance/status-reports",
    response={200: list[OutstandingOut], **ERRORS},
    summary="未提出の現況届（50件ずつ、番号の順）",
)
@tenant_endpoint(READ)
def list_outstanding(request, lg_code: str = LG_CODE, query: Query[OutstandingQuery] = None):
    rows = status_report.outstanding(query.benefit_year, after=query.after, visibility=_visibility(request))
    return [OutstandingOut(**vars(r)) for r in rows]


# --- a 年度's 手当額 registered from the 告示 (services/amounts.py) --------------------------------

FiscalYear = Annotated[int, Field(ge=2023, le=2099, title="年度（4月〜翌年3月、西暦）")]
Figures = amounts.AmountsIn


class YearQuery(BaseModel):
    fiscal_year: FiscalYear


class AmountsVersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int = Field(title="版")
    payload: Figures = Field(title="手当額・係数・所得制限限度額")
    source: str = Field(title="出典（告示・通知）")
    created_at: datetime = Field(title="登録日時")
    created_by: str = Field(title="登録者")


class AmountsOut(BaseModel):
    fiscal_year: int
    packaged: bool = Field(title="同梱データにある年度か（あれば同梱データが使われ、登録は使われない）")
    current: AmountsVersionOut = Field(title="現在の手当額（最新の版）")
    history: list[AmountsVersionOut] = Field(title="すべての版（新しい順）")


class AmountsIn(BaseModel):
    fiscal_year: FiscalYear
    # Not "payload": the platform's error paths drop that word as ninja's own (schema_errors).
    amounts: Figures = Field(title="手当額・係数・所得制限限度額（告示の額）")
    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] = Field(
        title="出典（告示・通知の名称と日付）"
    )


def _amounts(fiscal_year: int) -> AmountsOut:
    lines = amounts.history(fiscal_year)
    if not lines:
        raise ApiProblem(404, "この URL にはリソースがありません")
    versions = [AmountsVersionOut.model_validate(x) for x in lines]
    return AmountsOut(
        fiscal_year=fiscal_year, packaged=amounts.packaged(fiscal_year), current=versions[0], history=versions
    )


@router.get(
    "child-support-allowance/amounts",
    response={200: AmountsOut, **ERRORS},
    summary="児童扶養手当の年度の手当額（告示から登録したもの: 現在の版と履歴）",
)
@tenant_endpoint(READ)
def get_amounts(request, lg_code: str = LG_CODE, query: Query[YearQuery] = None):
    return _amounts(query.fiscal_year)


@router.post(
    "child-support-allowance/amounts",
    response={201: AmountsOut, **ERRORS},
    summary="児童扶養手当の年度の手当額を告示から登録・訂正する（新しい版を加える。係数は額と限度額から検算）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(AMOUNTS)
def post_amounts(request, body: AmountsIn, lg_code: str = LG_CODE):
    try:
        amounts.set_amounts(
            lg_code, body.fiscal_year, body.amounts.model_dump(mode="json"), body.source, current_actor()
        )
    except amounts.AmountsRejected as exc:
        # The figures' fields are under ``amounts``; the 年度 and the 出典 are the body's own.
        errors = [
            {**e, "field": e["field"] if e["field"] in ("fiscal_year", "source") else f"amounts.{e['field']}"}
            for e in exc.errors
        ]
        raise ApiProblem(422, "入力内容に誤りがあります", errors=errors) from None
    return 201, _amounts(body.fiscal_year)
