"""The 住民記録 file layout (docs/reference/contract.md#resident-csv): column headers and how each is read from a person's row.

Used by export, import and the file linkage so that the three can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    header: str
    attr: str  # PersonRecord attribute, or a pseudo attribute handled by the exporter
    kind: str = "text"  # text | int | date | birth | my_number


COLUMNS: tuple[Column, ...] = (
    Column("宛名番号", "atena_no"),
    Column("世帯番号", "setai_no"),
    Column("住民種別", "resident_type", "int"),
    Column("住民状態", "status", "int"),
    Column("氏名", "name"),
    Column("氏名フリガナ", "name_kana"),
    Column("旧氏", "former_surname"),
    Column("旧氏フリガナ", "former_surname_kana"),
    Column("通称", "alias"),
    Column("通称フリガナ", "alias_kana"),
    Column("生年月日", "birth_date", "birth"),
    Column("性別", "sex", "int"),
    Column("続柄", "relationship"),
    Column("郵便番号", "postal_code"),
    Column("住所", "address"),
    Column("方書", "address_extra"),
    Column("住民となった年月日", "became_resident_on", "date"),
    Column("住所を定めた年月日", "address_set_on", "date"),
    Column("届出年月日", "notified_on", "date"),
    Column("転入前住所", "previous_address"),
    Column("本籍", "domicile"),
    Column("筆頭者", "domicile_head"),
    Column("個人番号", "my_number", "my_number"),
    Column("住民票コード", "juminhyo_code"),
    Column("国籍・地域", "nationality"),
    Column("在留資格", "residence_status"),
    Column("在留期間等の満了の日", "residence_expiry", "date"),
    Column("在留カード等の番号", "residence_card_no"),
    Column("転出予定日", "planned_move_out_on", "date"),
    Column("転出先住所", "destination_address"),
    Column("消除事由", "removal_reason"),
    Column("消除年月日", "removed_on", "date"),
)

HEADERS = tuple(c.header for c in COLUMNS)
