"""就学 endpoints (docs/school_enrollment.md, "API"): the 学齢簿 as the contract's JSON.
Scope ``school_enrollment:read``; a client that also holds ``registry:protected`` sees the address
of a child under 支援措置 (services/roll.py). Every roll is one audit row; the address (CSV only) of a protected child needs that scope."""

from datetime import date
from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router
from pydantic import BaseModel, Field

from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.registry import services as registry
from yakuba.school_enrollment import access
from yakuba.school_enrollment.services import roll

router = Router(tags=["school_enrollment"])
CSV = "text/csv; charset=utf-8"


class RollQuery(BaseModel):
    entry_year: int = Field(ge=roll.FIRST_YEAR, le=roll.LAST_YEAR, title="入学する年（4月1日の年）")
    as_of: date | None = Field(None, title="基準日（省略時は今日。施行規則第31条では10月1日）")
    format: Literal["json", "csv"] = Field(
        "json", title="出力形式（json、csv: BOM 付き UTF-8、住所の列あり）"
    )


class Cohort(BaseModel):
    from_: date = Field(alias="from", title="この日以後に生まれた子（前々年4月2日）")
    to: date = Field(title="この日までに生まれた子（前年4月1日）")


class RollChild(BaseModel):
    atena_no: str = Field(title="宛名番号")
    birth_date: date = Field(title="生年月日")
    name: str = Field(title="氏名")
    guardian_atena_no: str = Field(title="保護者（世帯主）の宛名番号（本人が世帯主のときは空）")
    school: str = Field(title="指定学校（学齢簿の通学区域・指定校変更による。学齢簿にないときは空）")
    protected: bool = Field(title="支援措置対象")


class RollOut(BaseModel):
    lg_code: str
    entry_year: int
    cohort: Cohort
    children: list[RollChild]


@router.get(
    "school/roll",
    response={200: RollOut, **ERRORS},
    by_alias=True,
    summary="学齢簿（その年の4月1日に小学校へ入学する子ども）",
    openapi_extra={"responses": {200: {"content": {CSV: {"schema": {"type": "string"}}}}}},
)
@tenant_endpoint(access.READ)
def get_roll(request, lg_code: str = LG_CODE, query: Query[RollQuery] = None):
    visibility = registry.Visibility(protected=request.auth.has_scope("registry:protected"))
    made = roll.school_roll(
        lg_code, query.entry_year, as_of=query.as_of, visibility=visibility, output=query.format
    )
    if query.format == "json":
        return made.json
    response = HttpResponse(roll.roll_text(made, "csv").encode(), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="school-roll-{lg_code}-{query.entry_year}.csv"'
    return response
