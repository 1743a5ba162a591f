"""What a 異動 changed on a person: the items before and after, for the 確認 screen, the
処理票 and the history (住民記録システム標準仕様書 §1.2.1: every change keeps the earlier state).

Values stay raw (dates, codes); the screens and the 処理票 format them. Items the caller may not
see (本籍, 住民票コード by role) are left out, and the 個人番号 is never shown: only that it
changed (番号法 第12条 安全管理措置).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yakuba.registry.models import PersonRecord
from yakuba.registry.services.records import Visibility
from yakuba.registry.services.store import ITEMS

# The items a clerk compares, in the order of the 住民票 (§1.1.1/1.1.2): every item but the
# keys and the forms kept for machines (整列用の生年月日, 町字 and 番地 inside the 住所, the
# encrypted 個人番号 — its keyed hash tells whether it changed).
# 世帯番号 is read with the address and 住民状態 with the 転出・消除 items, as on the screens.
_NOT_SHOWN = {"atena_no", "resident_type", "birth_sort_date", "town_area", "block", "my_number_encrypted"}
_MOVED = {"setai_no": "postal_code", "status": "planned_move_out_on"}  # item: shown before
SHOWN = [
    shown
    for item in ITEMS
    if item not in _NOT_SHOWN and item not in _MOVED
    for shown in (*(k for k, before in _MOVED.items() if before == item), item)
]
_RESTRICTED = {"domicile": "domicile", "domicile_head": "domicile", "juminhyo_code": "juminhyo_code"}
MY_NUMBER_CHANGED = "（変更あり・表示しません）"


def label(field: str) -> str:
    if field == "my_number_hash":
        return "個人番号"
    return str(PersonRecord._meta.get_field(field).verbose_name)


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: Any  # None: the person had no record before (記載)
    after: Any


def diff(before: dict | None, after: dict, visibility: Visibility) -> list[Change]:
    """The shown items that differ between two states of one person (a dict of item values;
    ``before`` None for a person this 異動 records)."""
    changes = []
    for field in SHOWN:
        restricted = _RESTRICTED.get(field)
        if restricted and not getattr(visibility, restricted):
            continue
        old = None if before is None else before.get(field)
        new = after.get(field)
        if _empty(old) and _empty(new) or old == new:
            continue
        if field == "my_number_hash":
            old, new = (
                (MY_NUMBER_CHANGED if old else "") if before else None,
                MY_NUMBER_CHANGED if new else "",
            )
        changes.append(Change(field, label(field), old, new))
    return changes


def _empty(value) -> bool:
    return value is None or value == ""


def values_of(row) -> dict:
    """The shown items of a registry row (current or history)."""
    return {field: getattr(row, field) for field in SHOWN}
