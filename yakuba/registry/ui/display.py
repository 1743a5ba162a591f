"""How registry values are shown on screens (住民記録システム標準仕様書 §1.1.9).

Dates are shown in 和暦, except a foreign resident's 生年月日 and 在留期間等の満了の日, which are
shown in 西暦 only: the standard forbids showing both calendars together.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from yakuba.platform.japanese.wareki import (
    PartialDate,
    WarekiError,
    format_date_for_resident,
    format_wareki,
    parse_partial_date,
)
from yakuba.registry.codes import (
    IMPORT_KIND,
    IMPORT_LABEL,
    MoveKind,
    RemovalReason,
    ResidentType,
    Sex,
    Status,
)

REMOVAL_LABELS = {**dict(RemovalReason.choices), "canceled": "異動の取消し"}


def is_foreign(row) -> bool:
    return row.resident_type == ResidentType.FOREIGN


def wareki(value: date | None) -> str:
    if value is None:
        return ""
    try:
        return format_wareki(value)
    except WarekiError:
        return value.isoformat()


def birth(row) -> str:
    """生年月日: 和暦 for Japanese, 西暦 for foreign residents; 不詳 forms as registered."""
    foreign = is_foreign(row)
    if row.birth_date:
        try:
            return format_date_for_resident(row.birth_date, foreign=foreign)
        except WarekiError:
            return row.birth_date.isoformat()
    text = row.birth_date_text or ""
    try:
        parsed = parse_partial_date(text)
    except (WarekiError, ValueError):
        return text
    if isinstance(parsed, PartialDate):
        return format_date_for_resident(parsed, foreign=foreign)
    return format_date_for_resident(parsed, foreign=foreign)


def residence_expiry(row) -> str:
    """在留期間等の満了の日: 西暦 (a foreign resident's date, §1.1.9)."""
    if not row.residence_expiry:
        return ""
    return format_date_for_resident(row.residence_expiry, foreign=True)


def processed(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{wareki(local.date())} {local:%H:%M}"


def sex(value) -> str:
    return Sex(value).label if value in Sex.values else ""


def status(value) -> str:
    return Status(value).label if value in Status.values else ""


def resident_type(value) -> str:
    return ResidentType(value).label if value in ResidentType.values else ""


def move_kind(value) -> str:
    if value == IMPORT_KIND:
        return IMPORT_LABEL
    return MoveKind(value).label if value in MoveKind.values else value


def removal(value) -> str:
    return REMOVAL_LABELS.get(value, value)


def full_address(row) -> str:
    return f"{row.address}　{row.address_extra}" if row.address_extra else row.address


def summary(row) -> dict:
    """One line of a result table or member list (``row``: a ``ResidentRecord``)."""
    return {
        "atena_no": row.atena_no,
        "setai_no": row.setai_no,
        "name": row.name,
        "name_kana": row.name_kana,
        "alias": row.alias,
        "birth": birth(row),
        "sex": sex(row.sex),
        "relationship": row.relationship,
        "address": full_address(row),
        "status": status(row.status),
        "status_code": row.status,
        "removed": row.status == Status.REMOVED,
        "protected": row.protected,
    }
