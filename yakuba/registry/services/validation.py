"""Field rules for a person's 住民票 items, shared by every 異動, the import and the UI: one
check and one message per rule, whoever asks.

Sources: 住民記録システム標準仕様書 §1.1 (items; dates §1.1.8–1.1.9; 続柄 §1.1.11), docs/reference/registry-facts.md
§2 (foreign residents' items), check digits (docs/reference/common-facts.md §10).

The checks that a file import runs a million times (``iso_date_problem``, ``kana_problem`` …)
take and return plain strings and cost a few hundred nanoseconds; the 異動 calls the same ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from yakuba.platform.japanese.checkdigits import is_valid_juminhyo_code, is_valid_m11, is_valid_my_number
from yakuba.platform.japanese.kana import is_katakana_name, to_katakana_fullwidth
from yakuba.platform.japanese.wareki import PartialDate, WarekiError, parse_partial_date
from yakuba.registry.codes import ResidentType, Sex, Status
from yakuba.registry.errors import Collector
from yakuba.registry.rules import RelationshipError, validate_relationship

# --- one message per rule ------------------------------------------------------------------------

BAD_DATE = "日付は YYYY-MM-DD の実在する日付で入力してください（{}）"
BAD_RESIDENT_TYPE = "住民種別は 1（日本人）または 2（外国人）です"
BAD_STATUS = "住民状態は 1（住民）、2（転出予定）、3（消除）です"
BAD_SEX = "性別は 1（男）または 2（女）です"
NAME_REQUIRED = "氏名を入力してください"
KANA_REQUIRED = "フリガナを入力してください"
BIRTH_REQUIRED = "生年月日を入力してください"
FUTURE_BIRTH = "生年月日が未来の日付です"
BAD_MY_NUMBER = "個人番号の桁数または検査数字が正しくありません"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
# The codes as a file writes them (text).
RESIDENT_TYPE_CODES = frozenset(map(str, ResidentType.values))
STATUS_CODES = frozenset(map(str, Status.values))
SEX_CODES = frozenset(map(str, Sex.values))


def too_long(value: str, limit: int) -> str | None:
    """Longer than the item's column (住民記録システム標準仕様書 §1.1: 文字数)."""
    return f"{limit}文字を超えています" if len(value) > limit else None


def m11_problem(label: str, value: str) -> str | None:
    """宛名番号・世帯番号 carry an M11 check digit (docs/reference/common-facts.md §10)."""
    return None if is_valid_m11(value) else f"{label}の桁数または検査数字（M11）が正しくありません（{value}）"


def my_number_problem(value: str) -> str | None:
    """個人番号: 12 digits with its check digit (番号法施行令 第8条); never echoed back."""
    return None if is_valid_my_number(value) else BAD_MY_NUMBER


def juminhyo_code_problem(value: str) -> str | None:
    """住民票コード: 11 digits with its check digit (住基法施行規則 第1条)."""
    if is_valid_juminhyo_code(value):
        return None
    return f"住民票コードの桁数または検査数字が正しくありません（{value}）"


def kana_problem(kana: str, given: object = None) -> str | None:
    """フリガナ is full-width katakana (``is_katakana_name``); ``given`` is what the user typed."""
    if is_katakana_name(kana):
        return None
    return f"フリガナは全角カタカナで入力してください（{kana if given is None else given}）"


def iso_date_problem(value: str) -> str | None:
    """YYYY-MM-DD of a day that exists, the one date form of the file layout (contract.md)."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return None
    return BAD_DATE.format(value)


def read_birth_date(text: str, *, strict: bool) -> tuple[date | None, str, date] | str:
    """(exact date or None, 不詳 text or "", sort date) of a 生年月日, or the message.

    §1.1.8 allows the 不詳 forms (``parse_partial_date``: 和暦, 不詳, 上旬 …) for 生年月日. ``strict``
    (the file layout) accepts an exact date only as YYYY-MM-DD: another spelling of an ordinary
    date is a fault of the file, not a 不詳; a clerk may type 和暦.
    """
    if _ISO.fullmatch(text) or not strict:
        try:
            exact = date.fromisoformat(text)
        except ValueError:
            if strict:
                return BAD_DATE.format(text)
        else:
            return exact, "", exact
    try:
        parsed = parse_partial_date(text)
    except (WarekiError, ValueError) as exc:
        return f"生年月日が正しくありません（{text}）: {exc}"
    if isinstance(parsed, PartialDate):
        return None, parsed.format(), parsed.sort_key()
    if strict:
        return f"YYYY-MM-DD で入力してください（{parsed.isoformat()} のこと？）"
    return parsed, "", parsed


def resident_type_problems(
    foreign: bool, japanese: bool, nationality: str, residence_status: str, alias: str
) -> Iterator[tuple[str, str]]:
    """(item, message): 外国人住民 need 国籍・地域 and 在留資格 (法30条の45); 日本人 have none of
    them; 通称 is recorded only for 外国人住民 (住民基本台帳法施行令30条の16)."""
    if foreign:
        if not nationality:
            yield "nationality", "外国人住民は国籍・地域を入力してください"
        if not residence_status:
            yield "residence_status", "外国人住民は在留資格（法30条の45の区分）を入力してください"
    elif japanese:
        for key, value, label in (
            ("nationality", nationality, "国籍・地域"),
            ("residence_status", residence_status, "在留資格"),
            ("alias", alias, "通称"),
        ):
            if value:
                yield key, f"日本人住民には{label}を記載しません"


# --- the 異動's checks, on request values ------------------------------------------------------------


def parse_iso_date(value, field: str, errors: Collector, *, required: bool = False) -> date | None:
    if value in (None, ""):
        if required:
            errors.add(field, "入力してください")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(field, BAD_DATE.format(value))
        return None


def parse_birth_date(value, field: str, errors: Collector) -> tuple[date | None, str, date | None]:
    """(exact date or None, 不詳/non-calendar text or "", sort date) for 生年月日 (``read_birth_date``)."""
    if value in (None, ""):
        errors.add(field, BIRTH_REQUIRED)
        return None, "", None
    read = read_birth_date(str(value).strip(), strict=False)
    if isinstance(read, str):
        errors.add(field, read)
        return None, "", None
    return read


def clean_kana(value: str | None, field: str, errors: Collector, *, required: bool) -> str:
    if not value:
        if required:
            errors.add(field, KANA_REQUIRED)
        return ""
    kana = to_katakana_fullwidth(str(value)).strip()
    problem = kana_problem(kana, value)
    if problem:
        errors.add(field, problem)
    return kana


def validate_person(data: dict, errors: Collector, prefix: str, *, today: date, new: bool) -> dict:
    """Check and normalize the fields present in ``data``; returns the cleaned values.

    ``new``: a person being recorded (all required items must be there); otherwise only the
    fields given are checked (a change names the person by 宛名番号 plus what changes).
    """
    out: dict = {}

    def given(key: str) -> bool:
        return new or (key in data and data[key] is not None)

    resident_type = data.get("resident_type")
    if given("resident_type"):
        if resident_type not in ResidentType.values:
            errors.add(f"{prefix}.resident_type", BAD_RESIDENT_TYPE)
        out["resident_type"] = resident_type
    if given("name"):
        name = (data.get("name") or "").strip()
        problem = too_long(name, 100) if name else NAME_REQUIRED
        if problem:
            errors.add(f"{prefix}.name", problem)
        out["name"] = name  # stored exactly as given: rare kanji and IVS are kept
    if given("name_kana"):
        out["name_kana"] = clean_kana(data.get("name_kana"), f"{prefix}.name_kana", errors, required=True)
    if given("birth_date"):
        exact, text, sort = parse_birth_date(data.get("birth_date"), f"{prefix}.birth_date", errors)
        if sort is not None and sort > today:
            errors.add(f"{prefix}.birth_date", FUTURE_BIRTH)
        out.update(birth_date=exact, birth_date_text=text, birth_sort_date=sort)
    if given("sex"):
        if data.get("sex") not in Sex.values:
            errors.add(f"{prefix}.sex", BAD_SEX)
        out["sex"] = data.get("sex")
    if given("relationship"):
        foreign = resident_type == ResidentType.FOREIGN
        try:
            out["relationship"] = validate_relationship(
                data.get("relationship"),
                foreign=foreign,
                documented=bool(data.get("relationship_documented", True)),
            )
        except RelationshipError as exc:
            errors.add(f"{prefix}.relationship", str(exc))
    for key in (
        "former_surname",
        "alias",
        "domicile",
        "domicile_head",
        "previous_address",
        "nationality",
        "residence_status",
        "residence_card_no",
    ):
        if key in data and data[key] is not None:
            out[key] = str(data[key]).strip()
    for key in ("former_surname_kana", "alias_kana"):
        if data.get(key):
            out[key] = clean_kana(data[key], f"{prefix}.{key}", errors, required=False)
    if "residence_expiry" in data and data["residence_expiry"] is not None:
        out["residence_expiry"] = parse_iso_date(
            data["residence_expiry"], f"{prefix}.residence_expiry", errors
        )
    if data.get("my_number"):
        number = str(data["my_number"]).replace(" ", "").replace("-", "")
        if problem := my_number_problem(number):
            errors.add(f"{prefix}.my_number", problem)
        out["my_number"] = number
    if data.get("juminhyo_code"):
        code = str(data["juminhyo_code"])
        if problem := juminhyo_code_problem(code):
            errors.add(f"{prefix}.juminhyo_code", problem)
        out["juminhyo_code"] = code
    return out


def check_resident_type_items(person: dict, errors: Collector, prefix: str) -> None:
    """The items that depend on 住民種別 (``resident_type_problems``)."""
    kind = person.get("resident_type")
    for key, message in resident_type_problems(
        kind == ResidentType.FOREIGN,
        kind == ResidentType.JAPANESE,
        person.get("nationality"),
        person.get("residence_status"),
        person.get("alias"),
    ):
        errors.add(f"{prefix}.{key}", message)
