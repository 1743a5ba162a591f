"""A registry resident event as its consumers read it — pure Python (no Django), so a domain's
pure rules take it as their input (国保's ``RegistryChange`` is this class).

The items are those the catalogue publishes for the registry's resident events (docs/events.md):
the person's 宛名番号, 世帯番号, 異動日, 生年月日 and 続柄 after the 異動.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ResidentChange:
    """What a registry resident event says of one person (``event`` is its verb: moved-in, born,
    …): the items after the 異動 as the catalogue publishes them (docs/events.md)."""

    event_id: str
    event: str
    atena_no: str
    setai_no: str
    move_date: date
    birth_date: date | None = None
    relationship: str = ""


def resident_change(event: dict) -> ResidentChange:
    data = event["data"]
    return ResidentChange(
        event_id=event["id"],
        event=event["type"].rsplit(".", 2)[-2],  # <prefix>.<verb>.v<n>
        atena_no=data["atena_no"],
        setai_no=data.get("setai_no", ""),
        move_date=date.fromisoformat(data["move_date"]),
        birth_date=_date(data.get("birth_date", "")),
        relationship=data.get("relationship", ""),
    )


def _date(text: str) -> date | None:
    """The registry's 生年月日, or None when it holds one as text (不詳)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
