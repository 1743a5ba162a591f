"""The 異動 as a typed request: one frozen model per kind of 異動 (住民記録システム標準仕様書 §1.2.2).

The API takes it as its body (so the OpenAPI document shows each kind with its own fields) and
the staff screens build it from what the clerk typed; ``apply_move`` and ``check_move`` only read
it. The schema holds the shape (types, lengths, which items a kind takes); the rules of the
standard — and their Japanese messages — stay in the service, so an item the service reports as
missing is optional here. The JSON accepted is the one documented in
docs/reference/contract.md#move-json.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from yakuba.platform import schema_errors
from yakuba.registry.codes import Channel, IdentityDocument, MoveKind, NotifierKind
from yakuba.registry.errors import RuleViolation
from yakuba.registry.services.validation import (
    BAD_DATE,
    BAD_MY_NUMBER,
    BAD_RESIDENT_TYPE,
    BAD_SEX,
    iso_date_problem,
)

Str40 = Annotated[str, StringConstraints(max_length=40)]
Str100 = Annotated[str, StringConstraints(max_length=100)]
Str200 = Annotated[str, StringConstraints(max_length=200)]
Number = Annotated[str, StringConstraints(pattern=r"^\d{2,15}$")]
Origin = Literal["domestic", "abroad"]
MoveId = Annotated[str, StringConstraints(max_length=40)]


def _iso_date(value: Any) -> Any:
    """Dates travel as YYYY-MM-DD (a date object from the screens); the message is the one the
    service gave before the schema parsed dates."""
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str) and iso_date_problem(value) is None:
        return date.fromisoformat(value)
    raise PydanticCustomError("iso_date", BAD_DATE.replace("{}", "{value}"), {"value": str(value)})


ISODate = Annotated[date, BeforeValidator(_iso_date)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- parts ------------------------------------------------------------------------------------


class AddressIn(_Frozen):
    """住所: 町字 from the municipality's table plus 番地・号 and 方書 (§1.1.12)."""

    model_config = ConfigDict(title="住所")
    postal_code: Annotated[str, StringConstraints(pattern=r"^(\d{7}|\d{3}-\d{4})?$")] = Field(
        "", title="郵便番号"
    )
    town_area: Str100 = Field(title="町字")
    block: Annotated[str, StringConstraints(max_length=60)] = Field("", title="番地・号")
    extra: Str100 = Field("", title="方書")
    unlisted: bool = Field(
        False,
        title="住所辞書にない住所（職権）",
        description="住所辞書にない住所を職権で記載する。registry:address-override スコープ（画面では管理者）が必要で、記録に残る",
    )


class NotifierIn(_Frozen):
    """届出人 and 本人確認 (住民基本台帳法 第26条・第27条): who filed the 異動, how, and the
    document checked. The rules (委任状 for a 代理人, 郵送 only for 転出 …) are the service's."""

    model_config = ConfigDict(title="届出人")
    kind: NotifierKind | None = Field(None, title="届出人の区分")
    name: Str100 = Field("", title="届出人の氏名", description="本人のときは省略できる")
    relation: Str40 = Field("", title="本人との関係（例: 妻、母）")
    address: Str200 = Field("", title="届出人の住所（代理人のとき）")
    power_of_attorney: bool = Field(False, title="委任状あり")
    identity_document: IdentityDocument | None = Field(None, title="本人確認書類")
    identity_note: Str100 = Field("", title="本人確認の補足（例: 2点目の書類）")
    channel: Channel = Field(Channel.COUNTER, title="届出の方法")


class HouseholdIn(_Frozen):
    model_config = ConfigDict(title="世帯")
    setai_no: Number | None = Field(None, title="世帯番号")
    address: AddressIn | None = Field(None, title="住所")
    version: int | None = Field(None, ge=1, title="世帯の版", description="画面で読んだ世帯の版。違えば 409")
    new_head: Number | None = Field(
        None, title="新しい世帯主", description="世帯主が替わるときの新しい世帯主"
    )
    relationships: dict[Number, Str40] | None = Field(
        None, title="新しい続柄", description="世帯主が替わるときの各世帯員の新しい続柄"
    )


class PersonIn(_Frozen):
    """A person of the 異動: named by 宛名番号, with the items that are recorded or change."""

    model_config = ConfigDict(title="対象者")
    atena_no: Number | None = Field(None, title="宛名番号")
    name: Str100 | None = Field(None, title="氏名")
    name_kana: Str200 | None = Field(None, title="氏名フリガナ")
    birth_date: Str40 | None = Field(
        None, title="生年月日", description="YYYY-MM-DD、または不詳等の表記（例: 昭和35年1月上旬）"
    )
    sex: Literal[1, 2] | None = Field(None, title="性別")
    relationship: Str40 | None = Field(None, title="続柄")
    relationship_documented: bool = Field(True, title="続柄の確認書類あり")
    resident_type: Literal[1, 2] | None = Field(None, title="住民種別")
    previous_address: Str200 | None = Field(None, title="転入前住所")
    my_number: Annotated[str, StringConstraints(pattern=r"^\d{12}$")] | None = Field(None, title="個人番号")
    juminhyo_code: Annotated[str, StringConstraints(pattern=r"^\d{11}$")] | None = Field(
        None, title="住民票コード"
    )
    domicile: Str200 | None = Field(None, title="本籍")
    domicile_head: Str100 | None = Field(None, title="筆頭者")
    nationality: Annotated[str, StringConstraints(max_length=60)] | None = Field(None, title="国籍・地域")
    residence_status: Annotated[str, StringConstraints(max_length=60)] | None = Field(None, title="在留資格")
    residence_expiry: ISODate | None = Field(None, title="在留期間等の満了の日")
    residence_card_no: Annotated[str, StringConstraints(max_length=12)] | None = Field(
        None, title="在留カード等の番号"
    )
    former_surname: Annotated[str, StringConstraints(max_length=50)] | None = Field(None, title="旧氏")
    former_surname_kana: Str100 | None = Field(None, title="旧氏フリガナ")
    alias: Str100 | None = Field(None, title="通称")
    alias_kana: Str200 | None = Field(None, title="通称フリガナ")

    def items(self) -> dict:
        """The items given (None = not given), as the field rules (``validate_person``) read them."""
        return self.model_dump(exclude_none=True)


class NewPersonIn(PersonIn):
    """A person recorded by this 異動 (転入, 出生, 職権記載): 住民種別 decides the items (§1.1)."""

    model_config = ConfigDict(title="記載する人")
    resident_type: Literal[1, 2] = Field(title="住民種別", description="1 日本人 / 2 外国人")


Persons = Annotated[list[PersonIn], Field(default_factory=list, max_length=50, title="対象者")]
NewPersons = Annotated[list[NewPersonIn], Field(default_factory=list, max_length=50, title="記載する人")]


# -- one model per kind ------------------------------------------------------------------------


class _Move(_Frozen):
    """What every 異動 carries: 異動日 (required except for 取消し; checked by the service so the
    message is the standard one) and 届出日."""

    move_date: ISODate | None = Field(None, title="異動日")
    notified_date: ISODate | None = Field(None, title="届出日")
    household: HouseholdIn | None = Field(None, title="世帯")
    persons: Persons
    notifier: NotifierIn | None = Field(None, title="届出人・本人確認")
    confirm_duplicates: bool = Field(
        False,
        title="同一人でないことを確認済み",
        description="記載する人と氏名・生年月日が同じ住民がいるとき、同一人でないことを確認して記載する",
    )
    # Items of other kinds: accepted (and not used) as when every kind shared one body, so that
    # no client that sends them is refused; each kind that uses one declares it (and the
    # OpenAPI document shows it) there.
    origin: SkipJsonSchema[Origin | None] = None
    destination: SkipJsonSchema[Origin | None] = None
    planned_date: SkipJsonSchema[ISODate | None] = None
    destination_address: SkipJsonSchema[Str200 | None] = None
    cancel_move_id: SkipJsonSchema[MoveId | None] = None

    @property
    def household_or_empty(self) -> HouseholdIn:
        return self.household or _NO_HOUSEHOLD

    def audit_json(self) -> dict:
        """The request as filed, for the 異動's row: without 個人番号 (kept only encrypted on the
        person, 番号法 第12条 安全管理措置)."""
        data = self.model_dump(mode="json", exclude_none=True)
        for p in data.get("persons") or []:
            if p.get("my_number"):
                p["my_number"] = "********"
        return data


_NO_HOUSEHOLD = HouseholdIn()


class MoveInRequest(_Move):
    model_config = ConfigDict(title="転入")
    kind: Literal["move_in"] = Field(title="異動の種類")
    origin: Origin | None = Field(None, title="転入元")
    persons: NewPersons


class ExOfficioRecordRequest(_Move):
    model_config = ConfigDict(title="職権記載")
    kind: Literal["ex_officio_record"] = Field(title="異動の種類")
    origin: Origin | None = Field(None, title="転入元")
    persons: NewPersons


class BirthRequest(_Move):
    model_config = ConfigDict(title="出生")
    kind: Literal["birth"] = Field(title="異動の種類")
    persons: NewPersons


class MoveOutRequest(_Move):
    model_config = ConfigDict(title="転出")
    kind: Literal["move_out"] = Field(title="異動の種類")
    destination: Origin | None = Field(None, title="転出先")
    planned_date: ISODate | None = Field(None, title="転出予定日")
    destination_address: Str200 | None = Field(None, title="転出先住所")


class MoveWithinRequest(_Move):
    model_config = ConfigDict(title="転居")
    kind: Literal["move_within"] = Field(title="異動の種類")


class DeathRequest(_Move):
    model_config = ConfigDict(title="死亡")
    kind: Literal["death"] = Field(title="異動の種類")


class HouseholdSplitRequest(_Move):
    model_config = ConfigDict(title="世帯分離")
    kind: Literal["household_split"] = Field(title="異動の種類")


class HouseholdMergeRequest(_Move):
    model_config = ConfigDict(title="世帯合併")
    kind: Literal["household_merge"] = Field(title="異動の種類")


class HeadChangeRequest(_Move):
    model_config = ConfigDict(title="世帯主変更")
    kind: Literal["head_change"] = Field(title="異動の種類")


class HouseholdChangeRequest(_Move):
    model_config = ConfigDict(title="世帯変更")
    kind: Literal["household_change"] = Field(title="異動の種類")


class ExOfficioModifyRequest(_Move):
    model_config = ConfigDict(title="職権修正")
    kind: Literal["ex_officio_modify"] = Field(title="異動の種類")


class ExOfficioRemoveRequest(_Move):
    model_config = ConfigDict(title="職権消除")
    kind: Literal["ex_officio_remove"] = Field(title="異動の種類")


class CorrectionRequest(_Move):
    model_config = ConfigDict(title="誤記修正")
    kind: Literal["correction"] = Field(title="異動の種類")


class FormerSurnameRequest(_Move):
    model_config = ConfigDict(title="旧氏の記載・削除")
    kind: Literal["former_surname"] = Field(title="異動の種類")


class AliasRequest(_Move):
    model_config = ConfigDict(title="通称の記載・削除")
    kind: Literal["alias"] = Field(title="異動の種類")


class CancelRequest(_Move):
    model_config = ConfigDict(title="異動の取消し")
    kind: Literal["cancel"] = Field(title="異動の種類")
    cancel_move_id: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        None, title="取り消す異動"
    )


MoveRequest = Annotated[
    Union[  # noqa: UP007 — a Union reads as the list of kinds in the OpenAPI document
        MoveInRequest,
        MoveOutRequest,
        MoveWithinRequest,
        BirthRequest,
        DeathRequest,
        HouseholdSplitRequest,
        HouseholdMergeRequest,
        HeadChangeRequest,
        HouseholdChangeRequest,
        ExOfficioRecordRequest,
        ExOfficioModifyRequest,
        ExOfficioRemoveRequest,
        CorrectionRequest,
        FormerSurnameRequest,
        AliasRequest,
        CancelRequest,
    ],
    Field(discriminator="kind"),
]
_ADAPTER: TypeAdapter = TypeAdapter(MoveRequest)
schema_errors.register_union(MoveRequest)  # the kind is the union's branch, not a field (API bodies)

# What the schema refuses, in the service's words where the registry says it its own way; the
# rest are the platform's messages (yakuba.platform.schema_errors).
_MESSAGES = {
    "union_tag_invalid": "異動の種類が正しくありません: {tag!r}",
    "union_tag_not_found": "異動の種類が正しくありません: None",
    "literal_error": "選択肢から選んでください",
    "extra_forbidden": "この異動では指定できない項目です",
}
# The service's own words where a rule of the standard says the same as the schema.
_FIELD_MESSAGES = {
    "resident_type": BAD_RESIDENT_TYPE,
    "sex": BAD_SEX,
    "my_number": BAD_MY_NUMBER,
    "juminhyo_code": "住民票コードの桁数または検査数字が正しくありません（{input}）",
    "atena_no": "宛名番号 {input} の住民はいません",
    "new_head": "宛名番号 {input} はこの世帯の世帯員ではありません",
    "setai_no": "世帯番号 {input} の世帯はありません",
}
_SHAPE_ERRORS = {"missing", "literal_error", "int_parsing", "string_pattern_mismatch", "string_too_long"}


def error_path(loc: tuple) -> str:
    """A pydantic location as the service's field path: ``persons[0].name``, ``household.address``."""
    return schema_errors.path(loc, tagged=True)


def _message(error: dict) -> str:
    field = str(error["loc"][-1]) if error["loc"] else ""
    if error["type"] in _SHAPE_ERRORS and field in _FIELD_MESSAGES:
        return schema_errors.message(error, {error["type"]: _FIELD_MESSAGES[field]})
    return schema_errors.message(error, _MESSAGES)


def parse_move(data: Any) -> MoveRequest:
    """The typed 異動 from plain values (JSON as in the contract, or a screen's form), or
    RuleViolation with every item the schema refuses, as (field path, Japanese message)."""
    request, errors = parse_move_leniently(data, retries=0)
    if errors:
        raise RuleViolation(errors)
    return request


def parse_move_leniently(data: dict, *, retries: int = 3) -> tuple[MoveRequest | None, list[tuple[str, str]]]:
    """For screens: the items the schema refuses are reported and left out, so that the rules of
    the standard can still be checked on the rest — the clerk sees every problem in one round
    (住民記録システム標準仕様書 §4). None when what is left is still not a 異動."""
    errors: list[tuple[str, str]] = []
    data = copy.deepcopy(data) if retries else data
    for attempt in range(retries + 1):
        try:
            return _ADAPTER.validate_python(data), errors
        except ValidationError as exc:
            found = exc.errors()
        errors += [(_path(e), _message(e)) for e in found if (_path(e), _message(e)) not in errors]
        if attempt == retries or not all(_drop(data, e) for e in found):
            break
    return None, errors


def _drop(data: dict, error: dict) -> bool:
    """Leave out the item an error is about (a copy of its parents); False when it is missing."""
    loc = list(error["loc"])
    if loc and loc[0] in MoveKind.values:
        loc = loc[1:]
    if error["type"] == "missing" or not loc:
        return False
    node: Any = data
    for part in loc[:-1]:
        node = node[part]
    if isinstance(node, dict):
        node.pop(loc[-1], None)
    else:
        node[loc[-1]] = None
    return True


def _path(error: dict) -> str:
    return "kind" if error["type"].startswith("union_tag") else error_path(error["loc"])
