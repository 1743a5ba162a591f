"""Address master endpoints (docs/address.md, "API"): 町字 lookup, 郵便番号 → 住所, checks, loads."""

from datetime import date
from typing import Annotated, Literal

from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yakuba.address import access, services
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.platform.municipalities import lookup

router = Router(tags=["address"])

Postal = Annotated[str, StringConstraints(pattern=r"^\d{7}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=60)]


class TownAreaOut(Schema):
    name: str = Field(title="町字")
    name_kana: str = Field(title="町字カナ")
    postal_codes: list[str] = Field(title="郵便番号")
    addressing: Literal["residence", "lot"] = Field(title="住居表示（residence）・地番（lot）")
    block_from: int | None = Field(title="番地の範囲（始）")
    block_to: int | None = Field(title="番地の範囲（終）")
    town_area_id: str = Field(title="町字ID（アドレス・ベース・レジストリ）")
    effective_on: date | None = Field(title="施行日")
    abolished_on: date | None = Field(title="廃止日")
    source: Literal["postal", "file", "api"] = Field(title="出典")


class TownAreaPageOut(Schema):
    town_areas: list[TownAreaOut]
    next: str | None = Field(title="次のページ（after に渡す）")


class TownAreaParams(Schema):
    q: str = Field("", max_length=60, title="町字・カナの一部")
    postal_code: str = Field("", max_length=8, title="郵便番号")
    include_abolished: bool = Field(False, title="廃止した町字も含める")
    after: str = Field("", max_length=80, title="前のページの next")
    limit: int = Field(100, ge=1, le=500)


class PostalOut(Schema):
    postal_code: str
    municipality: str = Field(title="都道府県・市区町村（住所の先頭）")
    town_areas: list[TownAreaOut]


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    town_area: Name = Field(title="町字")
    block: str = Field("", max_length=60, title="番地・号")
    postal_code: str = Field("", max_length=8, title="郵便番号")
    on: date | None = Field(None, title="この日に有効な町字で確認（既定は今日）")


class CheckError(Schema):
    field: str
    message: str


class CheckOut(Schema):
    valid: bool
    errors: list[CheckError]
    address: str = Field(title="住所（方書を除く）")


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name = Field(title="町字")
    name_kana: str = Field("", max_length=120, title="町字カナ")
    postal_codes: list[Postal] = Field(default_factory=list, max_length=20, title="郵便番号")
    addressing: Literal["residence", "lot"] = Field("lot", title="住居表示（residence）・地番（lot）")
    block_from: int | None = Field(None, ge=1, le=99999, title="番地の範囲（始）")
    block_to: int | None = Field(None, ge=1, le=99999, title="番地の範囲（終）")
    town_area_id: Annotated[str, StringConstraints(pattern=r"^(\d{7})?$")] = Field("", title="町字ID")
    effective_on: date | None = Field(None, title="施行日")
    abolished_on: date | None = Field(None, title="廃止日")


class LoadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    town_areas: list[EntryIn] = Field(min_length=1, max_length=10_000)
    replace: bool = Field(False, title="ここにない現在の町字を廃止する")


class LoadOut(Schema):
    added: int
    changed: int
    unchanged: int
    abolished: int


@router.get(
    "address/town-areas",
    response={200: TownAreaPageOut, **ERRORS},
    summary="町字の一覧・検索（名前順、after で次のページ）",
)
@tenant_endpoint(access.READ)
def list_town_areas(request, params: Query[TownAreaParams], lg_code: str = LG_CODE):
    page = services.town_areas(
        q=params.q,
        postal=params.postal_code,
        include_abolished=params.include_abolished,
        after=params.after,
        limit=params.limit,
    )
    return {"town_areas": page.town_areas, "next": page.next}


@router.get(
    "address/postal-codes/{postal_code}",
    response={200: PostalOut, **ERRORS},
    summary="郵便番号から住所を補う（その郵便番号の町字）",
)
@tenant_endpoint(access.READ)
def postal(request, postal_code: Postal, lg_code: str = LG_CODE):
    found = services.by_postal_code(postal_code)
    if not found:
        raise Http404
    return {"postal_code": postal_code, "municipality": lookup(lg_code).full_name, "town_areas": found}


@router.post(
    "address/checks",
    response={200: CheckOut, **ERRORS},
    summary="住所が住所辞書にあるか確認する（記録はしない）",
)
@tenant_endpoint(access.READ)
def check(request, body: CheckIn, lg_code: str = LG_CODE):
    errors = services.check_address(body.town_area, body.block, body.postal_code, on=body.on)
    return {
        "valid": not errors,
        "errors": [{"field": f, "message": m} for f, m in errors],
        "address": f"{lookup(lg_code).full_name}{body.town_area.strip()}{body.block.strip()}",
    }


@router.put(
    "address/town-areas",
    response={200: LoadOut, **ERRORS},
    summary="町字を登録・更新する（replace で一覧にない町字を廃止）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(access.WRITE)
def put_town_areas(request, body: LoadIn, lg_code: str = LG_CODE):
    entries = [
        services.Entry(
            e.name.strip(),
            e.name_kana,
            tuple(e.postal_codes),
            services.Addressing(e.addressing),
            e.block_from,
            e.block_to,
            e.town_area_id,
            e.effective_on,
            e.abolished_on,
        )
        for e in body.town_areas
    ]
    problems = [
        {"field": f"town_areas[{i}].{f}", "message": m} for i, f, m in services.entry_problems(entries)
    ]
    if problems:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=problems)
    summary = services.load(entries, source=services.Source.API, replace=body.replace)
    return {
        "added": summary.added,
        "changed": summary.changed,
        "unchanged": summary.unchanged,
        "abolished": summary.abolished,
    }
