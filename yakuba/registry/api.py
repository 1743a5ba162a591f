"""Registry endpoints (CONTRACT "HTTP — Registry"): residents, history, search, households, moves."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Query, Router, Schema
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem, Problem
from yakuba.platform.audit.log import Action, audited, note
from yakuba.registry import services
from yakuba.registry.codes import MoveKind

router = Router(tags=["registry"])

Str40 = Annotated[str, StringConstraints(max_length=40)]
Str100 = Annotated[str, StringConstraints(max_length=100)]
Str200 = Annotated[str, StringConstraints(max_length=200)]
Number = Annotated[str, StringConstraints(pattern=r"^\d{2,15}$")]
ISODate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class ResidentOut(Schema):
    atena_no: str
    history_no: int
    setai_no: str
    resident_type: int
    status: int
    name: str
    name_kana: str
    former_surname: str
    former_surname_kana: str
    alias: str
    alias_kana: str
    birth_date: str = Field(description="YYYY-MM-DD、または不詳等の表記（例: 昭和35年1月上旬）")
    sex: int
    relationship: str
    postal_code: str
    address: str
    town_area: str
    block: str
    address_extra: str
    became_resident_on: date | None
    address_set_on: date | None
    notified_on: date | None
    previous_address: str
    domicile: str
    domicile_head: str
    juminhyo_code: str
    my_number: str | None = Field(
        None, description="registry:mynumber スコープと mynumber ゾーンのクライアントにのみ"
    )
    nationality: str
    residence_status: str
    residence_expiry: date | None
    residence_card_no: str
    planned_move_out_on: date | None
    destination_address: str
    removal_reason: str
    removed_on: date | None
    move_kind: str
    move_date: date
    processed_at: datetime


class HouseholdOut(Schema):
    setai_no: str
    head_atena_no: str
    address: str
    address_extra: str
    postal_code: str
    active: bool
    version: int
    members: list[ResidentOut]


def _visibility(request) -> services.Visibility:
    return services.Visibility(my_number=request.auth.may_see_my_number())


def _out(row, visibility: services.Visibility) -> dict:
    data = {f: getattr(row, f) for f in ResidentOut.model_fields if f not in ("birth_date", "my_number")}
    data["birth_date"] = row.birth_date.isoformat() if row.birth_date else row.birth_date_text
    data["my_number"] = services.my_number_of(row) if visibility.my_number else None
    if visibility.my_number and data["my_number"]:
        note(my_number_shown=True)
    return data


def _not_found() -> ApiProblem:
    return ApiProblem(404, "この URL にはリソースがありません")


@router.get(
    "registry/residents/{atena_no}",
    response={200: ResidentOut, **ERRORS},
    summary="住民票（現在または指定日）",
)
@tenant_endpoint("registry:read")
@audited(Action.READ, "resident", subject="atena_no")
def get_resident(request, atena_no: Number, lg_code: str = LG_CODE, as_of: date | None = None):
    visibility = _visibility(request)
    try:
        return _out(services.get_resident(atena_no, as_of=as_of, visibility=visibility), visibility)
    except services.NotFound:
        raise _not_found() from None


class HistoryOut(Schema):
    atena_no: str
    history: list[ResidentOut]


@router.get(
    "registry/residents/{atena_no}/history",
    response={200: HistoryOut, **ERRORS},
    summary="異動履歴（履歴番号順）",
)
@tenant_endpoint("registry:read")
@audited(Action.READ, "resident_history", subject="atena_no")
def get_history(request, atena_no: Number, lg_code: str = LG_CODE):
    visibility = _visibility(request)
    try:
        rows = services.history(atena_no, visibility=visibility)
    except services.NotFound:
        raise _not_found() from None
    return {"atena_no": atena_no, "history": [_out(r, visibility) for r in rows]}


class SearchOut(Schema):
    residents: list[ResidentOut]


class SearchParams(Schema):
    name_kana: Str100 = ""
    name: Str100 = ""
    birth_date: Str40 = Field("", description="YYYY-MM-DD、和暦（昭和35年1月7日）、略記（S35.1.7）")
    address: Str200 = ""
    atena_no: Annotated[str, StringConstraints(pattern=r"^(\d{2,15})?$")] = ""
    include_removed: bool = True
    limit: int = Field(50, ge=1, le=100)


@router.get("registry/residents", response={200: SearchOut, **ERRORS}, summary="住民検索（除票を含む）")
@tenant_endpoint("registry:read")
@audited(Action.SEARCH, "resident")
def search_residents(request, params: Query[SearchParams], lg_code: str = LG_CODE):
    visibility = _visibility(request)
    try:
        rows = services.search(services.SearchQuery(**params.dict()), visibility=visibility)
    except services.RuleViolation as exc:
        raise ApiProblem(422, "検索条件に誤りがあります", errors=_errors(exc)) from None
    note(
        subjects=[r.atena_no for r in rows],
        criteria={k: v for k, v in params.dict().items() if v not in ("", None)},
    )
    return {"residents": [_out(r, visibility) for r in rows]}


@router.get(
    "registry/households/{setai_no}",
    response={200: HouseholdOut, **ERRORS},
    summary="世帯（世帯員は標準の並び順）",
)
@tenant_endpoint("registry:read")
@audited(Action.READ, "household", subject="setai_no")
def get_household(request, setai_no: Number, lg_code: str = LG_CODE, as_of: date | None = None):
    visibility = _visibility(request)
    try:
        household, members = services.household_members(setai_no, as_of=as_of, visibility=visibility)
    except services.NotFound:
        raise _not_found() from None
    note(subjects=[m.atena_no for m in members])
    return {
        "setai_no": household.setai_no,
        "head_atena_no": household.head_atena_no,
        "address": household.address,
        "address_extra": household.address_extra,
        "postal_code": household.postal_code,
        "active": household.active,
        "version": household.version,
        "members": [_out(m, visibility) for m in members],
    }


# The 異動 input models are plain pydantic models: ninja's Schema wraps every nested object in
# a getter meant for ORM instances, which made validating a household's body some 30 times
# slower for nothing (the OpenAPI document is the same).


class AddressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    postal_code: Annotated[str, StringConstraints(pattern=r"^(\d{7}|\d{3}-\d{4})?$")] = ""
    town_area: Str100
    block: Annotated[str, StringConstraints(max_length=60)] = ""
    extra: Str100 = ""


class HouseholdIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    setai_no: Number | None = None
    address: AddressIn | None = None
    version: int | None = Field(None, ge=1, description="画面で読んだ世帯の版。違えば 409")
    new_head: Number | None = Field(None, description="世帯主が替わるときの新しい世帯主")
    relationships: dict[Number, Str40] | None = Field(
        None, description="世帯主が替わるときの各世帯員の新しい続柄"
    )


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    atena_no: Number | None = None
    name: Str100 | None = None
    name_kana: Str200 | None = None
    birth_date: Str40 | None = None
    sex: Literal[1, 2] | None = None
    relationship: Str40 | None = None
    relationship_documented: bool = True
    resident_type: Literal[1, 2] | None = None
    previous_address: Str200 | None = None
    my_number: Annotated[str, StringConstraints(pattern=r"^\d{12}$")] | None = None
    juminhyo_code: Annotated[str, StringConstraints(pattern=r"^\d{11}$")] | None = None
    domicile: Str200 | None = None
    domicile_head: Str100 | None = None
    nationality: Annotated[str, StringConstraints(max_length=60)] | None = None
    residence_status: Annotated[str, StringConstraints(max_length=60)] | None = None
    residence_expiry: ISODate | None = None
    residence_card_no: Annotated[str, StringConstraints(max_length=12)] | None = None
    former_surname: Annotated[str, StringConstraints(max_length=50)] | None = None
    former_surname_kana: Str100 | None = None
    alias: Str100 | None = None
    alias_kana: Str200 | None = None


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: MoveKind
    move_date: ISODate | None = None
    notified_date: ISODate | None = None
    origin: Literal["domestic", "abroad"] | None = None
    destination: Literal["domestic", "abroad"] | None = None
    planned_date: ISODate | None = None
    destination_address: Str200 | None = None
    household: HouseholdIn | None = None
    persons: list[PersonIn] = Field(default_factory=list, max_length=50)
    cancel_move_id: Annotated[str, StringConstraints(max_length=40)] | None = None


class MovedPerson(Schema):
    atena_no: str
    history_no: int


class MoveOut(Schema):
    move_id: str
    kind: str
    setai_no: str | None
    persons: list[MovedPerson]
    event_ids: list[str]
    warnings: list[str]


def _errors(exc: services.RuleViolation) -> list[dict]:
    return [{"field": f, "message": m} for f, m in exc.errors]


@router.post(
    "registry/moves",
    response={201: MoveOut, 409: Problem, **ERRORS},
    summary="異動（1件を1トランザクションで）",
)
@tenant_endpoint("registry:write")
def post_move(request, payload: MoveIn, lg_code: str = LG_CODE):
    body = payload.model_dump(exclude_none=True)
    try:
        result = services.apply_move(body)
    except services.RuleViolation as exc:
        raise ApiProblem(422, "異動の内容が規則に合いません", errors=_errors(exc)) from None
    except services.Conflict as exc:
        raise ApiProblem(409, str(exc)) from None

    return 201, {
        "move_id": str(result.move_id),
        "kind": result.kind,
        "setai_no": result.setai_no,
        "persons": [{"atena_no": a, "history_no": h} for a, h in result.persons],
        "event_ids": result.event_ids,
        "warnings": result.warnings,
    }
