"""Statistics endpoints (docs/statistics.md, "API"; contract §4.9): the 住基年報 of contract §9.1
and the monthly tables, as JSON or — with ``format`` — the same CSV and XLSX files as the CLI.
Scope ``statistics:read``; every report is audited as an export."""

from datetime import date
from typing import Literal

from django.http import HttpResponse
from ninja import Path, Query, Router
from pydantic import BaseModel, Field

from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.statistics import access
from yakuba.statistics.services import BadRequest, files, month_bounds, monthly, population, pyramid

router = Router(tags=["statistics"])

Format = Literal["json", "csv", "xlsx"]
FORMAT = Field("json", title="出力形式（json、csv: 機械可読性ルールの CSV、xlsx: 調査票に似せた表）")


class BySex(BaseModel):
    male: int = Field(title="男")
    female: int = Field(title="女")
    total: int = Field(title="計")


class Recorded(BaseModel):
    move_in_domestic: int = Field(title="転入者数（国内）")
    move_in_abroad: int = Field(title="転入者数（国外）")
    birth: int = Field(title="出生者数")
    other: int = Field(title="その他の記載")
    total: int = Field(title="住民票記載数 計")


class Removed(BaseModel):
    move_out_domestic: int = Field(title="転出者数（国内）")
    move_out_abroad: int = Field(title="転出者数（国外）")
    death: int = Field(title="死亡者数")
    other: int = Field(title="その他の消除")
    total: int = Field(title="住民票消除数 計")


class Band(BySex):
    band: str = Field(title="年齢階級（0-4 … 95-99, 100+）")


class SurveyTable(BaseModel):
    population: BySex = Field(title="人口")
    households: int = Field(title="世帯数（複数国籍世帯は日本人住民・外国人住民の両方に、総計には1回）")
    recorded: Recorded = Field(title="住民票記載数")
    removed: Removed = Field(title="住民票消除数")
    natural_change: int = Field(title="自然増減（出生 − 死亡）")
    social_change: int = Field(title="社会増減（転入 + その他の記載 − 転出 − その他の消除）")
    age_bands: list[Band] = Field(title="年齢階級別人口")


class Period(BaseModel):
    from_: date = Field(alias="from", title="期間の初日")
    to: date = Field(title="期間の末日")


class Tables(BaseModel):
    total: SurveyTable = Field(title="総計")
    japanese: SurveyTable = Field(title="日本人住民")
    foreign: SurveyTable = Field(title="外国人住民")


class PopulationOut(BaseModel):
    lg_code: str
    as_of: date = Field(title="基準日（この日の始まりの住民基本台帳）")
    period: Period = Field(title="人口動態の期間（基準日の前日までの12か月）")
    tables: Tables


class PopulationQuery(BaseModel):
    as_of: date = Field(title="基準日（YYYY-MM-DD、全国調査は1月1日）")
    format: Format = FORMAT


class MonthlyQuery(BaseModel):
    month: str | None = Field(
        None, title="対象の月（YYYY-MM）: 町字別・年齢別はその月末現在、異動はその月の分"
    )
    as_of: date | None = Field(None, title="町字別・年齢別をこの日現在で（month の代わりに）")
    format: Format = FORMAT


class TownRow(BaseModel):
    town_area: str = Field(title="町字（空: 町字のない住所）")
    households: int = Field(title="世帯数")
    male: int
    female: int
    total: int
    japanese: int = Field(title="うち日本人住民")
    foreign: int = Field(title="うち外国人住民")


class AgeRow(BySex):
    age: str = Field(title="年齢（0 … 99, 100+）")


class FlowRow(BaseModel):
    flow: str = Field(title="記載・消除の事由")
    label: str
    japanese: BySex
    foreign: BySex
    total: BySex


class MonthlyOut(BaseModel):
    lg_code: str
    table: Literal["town", "age", "movements"]
    as_of: date | None = Field(None, title="基準日（町字別・年齢別）")
    period: Period | None = Field(None, title="期間（異動）")
    rows: list[TownRow] | list[AgeRow] | list[FlowRow]
    total: dict[str, int] | None = Field(None, title="合計（町字別・年齢別）")


# With ``format``, the 200 answer is the file instead of the JSON.
FILES = {
    "x-business-rules": True,
    "responses": {
        200: {
            "content": {
                files.CONTENT_TYPES["csv"]: {"schema": {"type": "string"}},
                files.CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
}


def _refused(exc: BadRequest) -> ApiProblem:
    return ApiProblem(422, errors=[{"field": exc.field, "message": exc.message}])


def _file(body: bytes, output: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=files.CONTENT_TYPES[output])
    response["Content-Disposition"] = f'attachment; filename="{name}.{output}"'
    return response


@router.get(
    "statistics/population",
    response={200: PopulationOut, **ERRORS},
    by_alias=True,
    summary="住民基本台帳に基づく人口、人口動態及び世帯数調査（総計・日本人住民・外国人住民）",
    openapi_extra=FILES,
)
@tenant_endpoint(access.READ)
def get_population(request, lg_code: str = LG_CODE, query: Query[PopulationQuery] = None):
    try:
        report = population.population_report(lg_code, query.as_of, output=query.format)
    except BadRequest as exc:
        raise _refused(exc) from None
    if query.format == "json":
        return report.json
    return _file(
        files.population_file(report, query.format), query.format, f"population-{lg_code}-{query.as_of}"
    )


@router.get(
    "statistics/monthly/{table}",
    response={200: MonthlyOut, **ERRORS},
    by_alias=True,
    exclude_none=True,
    summary="月次の人口表（town: 町字別人口・世帯数、age: 各歳男女別人口、movements: その月の異動）",
    openapi_extra=FILES,
)
@tenant_endpoint(access.READ)
def get_monthly(
    request,
    table: Literal["town", "age", "movements"] = Path(..., description="表"),
    lg_code: str = LG_CODE,
    query: Query[MonthlyQuery] = None,
):
    try:
        if (query.month is None) == (query.as_of is None) or (table == "movements" and query.as_of):
            raise BadRequest(
                "month",
                "month（YYYY-MM）を指定してください（町字別・年齢別は代わりに as_of も使えます）",
            )
        if query.month is not None:
            first, last = month_bounds(query.month)
        if table == "movements":
            data = monthly.movements_table(lg_code, first, last, output=query.format)
        else:
            make = monthly.town_table if table == "town" else monthly.age_table
            data = make(lg_code, query.as_of or monthly.as_of_month(last), output=query.format)
    except BadRequest as exc:
        raise _refused(exc) from None
    if query.format == "json":
        return data
    return _file(
        files.monthly_file(data, query.format),
        query.format,
        f"{table}-{lg_code}-{query.month or query.as_of}",
    )


class PyramidQuery(BaseModel):
    as_of: date = Field(title="基準日（YYYY-MM-DD）")
    format: Literal["png", "svg"] = Field("png", title="画像の形式")
    bands: int = Field(5, title="年齢の刻み（1: 各歳、5: 5歳階級）")
    compare: bool = Field(True, title="1年前の同じ日を輪郭で重ねる")


@router.get(
    "statistics/pyramid",
    response={200: None, **ERRORS},
    summary="人口ピラミッド（男女別・年齢別、1年前を輪郭で重ねた PNG または SVG）",
    openapi_extra={
        "x-business-rules": True,
        "responses": {
            200: {
                "description": "人口ピラミッドの画像",
                "content": {
                    files.CONTENT_TYPES["png"]: {"schema": {"type": "string", "format": "binary"}},
                    files.CONTENT_TYPES["svg"]: {"schema": {"type": "string"}},
                },
            }
        },
    },
)
@tenant_endpoint(access.READ)
def get_pyramid(request, lg_code: str = LG_CODE, query: Query[PyramidQuery] = None):
    try:
        body = pyramid.pyramid_image(
            lg_code, query.as_of, output=query.format, width=query.bands, compare=query.compare
        )
    except BadRequest as exc:
        raise _refused(exc) from None
    response = HttpResponse(body, content_type=files.CONTENT_TYPES[query.format])
    response["Content-Disposition"] = f'inline; filename="pyramid-{lg_code}-{query.as_of}.{query.format}"'
    return response
