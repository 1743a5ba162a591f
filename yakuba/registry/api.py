"""Registry endpoints (docs/reference/contract.md#http-registry): residents, history, search, households, moves."""

from dataclasses import asdict
from datetime import date
from typing import Annotated, Literal, get_type_hints

from django.http import HttpResponse
from ninja import Header, Query, Router, Schema
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem, Problem
from yakuba.platform.audit.log import Action, audited, note
from yakuba.registry import services
from yakuba.registry.access import ADDRESS_OVERRIDE, PROTECTED
from yakuba.registry.codes import ConsultedBody, ProtectionKind
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
    return services.Visibility(
        my_number=client.may_see_my_number(),
        protected=client.has_scope(PROTECTED),
        unlisted_address=client.has_scope(ADDRESS_OVERRIDE),
    )


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
    head_name: Str100 = Field("", description="世帯主の氏名（前方一致）：その世帯の現在の世帯員")
    head_name_kana: Str100 = Field("", description="世帯主の氏名フリガナ（前方一致）：その世帯の現在の世帯員")
    former_surname: Str100 = Field("", description="旧氏（前方一致）")
    former_surname_kana: Str100 = Field("", description="旧氏フリガナ（前方一致）")
    alias: Str100 = Field("", description="通称（前方一致）")
    alias_kana: Str100 = Field("", description="通称フリガナ（前方一致）")
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
    move_no: str = Field(description="異動番号（処理年-連番）。職員が読み、処理票に印字する番号")
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
def post_move(
    request,
    response: HttpResponse,
    payload: MoveRequest,
    lg_code: str = LG_CODE,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
):
    """With an ``Idempotency-Key`` header, a retry with the same key and body answers the first
    result again (header ``Idempotent-Replayed: true``) and files nothing; the same key with
    another body is 422 (docs/reference/contract.md#idempotency)."""
    try:
        result = services.apply_move(
            payload, visibility=_visibility(request), idempotency_key=idempotency_key
        )
    except services.NotFound:
        raise _not_found() from None
    except services.RuleViolation as exc:
        raise ApiProblem(422, "異動の内容が規則に合いません", errors=_errors(exc)) from None
    except services.Conflict as exc:
        raise ApiProblem(409, str(exc)) from None

    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    return 201, {
        "move_id": str(result.move_id),
        "move_no": result.move_no,
        "kind": result.kind,
        "setai_no": result.setai_no,
        "persons": [{"atena_no": a, "history_no": h} for a, h in result.persons],
        "event_ids": result.event_ids,
        "warnings": result.warnings,
    }


# --- 支援措置 (docs/reference/contract.md#http-protection: scope registry:protection) ---------


class OffenderIn(BaseModel):
    """加害者 (the 申出書's items); all optional."""

    model_config = ConfigDict(extra="forbid")
    name: Str100 = Field("", title="加害者の氏名")
    name_kana: Str100 = Field("", title="加害者の氏名フリガナ")
    birth_date: date | None = Field(None, title="加害者の生年月日")
    address: Str200 = Field("", title="加害者の住所")
    relation: Str40 = Field("", title="申出者との関係（例: 元夫）")


class OpinionIn(BaseModel):
    """The 相談機関等's 意見 that confirms the need (until received: 仮支援措置)."""

    model_config = ConfigDict(extra="forbid")
    body: ConsultedBody | Literal[""] = Field("", title="相談機関等")
    body_name: Str100 = Field("", title="相談機関等の名称")
    requested_on: date | None = Field(None, title="意見を求めた日")
    received_on: date | None = Field(None, title="意見を受けた日")


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
    offender: OffenderIn = Field(default_factory=OffenderIn, title="加害者")
    opinion: OpinionIn = Field(default_factory=OpinionIn, title="相談機関等の意見")


class OffenderOut(Schema):
    name: str
    name_kana: str
    birth_date: date | None
    address: str
    relation: str


class OpinionOut(Schema):
    body: str
    body_name: str
    requested_on: date | None
    received_on: date | None


class ProtectionOut(Schema):
    protection_id: str
    atena_no: str
    kind: str
    provisional: bool
    covered_atena_nos: list[str]
    start_date: date
    end_date: date
    offender: OffenderOut
    opinion: OpinionOut


class ProtectionListOut(Schema):
    protections: list[ProtectionOut]


def _protection_out(measure: services.Measure) -> dict:
    return {
        "protection_id": measure.protection_id,
        "atena_no": measure.atena_no,
        "kind": measure.kind,
        "provisional": measure.provisional,
        "covered_atena_nos": list(measure.covered_atena_nos),
        "start_date": measure.start_date,
        "end_date": measure.end_date,
        "offender": asdict(measure.offender),
        "opinion": asdict(measure.opinion),
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
            offender=services.Offender(**payload.offender.model_dump()),
            opinion=services.Opinion(**payload.opinion.model_dump()),
        )
    )
    return 201, _protection_out(measure)


class ExpiringParams(Schema):
    ends_from: date = Field(title="終了日（から）")
    ends_to: date = Field(title="終了日（まで）")


@router.get(
    "registry/protections",
    response={200: ProtectionListOut, **ERRORS},
    summary="期間が終了する支援措置の一覧（延長・終了していないもの）",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint("registry:protection")
def expiring_protections(request, params: Query[ExpiringParams], lg_code: str = LG_CODE):
    if params.ends_to < params.ends_from or (params.ends_to - params.ends_from).days > 366:
        raise ApiProblem(
            422,
            "期間は1年以内で指定してください",
            errors=[{"field": "ends_to", "message": "期間は1年以内です"}],
        )
    return {"protections": [_protection_out(m) for m in services.expiring(params.ends_from, params.ends_to)]}


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
