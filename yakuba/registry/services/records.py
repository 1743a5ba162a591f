"""What the registry's door hands out: typed records already masked for the caller.

Every caller — API, staff UI, certificates, other domains — gets a ``ResidentRecord`` or a
``HouseholdRecord``, never an ORM row, so no caller can forget a mask (docs/architecture.md, "The shape of a domain package":
the door applies 支援措置, field visibility and the deployment zone in one place). A restricted
item the caller may not see is ``None`` (hidden), not ``""`` (empty on the 住民票).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from yakuba.platform import crypto
from yakuba.platform.tenancy.context import require_tenant


def my_number_context(lg_code: str, atena_no: str) -> str:
    """Associated data of a person's encrypted 個人番号: a ciphertext moved to another person or
    municipality does not decrypt."""
    return f"{lg_code}/my_number/{atena_no}"


def my_number_lookup(lg_code: str, number: str) -> str:
    return crypto.lookup_hash(number, purpose=f"{lg_code}/my_number")


@dataclass(frozen=True)
class Visibility:
    """What the caller may see: restricted fields, and persons under 支援措置.

    ``my_number`` is decided by the caller's interface together with the zone (API: scope and
    client zone and deployment zone; staff UI: role and deployment zone), the others by the
    role matrix (住民記録システム標準仕様書 §10.3) or the client's scopes.
    """

    my_number: bool = False
    juminhyo_code: bool = True
    domicile: bool = True
    protected: bool = False
    # Not a visibility but a right the same callers decide: recording an address the 住所辞書
    # does not know (職権; docs/address.md).
    unlisted_address: bool = False


# The default of every read: no 個人番号 and no protected persons.
MINIMAL = Visibility()


@dataclass(frozen=True)
class ResidentRecord:
    """One person's 住民票 items (§1.1.1/1.1.2) at one 履歴番号, as this caller may see them."""

    atena_no: str
    history_no: int
    setai_no: str
    resident_type: int
    status: int
    name: str
    name_kana: str
    former_surname: str
    former_surname_kana: str
    alias: str
    alias_kana: str
    birth_date: date | None
    birth_date_text: str
    sex: int
    relationship: str
    postal_code: str
    address: str
    town_area: str
    block: str
    address_extra: str
    became_resident_on: date | None
    address_set_on: date | None
    notified_on: date | None
    previous_address: str
    domicile: str | None
    domicile_head: str | None
    juminhyo_code: str | None
    my_number: str | None
    has_my_number: bool
    nationality: str
    residence_status: str
    residence_expiry: date | None
    residence_card_no: str
    planned_move_out_on: date | None
    destination_address: str
    removal_reason: str
    removed_on: date | None
    move_kind: str
    move_date: date
    processed_at: datetime
    protected: bool

    @property
    def birth(self) -> str:
        """生年月日 as exchanged: ISO when exact, else the standard's 不詳 text (§1.1.8)."""
        return self.birth_date.isoformat() if self.birth_date else self.birth_date_text


_PLAIN = [
    name
    for name in ResidentRecord.__dataclass_fields__
    if name not in ("domicile", "domicile_head", "juminhyo_code", "my_number", "has_my_number", "protected")
]


def my_number_of(row) -> str:
    if not row.my_number_encrypted:
        return ""
    return crypto.decrypt(
        row.my_number_encrypted, context=my_number_context(require_tenant().lg_code, row.atena_no)
    )


def resident_record(row, visibility: Visibility, *, protected: bool = False) -> ResidentRecord:
    """The record of one registry row (current, archive or history) for this caller."""
    values = {name: getattr(row, name) for name in _PLAIN}
    return ResidentRecord(
        **values,
        domicile=row.domicile if visibility.domicile else None,
        domicile_head=row.domicile_head if visibility.domicile else None,
        juminhyo_code=row.juminhyo_code if visibility.juminhyo_code else None,
        my_number=my_number_of(row) if visibility.my_number else None,
        has_my_number=bool(row.my_number_encrypted),
        protected=protected,
    )


@dataclass(frozen=True)
class HouseholdRecord:
    """A 世帯 with its members in the standard order (§5.2), as this caller may see them."""

    setai_no: str
    head_atena_no: str
    postal_code: str
    address: str
    address_extra: str
    active: bool
    version: int
    members: tuple[ResidentRecord, ...]
