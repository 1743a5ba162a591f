"""Before → after rows of a 異動 as a clerk reads them (確認 screen, 異動履歴, 処理票).

The service hands raw values (``services.Change``); here they become what the 住民票 shows:
和暦 dates, labels for codes (住民記録システム標準仕様書 §1.1.9).
"""

from __future__ import annotations

from datetime import date

from yakuba.platform.japanese.wareki import format_date_for_resident
from yakuba.registry import services
from yakuba.registry.ui import display

_CODES = {
    "sex": display.sex,
    "status": display.status,
    "resident_type": display.resident_type,
    "removal_reason": display.removal,
}


# A foreign resident's 生年月日 and 在留期間等の満了の日 are shown in 西暦 only (§1.1.9).
_FOREIGN_DATES = {"birth_date", "residence_expiry"}


def text(field: str, value, *, foreign: bool = False) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        if foreign and field in _FOREIGN_DATES:
            return format_date_for_resident(value, foreign=True)
        return display.wareki(value)
    if field == "postal_code" and len(str(value)) == 7:
        return f"{str(value)[:3]}-{str(value)[3:]}"
    if field in _CODES:
        return _CODES[field](value)
    return str(value)


def rows(changes: list[services.Change], *, foreign: bool = False) -> list[dict]:
    """One row per changed item: label, before (「（新規記載）」 for a new person) and after;
    ``foreign``: the person is a 外国人住民 (dates in 西暦)."""
    return [
        {
            "label": c.label,
            "before": "（新規記載）" if c.before is None else text(c.field, c.before, foreign=foreign),
            "after": text(c.field, c.after, foreign=foreign),
        }
        for c in changes
    ]
