"""Registry endpoints (docs/reference/contract.md#http-registry): residents, history, search, households, moves."""

from datetime import date
from typing import Annotated, get_type_hints

from ninja import Query, Router, Schema
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem, Problem
from yakuba.platform.audit.log import Action, audited, note
from yakuba.registry import services
from yakuba.registry.access import PROTECTED
from yakuba.registry.codes import ProtectionKind
from yakuba.registry.services import MoveRequest

router = Router(tags=["registry"])

Str40 = Annotated[str, StringConstraints(max_length=40)]
Str100 = Annotated[str, StringConstraints(max_length=100)]
Str200 = Annotated[str, StringConstraints(max_length=200)]
Number = Annotated[str, StringConstraints(pattern=r"^\d{2,15}$")]


# The resident JSON (docs/reference/contract.md#resident-json) is the door's ResidentRecord as
# the contract writes it: the same items, named once there; 生年月日 as one text (ISO or the 不詳
# text); 個人番号 and the protection flag with who may see them.
_AS_WRITTEN = {
    "birth_date": (str, Field(description="YYYY-MM-DD、または不詳等の表記（例: 昭和35年1月上旬）")),
    "domicile": (str, ...),
    "domicile_head": (str, ...),
    "juminhyo_code": (str, ...),
    "my_number": (
        str | None,
        Field(None, description="registry:mynumber スコープと mynumber ゾーンのクライアントにのみ"),
    ),
    "protected": (
        bool,
        Field(
            False,
            description="支援措置の対象者（registry:protected スコープのクライアントにのみ true が見える）",
        ),
    ),
}
_RECORD_TYPES = get_type_hints(services.ResidentRecord)
ResidentOut = create_model(
    "ResidentOut",
    __base__=Schema,
    **{
        name: _AS_WRITTEN.get(name, (_RECORD_TYPES[name], ...))
        for name in services.ResidentRecord.__dataclass_fields__
        if name not in ("birth_date_text", "has_my_number")
    },
)


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
    client = request.auth
    return services.Visibility(my_number=client.may_see_my_number(), protected=client.has_scope(PROTECTED))


def _out(record: services.ResidentRecord) -> dict:
    data = {f: getattr(record, f) for f in ResidentOut.model_fields if f != "birth_date"}
    data["birth_date"] = record.birth
    if record.my_number:
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
    try:
        return _out(services.get_resident(atena_no, as_of=as_of, visibility=_visibility(request)))
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
    try:
        rows = services.history(atena_no, visibility=_visibility(request))
    except services.NotFound:
        raise _not_found() from None
    return {"atena_no": atena_no, "history": [_out(r) for r in rows]}


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
    try:
        rows = services.search(services.SearchQuery(**params.dict()), visibility=_visibility(request))
    except services.RuleViolation as exc:
        raise ApiProblem(422, "検索条件に誤りがあります", errors=_errors(exc)) from None
    note(
        subjects=[r.atena_no for r in rows],
        criteria={k: v for k, v in params.dict().items() if v not in ("", None)},
    )
    return {"residents": [_out(r) for r in rows]}


@router.get(
    "registry/households/{setai_no}",
    response={200: HouseholdOut, **ERRORS},
    summary="世帯（世帯員は標準の並び順）",
)
@tenant_endpoint("registry:read")
@audited(Action.READ, "household", subject="setai_no")
def get_household(request, setai_no: Number, lg_code: str = LG_CODE, as_of: date | None = None):
    try:
        household = services.household(setai_no, as_of=as_of, visibility=_visibility(request))
    except services.NotFound:
        raise _not_found() from None
    note(subjects=[m.atena_no for m in household.members])
    return {
        "setai_no": household.setai_no,
        "head_atena_no": household.head_atena_no,
        "address": household.address,
        "address_extra": household.address_extra,
        "postal_code": household.postal_code,
        "active": household.active,
        "version": household.version,
        "members": [_out(m) for m in household.members],
    }


# The 異動 body is the service's typed request (``services.move_request``): one plain pydantic
# model per kind, joined on ``kind`` — plain models, because ninja's Schema wraps every nested
# object in a getter meant for ORM instances, which made validating a household's body some 30
# times slower for nothing.


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
def post_move(request, payload: MoveRequest, lg_code: str = LG_CODE):
    try:
        result = services.apply_move(payload, visibility=_visibility(request))
    except services.NotFound:
        raise _not_found() from None
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


# --- 支援措置 (docs/reference/contract.md#http-protection: scope registry:protection) ---------


class ProtectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: ProtectionKind
    start_date: date
    end_date: date | None = Field(None, description="省略時は支援措置1年、仮支援措置30日")
    provisional: bool = False
    covered_atena_nos: list[Number] = Field(
        default_factory=list, max_length=20, description="併せて支援を求める者の宛名番号"
    )
    summary: Str200 = Field("", description="申出の概要")


class ProtectionOut(Schema):
    protection_id: str
    atena_no: str
    kind: str
    provisional: bool
    covered_atena_nos: list[str]
    start_date: date
    end_date: date


def _protection_out(measure: services.Measure) -> dict:
    return {
        "protection_id": measure.protection_id,
        "atena_no": measure.atena_no,
        "kind": measure.kind,
        "provisional": measure.provisional,
        "covered_atena_nos": list(measure.covered_atena_nos),
        "start_date": measure.start_date,
        "end_date": measure.end_date,
    }


def _protection_call(call):
    try:
        return call()
    except services.NotFound:
        raise _not_found() from None
    except services.RuleViolation as exc:
        raise ApiProblem(422, "支援措置の内容に誤りがあります", errors=_errors(exc)) from None


@router.post(
    "registry/residents/{atena_no}/protection",
    response={201: ProtectionOut, **ERRORS},
    summary="支援措置を設定する",
)
@tenant_endpoint("registry:protection")
def set_protection(request, atena_no: Number, payload: ProtectionIn, lg_code: str = LG_CODE):
    measure = _protection_call(
        lambda: services.set_measure(
            atena_no,
            starts_on=payload.start_date,
            kind=payload.kind,
            provisional=payload.provisional,
            ends_on=payload.end_date,
            covered=payload.covered_atena_nos,
            summary=payload.summary,
        )
    )
    return 201, _protection_out(measure)


ProtectionId = Annotated[
    str, StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]


@router.post(
    "registry/residents/{atena_no}/protection/{protection_id}/extend",
    response={201: ProtectionOut, **ERRORS},
    summary="支援措置を1年延長する（終了日の1か月前から）",
)
@tenant_endpoint("registry:protection")
def extend_protection(request, atena_no: Number, protection_id: ProtectionId, lg_code: str = LG_CODE):
    measure = _protection_call(lambda: services.extend_measure(protection_id, atena_no=atena_no))
    return 201, _protection_out(measure)


@router.post(
    "registry/residents/{atena_no}/protection/{protection_id}/end",
    response={200: ProtectionOut, **ERRORS},
    summary="支援措置を本日で終了する",
)
@tenant_endpoint("registry:protection")
def end_protection(request, atena_no: Number, protection_id: ProtectionId, lg_code: str = LG_CODE):
    return _protection_out(_protection_call(lambda: services.end_measure(protection_id, atena_no=atena_no)))
