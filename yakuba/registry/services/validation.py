"""Field rules for a person's 住民票 items, shared by every 異動, the import and the UI.

Sources: 住民記録システム標準仕様書 §1.1 (items; dates §1.1.8–1.1.9; 続柄 §1.1.11), docs/reference/registry-facts.md
§2 (foreign residents' items), check digits (docs/reference/common-facts.md §10).
"""

from __future__ import annotations

from datetime import date

from yakuba.platform.japanese.checkdigits import is_valid_juminhyo_code, is_valid_my_number
from yakuba.platform.japanese.kana import is_katakana_name, to_katakana_fullwidth
from yakuba.platform.japanese.wareki import PartialDate, WarekiError, parse_partial_date
from yakuba.registry.codes import ResidentType, Sex
from yakuba.registry.errors import Collector
from yakuba.registry.rules import RelationshipError, validate_relationship


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
        errors.add(field, f"日付は YYYY-MM-DD で入力してください（{value}）")
        return None


def parse_birth_date(value, field: str, errors: Collector) -> tuple[date | None, str, date | None]:
    """(exact date or None, 不詳/non-calendar text or "", sort date) for 生年月日.

    Accepts ISO dates and the Japanese forms of ``parse_partial_date`` (和暦, 不詳, 上旬 …), which
    §1.1.8 allows for 生年月日.
    """
    if value in (None, ""):
        errors.add(field, "生年月日を入力してください")
        return None, "", None
    text = str(value).strip()
    try:
        return date.fromisoformat(text), "", date.fromisoformat(text)
    except ValueError:
        pass
    try:
        parsed = parse_partial_date(text)
    except (WarekiError, ValueError) as exc:
        errors.add(field, str(exc))
        return None, "", None
    if isinstance(parsed, PartialDate):
        return None, parsed.format(), parsed.sort_key()
    return parsed, "", parsed


def clean_kana(value: str | None, field: str, errors: Collector, *, required: bool) -> str:
    if not value:
        if required:
            errors.add(field, "フリガナを入力してください")
        return ""
    kana = to_katakana_fullwidth(str(value)).strip()
    if not is_katakana_name(kana):
        errors.add(field, f"フリガナは全角カタカナで入力してください（{value}）")
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
            errors.add(f"{prefix}.resident_type", "住民種別は 1（日本人）または 2（外国人）です")
        out["resident_type"] = resident_type
    if given("name"):
        name = (data.get("name") or "").strip()
        if not name:
            errors.add(f"{prefix}.name", "氏名を入力してください")
        elif len(name) > 100:
            errors.add(f"{prefix}.name", "氏名が長すぎます（100文字まで）")
        out["name"] = name  # stored exactly as given: rare kanji and IVS are kept
    if given("name_kana"):
        out["name_kana"] = clean_kana(data.get("name_kana"), f"{prefix}.name_kana", errors, required=True)
    if given("birth_date"):
        exact, text, sort = parse_birth_date(data.get("birth_date"), f"{prefix}.birth_date", errors)
        if sort is not None and sort > today:
            errors.add(f"{prefix}.birth_date", "生年月日が未来の日付です")
        out.update(birth_date=exact, birth_date_text=text, birth_sort_date=sort)
    if given("sex"):
        if data.get("sex") not in Sex.values:
            errors.add(f"{prefix}.sex", "性別は 1（男）または 2（女）です")
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
        if not is_valid_my_number(number):
            errors.add(f"{prefix}.my_number", "個人番号の桁数または検査数字が正しくありません")
        out["my_number"] = number
    if data.get("juminhyo_code"):
        code = str(data["juminhyo_code"])
        if not is_valid_juminhyo_code(code):
            errors.add(f"{prefix}.juminhyo_code", "住民票コードの桁数または検査数字が正しくありません")
        out["juminhyo_code"] = code
    return out


def check_resident_type_items(person: dict, errors: Collector, prefix: str) -> None:
    """外国人住民 need 国籍・地域 and 在留資格 (法30条の45); 日本人 have none of them; 通称 is
    recorded only for 外国人住民 (住民基本台帳法施行令30条の16)."""
    if person.get("resident_type") == ResidentType.FOREIGN:
        if not person.get("nationality"):
            errors.add(f"{prefix}.nationality", "外国人住民は国籍・地域を入力してください")
        if not person.get("residence_status"):
            errors.add(
                f"{prefix}.residence_status", "外国人住民は在留資格（法30条の45の区分）を入力してください"
            )
    elif person.get("resident_type") == ResidentType.JAPANESE:
        for key, label in (
            ("nationality", "国籍・地域"),
            ("residence_status", "在留資格"),
            ("alias", "通称"),
        ):
            if person.get(key):
                errors.add(f"{prefix}.{key}", f"日本人住民には{label}を記載しません")
