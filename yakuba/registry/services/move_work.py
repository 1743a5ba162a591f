"""What one 異動 works on: its request, the persons and households it loaded, their new state.

Shared by the entry points (``moves``), the kinds' handlers (``move_kinds``) and the writer
(``move_store``). Sources: 住民記録システム標準仕様書 §4 (異動), §1.1 (items).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from yakuba.registry.codes import MoveKind, Origin, Status
from yakuba.registry.errors import Collector
from yakuba.registry.models import Household, Resident
from yakuba.registry.services.move_request import MoveRequest
from yakuba.registry.services.store import ITEMS

NOTIFICATION_PERIOD = timedelta(days=14)  # 住民基本台帳法 第22条〜第25条

# Items a correction (誤記修正・職権修正) may change; the address changes only by 転居.
CORRECTABLE = (
    "name",
    "name_kana",
    "birth_date",
    "birth_date_text",
    "birth_sort_date",
    "sex",
    "relationship",
    "domicile",
    "domicile_head",
    "nationality",
    "residence_status",
    "residence_expiry",
    "residence_card_no",
    "previous_address",
    "my_number",
    "juminhyo_code",
    "resident_type",
)


@dataclass
class MoveResult:
    move_id: uuid.UUID
    kind: str
    setai_no: str | None
    persons: list[tuple[str, int]]
    event_ids: list[str]
    warnings: list[str] = field(default_factory=list)
    move_no: str = ""  # 異動番号 (``move_store``)
    replayed: bool = False  # the answer to an earlier request with the same Idempotency-Key


@dataclass
class Work:
    """Everything one 異動 reads and what it will write."""

    lg_code: str
    kind: str
    request: MoveRequest  # read only (frozen): what the caller asked for
    today: date
    move_date: date | None
    notified_date: date | None
    errors: Collector
    residents: dict[str, Resident] = field(default_factory=dict)
    households: dict[str, Household] = field(default_factory=dict)
    # New state per person: key = 宛名番号, or "new:<index>" for persons not yet numbered.
    changes: dict[str, dict] = field(default_factory=dict)
    new_households: dict[str, dict] = field(default_factory=dict)  # placeholder -> address
    warnings: list[str] = field(default_factory=list)
    ex_officio: bool = False
    result_setai_no: str | None = None
    checked: set[str] = field(default_factory=set)  # persons already checked for 支援措置
    lock: bool = True  # False: only checking (``check_move``), nothing is locked or written
    cancels: int | None = None  # the Move a 取消し cancels
    may_record_unlisted: bool = False  # the caller may record an address the 住所辞書 lacks
    audit_detail: dict = field(default_factory=dict)  # added to the 異動's audit row
    idempotency: tuple[str, str] = ("", "")  # (Idempotency-Key, digest of the body), ``idempotency``

    @property
    def assigns_juminhyo_code(self) -> bool:
        """A 出生 and a 転入 from abroad take a new 住民票コード from the pool (§4.3); others
        bring theirs (転出証明書)."""
        return self.kind == MoveKind.BIRTH or (
            self.kind == MoveKind.MOVE_IN and getattr(self.request, "origin", None) == Origin.ABROAD
        )

    def state(self, key: str) -> dict:
        """The person's values after this 異動 so far (current row + changes)."""
        if key in self.changes:
            return self.changes[key]
        resident = self.residents[key]
        values = {name: getattr(resident, name) for name in ITEMS}
        self.changes[key] = values
        return values


# --- reading what a 異動 touches ----------------------------------------------------------------


def for_update(work: Work, queryset):
    """Rows the 異動 will change: locked with NOWAIT when writing (a second clerk gets a
    conflict instead of waiting or overwriting), read plainly when only checking."""
    return queryset.select_for_update(nowait=True) if work.lock else queryset


def current_members(work: Work, setai_no: str) -> list[str]:
    """Current members (住民 and 転出予定) of a household, by 宛名番号."""
    return list(
        Resident.objects.filter(setai_no=setai_no, status__in=(Status.RESIDENT, Status.MOVING_OUT))
        .order_by("atena_no")
        .values_list("atena_no", flat=True)
    )
