"""Reading the address master and checking an address against it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connections
from django.db.models import Q
from django.utils import timezone

from yakuba.address.models import TownArea
from yakuba.address.rules import block_number, block_range_problem, clean_name, postal_code
from yakuba.platform.tenancy.context import require_tenant

MAX_PAGE = 500


@dataclass(frozen=True)
class TownAreaRecord:
    """One 町字 as the door hands it out (never the ORM row)."""

    name: str
    name_kana: str
    postal_codes: tuple[str, ...]
    addressing: str
    block_from: int | None
    block_to: int | None
    town_area_id: str
    effective_on: date | None
    abolished_on: date | None
    source: str

    @classmethod
    def of(cls, row: TownArea) -> TownAreaRecord:
        return cls(
            row.name,
            row.name_kana,
            tuple(row.postal_codes),
            row.addressing,
            row.block_from,
            row.block_to,
            row.town_area_id,
            row.effective_on,
            row.abolished_on,
            row.source,
        )


@dataclass(frozen=True)
class TownAreaPage:
    town_areas: list[TownAreaRecord]
    next: str | None  # pass as ``after`` for the next page


def _current(on: date | None) -> Q:
    """Entries in force on ``on``: not yet abolished, and already in force if a date is known."""
    on = on or timezone.localdate()
    return (Q(abolished_on__isnull=True) | Q(abolished_on__gt=on)) & (
        Q(effective_on__isnull=True) | Q(effective_on__lte=on)
    )


def town_areas(
    *, q: str = "", postal: str = "", include_abolished: bool = False, after: str = "", limit: int = 100
) -> TownAreaPage:
    """The 町字 in name order, a page at a time (keyset on the name): ``q`` matches the name or
    its kana anywhere, ``postal`` one of its postal codes."""
    limit = max(1, min(limit, MAX_PAGE))
    rows = TownArea.objects.all()
    if not include_abolished:
        rows = rows.filter(abolished_on__isnull=True)
    if q := q.strip():
        rows = rows.filter(Q(name__contains=q) | Q(name_kana__contains=q))
    if postal:
        rows = rows.filter(postal_codes__contains=[postal_code(postal) or postal])
    if after:
        name, _, key = after.rpartition("/")
        rows = rows.filter(Q(name__gt=name) | Q(name=name, id__gt=int(key) if key.isdigit() else 0))
    found = list(rows.order_by("name", "id")[: limit + 1])
    more = len(found) > limit
    last = found[limit - 1] if more else None
    return TownAreaPage(
        [TownAreaRecord.of(r) for r in found[:limit]], f"{last.name}/{last.id}" if last else None
    )


def by_postal_code(code: str, *, on: date | None = None) -> list[TownAreaRecord]:
    """The 町字 a postal code stands for (usually one), in force on ``on`` — to fill the address."""
    number = postal_code(code)
    if number is None:
        return []
    rows = TownArea.objects.filter(_current(on), postal_codes__contains=[number]).order_by("name")
    return [TownAreaRecord.of(r) for r in rows]


def is_loaded() -> bool:
    """Whether this municipality has a master at all (an empty one checks nothing)."""
    return TownArea.objects.exists()


def town_area_names() -> frozenset[str]:
    """Every 町字 name in the master, current and abolished (empty: no master): where the 町字
    ends in a full address read from a file (an old 除票 names an abolished one)."""
    return frozenset(TownArea.objects.values_list("name", flat=True))


# One round trip per check (every 異動 pays it): whether the municipality has a master at all,
# and the 町字 in force on the date, if any.
_LOOKUP_SQL = """
SELECT EXISTS (SELECT 1 FROM address_town_area WHERE lg_code = %(lg)s), m.found, m.postal_codes,
       m.block_from, m.block_to
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (
        SELECT true AS found, postal_codes, block_from, block_to
          FROM address_town_area
         WHERE lg_code = %(lg)s AND name = %(name)s
           AND (abolished_on IS NULL OR abolished_on > %(on)s)
           AND (effective_on IS NULL OR effective_on <= %(on)s)
         LIMIT 1) AS m ON true
"""


def _lookup(name: str, on: date) -> tuple[bool, bool, list[str], int | None, int | None]:
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(_LOOKUP_SQL, {"lg": tenant.lg_code, "name": name, "on": on})
        loaded, found, postal_codes, block_from, block_to = cursor.fetchone()
    return loaded, bool(found), postal_codes or [], block_from, block_to


def check_address(
    town_area: str, block: str = "", postal: str = "", *, on: date | None = None
) -> list[tuple[str, str]]:
    """Every reason the address cannot be recorded, as (field, message) for the clerk.

    The 町字 must be in the master and in force on ``on``; the postal code, when given, one of
    the 町字's; the 番地 within its range. A municipality without a master yet gets no
    message (``is_loaded``): the check starts the day its master is loaded.
    """
    name = clean_name(town_area)
    if not name:
        return []
    loaded, found, postal_codes, block_from, block_to = _lookup(name, on or timezone.localdate())
    if not loaded:
        return []
    in_force = (postal_codes, block_from, block_to) if found else None
    return address_problems(name, in_force, postal, block_number(block))


def address_problems(
    name: str,
    in_force: tuple[list[str], int | None, int | None] | None,
    postal: str,
    number: int | None,
) -> list[tuple[str, str]]:
    """The messages of ``check_address`` once the 町字 in force on the date is known:
    ``in_force`` is its (postal codes, 番地 from, 番地 to), None when the master has no such
    町字 then; ``number`` is the 番地 the address starts with (``block_number``). One wording for
    the one address a 異動 checks and for the many a bulk load does (``bulk``)."""
    if in_force is None:
        return [("town_area", f"町字「{name}」は住所辞書にありません")]
    postal_codes, block_from, block_to = in_force
    errors = []
    if postal:
        code = postal_code(postal)
        if code is None:
            errors.append(("postal_code", "郵便番号は7桁の数字です"))
        elif postal_codes and code not in postal_codes:
            usual = "・".join(postal_codes)
            errors.append(
                ("postal_code", f"郵便番号 {code} は町字「{name}」の郵便番号（{usual}）ではありません")
            )
    message = block_range_problem(number, block_from, block_to)
    if message:
        errors.append(("block", message))
    return errors
