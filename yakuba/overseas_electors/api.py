"""在外選挙人名簿 endpoints (docs/overseas_electors.md, "API"): the book as of a day in keyset pages,
one entry with its history, the two kinds of 登録申請, registration and 抹消. Scopes
``overseas_electors:read`` / ``:write``; a broken rule is a 422 naming its field; every read and
write is one audit row (the door's)."""

import functools
from dataclasses import asdict
from datetime import date
from typing import Literal

from ninja import Query, Router
from pydantic import BaseModel, Field

from yakuba.overseas_electors import access, services
from yakuba.overseas_electors.services import queries
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem

router = Router(tags=["overseas_electors"])
RULES = {"x-business-rules": True}


def _rules(endpoint):
    """A broken rule of the door (``services.Refused``) as a 422 naming each field."""

    @functools.wraps(endpoint)
    def wrapper(*args, **kwargs):
        try:
            return endpoint(*args, **kwargs)
        except services.Refused as refused:
            errors = [{"field": f, "message": m} for f, m in refused.errors]
            raise ApiProblem(422, "在外選挙人名簿の規則に合いません", errors=errors) from None

    return wrapper


class BookQuery(BaseModel):
    as_of: date = Field(title="基準とする日（その日の終わりの在外選挙人名簿）")
    after: str = Field("", max_length=12, pattern=r"^\d*$", title="この在外選挙人証番号の次から")
    limit: int = Field(100, ge=1, le=1000, title="件数")


class BookLine(BaseModel):
    card_no: str = Field(title="在外選挙人証番号")
    atena_no: str = Field(title="宛名番号（本籍地で登録した人は空）")
    name: str = Field(title="氏名")
    birth_date: date = Field(title="生年月日")
    basis: Literal["last_address", "domicile"] = Field(title="登録の根拠（最終住所地、本籍地）")
    mission: str = Field(title="在外公館")
    registered_on: date = Field(title="登録日")
    came_home_on: date | None = Field(title="国内住所を定めた日（表示）")


class BookOut(BaseModel):
    lg_code: str
    as_of: date
    entries: list[BookLine]
    next_after: str = Field(title="続きを読むときの after（最後なら空）")


@router.get(
    "overseas-electors/book", response={200: BookOut, **ERRORS}, summary="在外選挙人名簿（指定日の状態）"
)
@tenant_endpoint(access.READ)
def get_book(request, lg_code: str = LG_CODE, query: Query[BookQuery] = None):
    lines, after = queries.book(query.as_of, after=query.after, limit=query.limit)
    return {
        "lg_code": lg_code,
        "as_of": query.as_of,
        "entries": [asdict(x) for x in lines],
        "next_after": after,
    }


class DepartureBody(BaseModel):
    atena_no: str = Field(min_length=1, max_length=15, title="宛名番号")
    applied_on: date = Field(title="申請日（国外への転出届の日から転出予定日まで）")
    agent_name: str = Field("", max_length=100, title="受任者の氏名（本人が申請するときは空）")
    statement: bool = Field(False, title="申請者本人が署名した申出書の提示（受任者による申請）")


class MissionBody(BaseModel):
    applied_on: date = Field(title="申請日")
    name: str = Field("", max_length=100, title="氏名（宛名番号があれば省略可）")
    birth_date: date | None = Field(None, title="生年月日（宛名番号があれば省略可）")
    domicile: str = Field("", max_length=200, title="本籍")
    mission: str = Field(max_length=100, title="在外公館")
    overseas_address: str = Field(max_length=200, title="国外の住所")
    arrived_on: date | None = Field(None, title="管轄区域内に住所を定めた日")
    atena_no: str = Field("", max_length=15, title="宛名番号（最終住所地がこの市区町村の人）")
    left_japan_on: date | None = Field(
        None, title="国外へ転出した日（宛名番号がないとき。国内に住んだことがなければ省略）"
    )
    domestic_address: str = Field("", max_length=200, title="最終住所（宛名番号がないとき）")


class ApplicationOut(BaseModel):
    id: int
    kind: Literal["departure", "mission"]
    status: Literal["pending", "registered", "refused"]
    basis: Literal["last_address", "domicile"]
    registrable_from: date = Field(title="登録できる最初の日")


def _application(row) -> dict:
    return {"id": row.pk, "kind": row.kind, "status": row.status, "basis": row.basis,
            "registrable_from": services.registrable_from(row)}  # fmt: skip


@router.post("overseas-electors/applications/departure", response={201: ApplicationOut, **ERRORS},
             summary="出国時申請", openapi_extra=RULES)  # fmt: skip
@tenant_endpoint(access.WRITE)
@_rules
def post_departure(request, body: DepartureBody, lg_code: str = LG_CODE):
    return 201, _application(services.apply_departure(services.DepartureIn(**body.model_dump())))


@router.post("overseas-electors/applications/mission", response={201: ApplicationOut, **ERRORS},
             summary="在外公館申請（在外公館から送付されたもの）", openapi_extra=RULES)  # fmt: skip
@tenant_endpoint(access.WRITE)
@_rules
def post_mission(request, body: MissionBody, lg_code: str = LG_CODE):
    return 201, _application(services.apply_mission(services.MissionIn(**body.model_dump())))


class RegisterBody(BaseModel):
    application_id: int = Field(ge=1, title="申請のID")
    on: date = Field(title="登録日")
    mission: str = Field("", max_length=100, title="在外公館（在留届で確認したもの。省略時は申請のもの）")
    overseas_address: str = Field("", max_length=200, title="国外の住所（省略時は申請のもの）")


class EntryOut(BaseModel):
    card_no: str
    registered_on: date
    struck_off_on: date | None
    struck_off_reason: str


def _entry(row) -> dict:
    return {"card_no": row.card_no, "registered_on": row.registered_on, "struck_off_on": row.struck_off_on,
            "struck_off_reason": row.struck_off_reason}  # fmt: skip


@router.post("overseas-electors/entries", response={201: EntryOut, **ERRORS}, summary="在外選挙人名簿への登録",
             openapi_extra=RULES)  # fmt: skip
@tenant_endpoint(access.WRITE)
@_rules
def post_entry(request, body: RegisterBody, lg_code: str = LG_CODE):
    return 201, _entry(services.register(services.Registration(**body.model_dump())))


class StrikeOffBody(BaseModel):
    card_no: str = Field(min_length=1, max_length=12, title="在外選挙人証番号")
    on: date = Field(title="抹消日")
    reason: Literal["died", "nationality", "came_home", "wrong"] = Field(
        title="抹消の事由（公職選挙法第30条の11）"
    )


@router.post("overseas-electors/strike-off", response={200: EntryOut, **ERRORS}, summary="在外選挙人名簿からの抹消",
             openapi_extra=RULES)  # fmt: skip
@tenant_endpoint(access.WRITE)
@_rules
def post_strike_off(request, body: StrikeOffBody, lg_code: str = LG_CODE):
    return _entry(services.strike_off(body.card_no, body.on, body.reason))


class CameHomeBody(BaseModel):
    card_no: str = Field(min_length=1, max_length=12, title="在外選挙人証番号")
    came_home_on: date = Field(title="国内住所を定めた日（戸籍の附票の記載）")


@router.post("overseas-electors/came-home", response={200: EntryOut, **ERRORS},
             summary="国内に住所を定めた旨の表示（4か月経過後に抹消）", openapi_extra=RULES)  # fmt: skip
@tenant_endpoint(access.WRITE)
@_rules
def post_came_home(request, body: CameHomeBody, lg_code: str = LG_CODE):
    return _entry(services.mark_came_home(body.card_no, body.came_home_on))
