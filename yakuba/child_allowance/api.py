"""児童手当 endpoints.

The calculation is a pure function: any valid token may call it, no municipality in the path,
nothing stored (contract §4.8, §9.5). The 受給 records of a municipality (contract §9.5.1):
``child_allowance:read`` reads a 受給者's 認定 with every amount period and the open work items;
``child_allowance:write`` records the 認定請求, the 額改定認定請求 and the 受給事由消滅届. A client
sees persons under 支援措置 only with ``registry:protected`` (as the registry's own reads).
"""

from dataclasses import asdict
from datetime import date
from typing import Annotated, Literal

from ninja import Query, Router
from pydantic import BaseModel, Field, StringConstraints

from yakuba.child_allowance.services import (
    AllowanceIn,
    AllowanceOut,
    CalculationRejected,
    ClaimIn,
    EndIn,
    RevisionIn,
    calculate_allowance,
    certification,
    lookup,
    revision,
)
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.platform.identity import scopes
from yakuba.platform.ui.insured import asked_cursor
from yakuba.registry.services import Visibility

READ = scopes.register("child_allowance:read", "児童手当の受給者・額の履歴・未受理の作業の参照")
WRITE = scopes.register("child_allowance:write", "児童手当の認定請求・額改定認定請求・受給事由消滅届の登録")

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["child_allowance"])


@calculations.post(
    "child/allowance/calculate",
    response={200: AllowanceOut, **ERRORS},
    summary="児童手当の月額を子ごとに計算する（第何子・支給対象・計算の過程つき）",
    openapi_extra={"x-business-rules": True},
)
def calculate_allowance_endpoint(request, body: AllowanceIn):
    try:
        return calculate_allowance(body)
    except CalculationRejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None


# --- the 受給 records of a municipality ---------------------------------------------------------

router = Router(tags=["child_allowance"])


class ChildOut(BaseModel):
    atena_no: str = Field(title="宛名番号（市外の子は空）")
    name: str = Field(title="氏名")
    birth_date: date = Field(title="生年月日")
    relationship: str = Field(title="続柄")
    cohabitation: str = Field(title="同居・別居（together／apart）")
    bears_costs: bool = Field(title="監護相当・生計費の負担の確認書")
    from_month: date = Field(title="算定開始月（1日）")
    until_month: date | None = Field(title="算定終了月（1日。算定中は null）")


class PeriodOut(BaseModel):
    from_month: date = Field(title="開始月（1日）")
    until_month: date | None = Field(title="終了月（1日、その月を含む。続いていれば null）")
    monthly_total: int = Field(title="月額の合計（円）")
    reason: str = Field(title="事由（certified, child_added, age, child_removed）")
    claimed_on: date | None = Field(title="請求日（認定・額改定認定請求）")
    children: list[dict] = Field(title="子ごとの順位・区分・月額")
    steps: list[str] = Field(title="計算の過程")


class EntitlementOut(BaseModel):
    id: int = Field(title="認定の番号")
    claimant_atena_no: str = Field(title="受給者の宛名番号")
    status: str = Field(title="状態（active 支給中／ended 消滅）")
    choice_basis: str = Field(title="受給者とした理由（income, only_parent, declared）")
    claimed_on: date = Field(title="請求日")
    certified_on: date = Field(title="認定日")
    first_month: date = Field(title="支給開始月（1日）")
    last_month: date | None = Field(title="支給終了月（1日）")
    end_reason: str = Field(title="消滅事由")
    children: list[ChildOut] = Field(title="算定対象の子")
    periods: list[PeriodOut] = Field(title="月額の履歴（新しい順）")


class WorkOut(BaseModel):
    id: int = Field(title="作業の番号（次のページは after=期限:番号）")
    kind: str = Field(title="種類（claim 認定請求 未受理／revision 額改定認定請求 未受理）")
    atena_no: str = Field(title="出生した子・転入した子の宛名番号")
    setai_no: str = Field(title="世帯番号")
    event: str = Field(title="異動（born, moved-in）")
    event_date: date = Field(title="異動日")
    deadline: date = Field(title="15日特例の期限")


Atena = Annotated[str, StringConstraints(pattern=r"^\d{1,15}$")]


class ClaimantQuery(BaseModel):
    claimant_atena_no: Atena = Field(title="受給者の宛名番号")


class WorkQuery(BaseModel):
    kind: Literal["claim", "revision"] = Field("claim", title="種類")
    after: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}:\d{1,15}$")] | None = Field(
        None, title="前のページの最後の行（期限:番号）"
    )


def _visibility(request) -> Visibility:
    return Visibility(protected=request.auth.has_scope("registry:protected"))


def _out(view: lookup.EntitlementView) -> EntitlementOut:
    return EntitlementOut.model_validate(asdict(view))


def _current(atena_no: str, request) -> EntitlementOut:
    try:
        return _out(lookup.entitlements_of(atena_no, visibility=_visibility(request))[0])
    except lookup.NotFound:
        raise ApiProblem(404, "この URL にはリソースがありません") from None


def _recorded(apply, body, request) -> EntitlementOut:
    """``apply(body)`` through the door, then the 受給者's record as it now is (422 naming each
    field of a refusal)."""
    try:
        apply(body, visibility=_visibility(request))
    except CalculationRejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
    return _current(body.claimant_atena_no, request)


@router.get(
    "child-allowance/entitlements",
    response={200: list[EntitlementOut], **ERRORS},
    summary="児童手当の受給者の認定（子・月額の履歴と計算の過程つき、新しい順）",
)
@tenant_endpoint(READ)
def get_entitlements(request, lg_code: str = LG_CODE, query: Query[ClaimantQuery] = None):
    try:
        views = lookup.entitlements_of(query.claimant_atena_no, visibility=_visibility(request))
    except lookup.NotFound:
        raise ApiProblem(404, "この URL にはリソースがありません") from None
    return [_out(v) for v in views]


@router.post(
    "child-allowance/claims",
    response={201: EntitlementOut, **ERRORS},
    summary="児童手当の認定請求を登録する（受給者の判定、支給開始月と15日特例、最初の月額）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(WRITE)
def post_claim(request, body: ClaimIn, lg_code: str = LG_CODE):
    return 201, _recorded(certification.certify, body, request)


@router.post(
    "child-allowance/revisions",
    response={201: EntitlementOut, **ERRORS},
    summary="児童手当の額改定認定請求を登録する（増えた子、15日特例、改定後の月額）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(WRITE)
def post_revision(request, body: RevisionIn, lg_code: str = LG_CODE):
    return 201, _recorded(revision.apply_revision, body, request)


@router.post(
    "child-allowance/endings",
    response={200: EntitlementOut, **ERRORS},
    summary="児童手当の受給事由消滅届を登録する（公務員になった・受給事由消滅届、その月まで支給）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(WRITE)
def post_ending(request, body: EndIn, lg_code: str = LG_CODE):
    return _recorded(revision.apply_end, body, request)


@router.get(
    "child-allowance/work-items",
    response={200: list[WorkOut], **ERRORS},
    summary="児童手当の未受理の作業（出生・転入の認定請求、額改定認定請求）、15日特例の期限の近い順に50件ずつ",
)
@tenant_endpoint(READ)
def get_work_items(request, lg_code: str = LG_CODE, query: Query[WorkQuery] = None):
    after = asked_cursor(query.after or "")
    rows, _next = lookup.work_page(
        query.kind, after=(after[0], int(after[1])) if after else None, visibility=_visibility(request)
    )
    return [
        WorkOut(
            id=r.id,
            kind=r.kind,
            atena_no=r.atena_no,
            setai_no=r.setai_no,
            event=r.event,
            event_date=r.event_date,
            deadline=r.deadline,
        )
        for r in rows
    ]
