"""選管 endpoints beside the roll (docs/elections.md "Screens"; added to the elections router of
``api.py``): the 抄本 (PDF/CSV), the elections fixed, the 閲覧の申出 and their 審査, the 閲覧の状況.

The 閲覧 itself is in person at the 選管's office (photo ID, copying by hand; civil-facts §1.6),
so it is a screen, not an endpoint. Reads take ``elections:read``; recording a 申出, a 審査 or an
election takes ``elections:viewing``. A refused input is 422 naming each field.
"""

from datetime import date
from typing import Annotated, Literal

from django.http import HttpResponse
from ninja import Query, Router
from pydantic import BaseModel, Field, StringConstraints

from yakuba.elections import access
from yakuba.elections.services import extract, periods, viewing
from yakuba.platform import pdf
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.platform.identity import scopes

router = Router(tags=["elections"])
VIEWING = scopes.register("elections:viewing", "選挙人名簿抄本の閲覧の申出・審査と選挙の期間の登録")
CSV = "text/csv; charset=utf-8"
Atena = Annotated[str, StringConstraints(pattern=r"^\d{1,15}$")]
Name = Annotated[str, StringConstraints(max_length=100)]
PrecinctName = Annotated[str, StringConstraints(max_length=40)]


def _refused(errors: list[tuple[str, str]]) -> ApiProblem:
    return ApiProblem(422, "入力内容に誤りがあります", errors=[{"field": f, "message": m} for f, m in errors])


class ExtractQuery(BaseModel):
    as_of: date = Field(title="基準とする日")
    tohyoku: str | None = Field(None, max_length=40, title="投票区名（省略時はすべて）")
    format: Literal["pdf", "csv"] = Field("pdf", title="出力形式")
    for_viewing: bool = Field(False, title="閲覧用（支援措置の対象者を載せない）")


@router.get(
    "elections/extract",
    response={200: str, **ERRORS},
    summary="選挙人名簿抄本（投票区ごと。氏名・住所・性別・生年月日）",
    openapi_extra={
        "x-business-rules": True,  # an unknown 投票区, a day in the future: 422
        "responses": {
            200: {
                "content": {
                    pdf.PDF_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}},
                    CSV: {"schema": {"type": "string"}},
                }
            }
        },  # fmt: skip
    },
)
@tenant_endpoint(access.READ)
def get_extract(request, lg_code: str = LG_CODE, query: Query[ExtractQuery] = None):
    try:
        body, _made = extract.print_extract(
            query.as_of, tohyoku=query.tohyoku, output=query.format, for_viewing=query.for_viewing
        )
    except extract.ExtractRefused as exc:
        raise _refused([(exc.field, exc.message)]) from None
    response = HttpResponse(body, content_type=pdf.PDF_CONTENT_TYPE if query.format == "pdf" else CSV)
    response["Content-Disposition"] = (
        f'attachment; filename="senkyoninmeibo-shohon-{query.as_of}.{query.format}"'
    )
    return response


class PeriodIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, title="選挙の名称")
    announced_on: date = Field(title="公示・告示日")
    election_day: date = Field(title="選挙期日")


class PeriodOut(PeriodIn):
    blackout_until: date = Field(title="閲覧できない期間の最終日（選挙期日後5日）")


def _period(p) -> PeriodOut:
    return PeriodOut(
        name=p.name, announced_on=p.announced_on, election_day=p.election_day, blackout_until=p.blackout_until
    )


@router.get(
    "elections/periods", response={200: list[PeriodOut], **ERRORS}, summary="登録された選挙（新しい順）"
)
@tenant_endpoint(access.READ)
def get_periods(request, lg_code: str = LG_CODE):
    return [_period(p) for p in periods.periods()]


@router.post(
    "elections/periods",
    response={201: PeriodOut, **ERRORS},
    summary="選挙（公示・告示日と選挙期日）を登録する",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(VIEWING)
def post_period(request, body: PeriodIn, lg_code: str = LG_CODE):
    try:
        return 201, _period(periods.add_period(body.name, body.announced_on, body.election_day))
    except periods.PeriodRefused as refused:
        raise _refused(refused.errors) from None


class ViewingIn(BaseModel):
    purpose: Literal["check", "political", "research"] = Field(title="閲覧の目的")
    requester_name: str = Field(max_length=100, title="申出者の氏名・名称")
    requester_address: str = Field(max_length=200, title="申出者の住所・所在地")
    representative: str = Field("", max_length=100, title="代表者")
    viewing_on: date = Field(title="閲覧日")
    purpose_detail: str = Field("", max_length=2000, title="目的の具体的な内容（利用目的の概要）")
    viewers: list[Name] = Field([], max_length=20, title="閲覧者の氏名")
    persons: list[Atena] = Field([], max_length=50, title="登録を確認する者の宛名番号（登録の確認）")
    precincts: list[PrecinctName] = Field([], max_length=100, title="閲覧する投票区（政治活動・調査研究）")


class ViewingOut(BaseModel):
    id: int
    purpose: str = Field(title="閲覧の目的")
    requester_name: str = Field(title="申出者の氏名・名称")
    representative: str = Field(title="代表者")
    viewing_on: date = Field(title="閲覧日")
    precincts: list[str] = Field(title="閲覧する投票区")
    decision: Literal["pending", "allowed", "refused"] = Field(title="審査（審査中・承認・不承認）")
    decided_on: date | None = Field(title="審査日")
    refusal_reason: str = Field(title="不承認の理由")
    shown: int = Field(title="閲覧させた人数")
    viewed: bool = Field(title="閲覧済み")


def _viewing(v: viewing.ViewingRecord) -> ViewingOut:
    return ViewingOut(**{k: getattr(v, k) for k in ViewingOut.model_fields})


class ViewingsQuery(BaseModel):
    after: int | None = Field(None, ge=1, title="前のページの最後の申出の id")


class ViewingsOut(BaseModel):
    viewings: list[ViewingOut]
    next_after: int | None = Field(title="次のページ（after に渡す）")


@router.get(
    "elections/viewings",
    response={200: ViewingsOut, **ERRORS},
    summary="選挙人名簿抄本の閲覧の申出（新しい順）",
)
@tenant_endpoint(access.READ)
def get_viewings(request, lg_code: str = LG_CODE, query: Query[ViewingsQuery] = None):
    page, after = viewing.listing(after=query.after)
    return ViewingsOut(viewings=[_viewing(v) for v in page], next_after=after)


@router.post(
    "elections/viewings",
    response={201: ViewingOut, **ERRORS},
    summary="選挙人名簿抄本の閲覧の申出を受け付ける（目的・記載事項・閲覧できない期間の審査つき）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(VIEWING)
def post_viewing(request, body: ViewingIn, lg_code: str = LG_CODE):
    req = viewing.Request(
        purpose=body.purpose,
        requester_name=body.requester_name,
        requester_address=body.requester_address,
        viewing_on=body.viewing_on,
        purpose_detail=body.purpose_detail,
        representative=body.representative,
        viewers=tuple(body.viewers),
        persons=tuple(body.persons),
        precincts=tuple(body.precincts),
    )
    try:
        return 201, _viewing(viewing.apply_request(req))
    except viewing.ViewingRefused as refused:
        raise _refused(refused.errors) from None


class DecisionIn(BaseModel):
    allowed: bool = Field(title="承認するとき true")
    refusal_reason: str = Field("", max_length=2000, title="不承認の理由")


@router.post(
    "elections/viewings/{viewing_id}/decision",
    response={200: ViewingOut, **ERRORS},
    summary="閲覧の申出を審査する（承認・不承認）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(VIEWING)
def post_decision(request, viewing_id: int, body: DecisionIn, lg_code: str = LG_CODE):
    try:
        return _viewing(viewing.decide(viewing_id, allowed=body.allowed, reason=body.refusal_reason))
    except viewing.ViewingNotFound:
        raise ApiProblem(404, "この URL にはリソースがありません") from None
    except viewing.ViewingRefused as refused:
        raise _refused(refused.errors) from None


class PublishedQuery(BaseModel):
    start: date = Field(alias="from", title="閲覧日の始め")
    to: date = Field(title="閲覧日の終わり")


@router.get(
    "elections/viewings/published",
    response={200: str, **ERRORS},
    summary="選挙人名簿抄本の閲覧の状況（公表用 CSV。公職選挙法第28条の4）",
    openapi_extra={
        "x-business-rules": True,  # to before from is a 422
        "responses": {200: {"content": {CSV: {"schema": {"type": "string"}}}}},
    },
)
@tenant_endpoint(access.READ)
def get_published(request, lg_code: str = LG_CODE, query: Query[PublishedQuery] = None):
    if query.to < query.start:
        raise _refused([("to", f"from（{query.start}）より前の日です")])
    response = HttpResponse(viewing.published(query.start, query.to), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="etsuran-jokyo-{query.start}-{query.to}.csv"'
    return response
