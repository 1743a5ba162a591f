"""選挙人名簿 endpoints (docs/elections.md, "API"): the roll as of a day as the contract's JSON
(contract §9.7) or CSV. Scope ``elections:read``; every roll is one audit row."""

from datetime import date
from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router
from pydantic import BaseModel, Field

from yakuba.elections import access, services, viewing_api
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE

router = Router(tags=["elections"])
router.add_router("", viewing_api.router)  # 抄本, 閲覧, 選挙の期間
CSV = "text/csv; charset=utf-8"


class VoterRollQuery(BaseModel):
    as_of: date = Field(title="基準とする日（その日の終わりの選挙人名簿）")
    format: Literal["json", "csv"] = Field("json", title="出力形式（json、csv: BOM 付き UTF-8）")


class VoterRollEntry(BaseModel):
    atena_no: str = Field(title="宛名番号")
    status: Literal["registered", "marked_moved_out", "marked_lost_suffrage"] = Field(
        title="状態（登録、表示（転出）、表示（選挙権を有しない旨））"
    )
    registered_on: date = Field(title="登録日")
    tohyoku: str = Field(title="投票区")
    moved_out_on: date | None = Field(title="転出日（表示のとき）")


class VoterRollOut(BaseModel):
    lg_code: str
    as_of: date
    entries: list[VoterRollEntry]


@router.get(
    "elections/roll",
    response={200: VoterRollOut, **ERRORS},
    summary="選挙人名簿（指定日の状態。抹消された人は含まない）",
    openapi_extra={"responses": {200: {"content": {CSV: {"schema": {"type": "string"}}}}}},
)
@tenant_endpoint(access.READ)
def get_roll(request, lg_code: str = LG_CODE, query: Query[VoterRollQuery] = None):
    made = services.roll(lg_code, query.as_of, output=query.format)
    if query.format == "json":
        return made.json
    response = HttpResponse(services.roll_text(made, "csv").encode(), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="voter-roll-{lg_code}-{query.as_of}.csv"'
    return response
