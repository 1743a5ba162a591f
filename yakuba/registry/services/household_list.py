"""世帯一覧: the 世帯 at an address (a 町字, or any prefix of the address), page by page.

The list a counter prints to check a district (世帯番号, 世帯主, 住所, 人数 and each member with
their 続柄 in the standard order, 住民記録システム標準仕様書 §5.2). Keyset pages in address
order: a page is found by walking the address index from where the last one ended, so the
hundredth page costs what the first does and a 世帯 added meanwhile shifts nothing.

支援措置 (§3.4) as for one 世帯 (``queries.household``): for a caller without the right, a 世帯
whose head is protected is not listed at all (its address is theirs) and protected members are
left out of the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.utils import timezone

from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.codes import Status
from yakuba.registry.errors import Collector
from yakuba.registry.models import Household, Resident
from yakuba.registry.rules import sort_members
from yakuba.registry.services.protection import protected_among
from yakuba.registry.services.queries import PROTECTED_ROW_SQL, address_column, successor
from yakuba.registry.services.records import MINIMAL, ResidentRecord, Visibility, resident_record

PAGE = 30
_LIVE = (Status.RESIDENT, Status.MOVING_OUT)


@dataclass(frozen=True)
class HouseholdLine:
    """One 世帯 of the list; ``members`` in the standard order (§5.2), the 世帯主 first."""

    setai_no: str
    address: str
    address_extra: str
    head_atena_no: str
    head_name: str
    members: tuple[ResidentRecord, ...]


@dataclass(frozen=True)
class HouseholdPage:
    """A page of the list; ``next`` is the key (住所, 世帯番号) the next page starts after."""

    households: tuple[HouseholdLine, ...]
    next: tuple[str, str] | None


def _page_sql(after: bool, hide_protected: bool) -> str:
    conditions = [
        "r.lg_code = %s",
        "r.address >= %s AND r.address < %s",
        f"r.status IN ({int(Status.RESIDENT)}, {int(Status.MOVING_OUT)})",
    ]
    if after:  # the address bound is the index condition, the rest of the key a filter
        conditions.append("r.address >= %s AND (r.address > %s OR r.setai_no > %s)")
    if hide_protected:
        conditions.append("NOT " + PROTECTED_ROW_SQL.format(row="r"))
        conditions.append(
            "NOT EXISTS (SELECT 1 FROM registry_household h JOIN registry_resident hh"
            " ON hh.lg_code = h.lg_code AND hh.atena_no = h.head_atena_no"
            " WHERE h.lg_code = r.lg_code AND h.setai_no = r.setai_no AND "
            + PROTECTED_ROW_SQL.format(row="hh")
            + ")"
        )
    return (
        f"SELECT r.address, r.setai_no FROM registry_resident r WHERE {' AND '.join(conditions)}"
        " GROUP BY r.address, r.setai_no ORDER BY r.address, r.setai_no LIMIT %s"
    )


def household_list(
    address: str,
    *,
    after: tuple[str, str] | None = None,
    limit: int = PAGE,
    visibility: Visibility = MINIMAL,
) -> HouseholdPage:
    """The 世帯 whose address starts with ``address`` (from the 町字 on, as clerks type it, or
    from the prefecture), in address order, ``limit`` at a time after the key ``after``.

    Four statements per page whatever its size: the page's keys, its members, their 支援措置,
    its 世帯.
    """
    errors = Collector()
    text = address.strip()
    if not text:
        errors.add("address", "町字または住所を入力してください")
    errors.raise_if_any()
    tenant = require_tenant()
    if address_column(text) != "address":  # typed from the 町字: the full address starts so
        text = lookup(tenant.lg_code).full_name + text
    today = timezone.localdate()
    params: list = [tenant.lg_code, text, successor(text)]
    if after:
        params += [after[0], after[0], after[1]]
    if not visibility.protected:
        params += [today] * 6
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(_page_sql(bool(after), not visibility.protected), [*params, limit + 1])
        keys = cursor.fetchall()
    more = len(keys) > limit
    keys = keys[:limit]
    setai_nos = [setai_no for _address, setai_no in keys]
    members: dict[str, list[Resident]] = {s: [] for s in setai_nos}
    rows = list(Resident.objects.filter(setai_no__in=setai_nos, status__in=_LIVE))
    protected = protected_among(r.atena_no for r in rows)
    for row in rows:
        if visibility.protected or row.atena_no not in protected:
            members[row.setai_no].append(row)
    households = {h.setai_no: h for h in Household.objects.filter(setai_no__in=setai_nos)}
    lines = []
    for setai_no in setai_nos:
        household = households[setai_no]
        ordered = sort_members(
            members[setai_no], key=lambda m: (m.relationship, m.birth_sort_date, m.atena_no)
        )
        head = next((m for m in ordered if m.atena_no == household.head_atena_no), None)
        lines.append(
            HouseholdLine(
                setai_no=setai_no,
                address=household.address,
                address_extra=household.address_extra,
                head_atena_no=head.atena_no if head else "",
                head_name=head.name if head else "",
                members=tuple(
                    resident_record(m, visibility, protected=m.atena_no in protected) for m in ordered
                ),
            )
        )
    return HouseholdPage(tuple(lines), next=tuple(keys[-1]) if more else None)
