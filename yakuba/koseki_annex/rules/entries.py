"""What one 住民票 異動 writes on the 附票 of the person's 本籍 (registry-facts §17.4).

The 附票 keeps each 住所 a 本籍人 has had, with the 住所を定めた年月日 (住民基本台帳法 第17条3号・4号).
The 住所地 keeps it current: a 転入, 転居, 出生 or 住所の修正 in the registry is a new 住所 for the
附票 (第19条1項: the 住所地 notifies the 本籍地, or, for a 本籍 in the same town, passes the change
straight on). A 国外転出 is written by the 転出地 itself as the 国外転出者 entry, dated by the
転出予定年月日 (第17条3号・4号 as amended; only from 2024-05-27). A domestic 転出 writes nothing:
the 転入地 notifies the new 住所 when it records it. A death writes nothing: the person leaves
the 附票 with the 戸籍's 除籍.

The rule is the comparison, not the 異動's name: a row is new when its 住所 or 住所を定めた年月日
differs from the person's last row. So a 世帯変更 at the same address writes nothing, and a
registry event read twice never writes twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yakuba.koseki_annex.rules.items import OVERSEAS_SINCE

# 住民状態 of the registry's events (docs/events.md): 1 住民, 2 転出予定, 3 消除.
RESIDENT, MOVING_OUT, REMOVED = 1, 2, 3
MOVE_OUT_ABROAD = "move_out_abroad"  # the registry's 消除事由 of a 国外転出


@dataclass(frozen=True)
class AddressLine:
    """The 住所 items of one 附票 row. A 国外転出者 has no 住所: ``overseas`` with the country
    the 国外転出届 named, dated by the 転出予定年月日."""

    address: str
    address_set_on: date
    overseas: bool = False
    country: str = ""

    def same_as(self, other: AddressLine | None) -> bool:
        return other is not None and (self.address, self.address_set_on, self.overseas, self.country) == (
            other.address,
            other.address_set_on,
            other.overseas,
            other.country,
        )


def full_address(address: str, extra: str) -> str:
    """住所 with its 方書, as the 住民票 shows them (a full-width space between)."""
    return f"{address}\u3000{extra}" if extra else address


def line_of(data: dict) -> AddressLine | None:
    """The 附票 row a registry resident event calls for (its ``data``: the 住民票 after the 異動),
    or None when it calls for none: a domestic 転出, a death or 消除, a 国外転出 before the
    国外転出者 entry existed, or a row without an address."""
    status = int(data.get("status") or 0)
    if status in (MOVING_OUT, REMOVED):
        if data.get("removal_reason") != MOVE_OUT_ABROAD:
            return None
        planned = _date(data.get("planned_move_out_on"))
        if planned is None or planned < OVERSEAS_SINCE:
            return None
        return AddressLine(
            "", planned, overseas=True, country=(data.get("destination_address") or "").strip()
        )
    if status != RESIDENT or not data.get("address"):
        return None
    set_on = _date(data.get("address_set_on")) or _date(data.get("move_date"))
    if set_on is None:
        return None
    return AddressLine(full_address(data["address"], data.get("address_extra") or ""), set_on)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
