"""Before → after rows of a 異動 as a clerk reads them (確認 screen, 異動履歴, 処理票).

The service hands raw values (``services.Change``); here they become what the 住民票 shows:
和暦 dates, labels for codes (住民記録システム標準仕様書 §1.1.9).
"""

from __future__ import annotations

from datetime import date

from yakuba.registry import services
from yakuba.registry.ui import display

_CODES = {
    "sex": display.sex,
    "status": display.status,
    "resident_type": display.resident_type,
    "removal_reason": display.removal,
}


def text(field: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return display.wareki(value)
    if field in _CODES:
        return _CODES[field](value)
    return str(value)


def rows(changes: list[services.Change]) -> list[dict]:
    """One row per changed item: label, before (「（記載なし）」 for a new person) and after."""
    return [
        {
            "label": c.label,
            "before": "（新規記載）" if c.before is None else text(c.field, c.before),
            "after": text(c.field, c.after),
        }
        for c in changes
    ]
