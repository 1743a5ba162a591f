"""Reading the registry: a person now or as of a date, their history, a household, search.

Reads return ``records`` (typed, masked for the caller) and never reveal a person under
支援措置 to a caller without the right: for them the person does not exist, and the attempt is
audited (``audit.refuse``). Callers record their successful reads (API endpoints and screens
declare it).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yakuba.platform.audit.log import Action, refuse
from yakuba.platform.japanese.kana import kana_search_key, name_search_key
from yakuba.platform.japanese.wareki import WarekiError, parse_partial_date, parse_wareki
from yakuba.platform.municipalities import Kind, all_municipalities
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.codes import Status
from yakuba.registry.errors import Collector, NotFound
from yakuba.registry.models import Household, Move, Resident, ResidentArchive, ResidentHistory
from yakuba.registry.rules import sort_members
from yakuba.registry.services.protection import is_protected, protected_among
from yakuba.registry.services.records import (
    MINIMAL,
    HouseholdRecord,
    ResidentRecord,
    Visibility,
    my_number_lookup,
    resident_record,
)

SEARCH_LIMIT = 100
# Prefecture names from the built-in master: an address typed from the prefecture is matched
# on the full address, anything else from the 町字.
_PREFECTURES = tuple(m.prefecture for m in all_municipalities() if m.kind == Kind.PREFECTURE)


def _address_column(text: str) -> str:
    return "address" if text.startswith(_PREFECTURES) else "town_area"


_ATENA = re.compile(r"^\d{2,15}$")


def _check_hidden(atena_no: str, visibility: Visibility, action: str, resource: str) -> bool:
    """Whether the person is protected; NotFound (the attempt audited) if hidden from the caller.

    A hidden person looks exactly like one who does not exist (docs/reference/contract.md#protected-persons):
    the same 404, the same message.
    """
    protected = is_protected(atena_no)
    if protected and not visibility.protected:
        refuse(action, resource, subjects=[atena_no], reason="protected")
        raise NotFound(atena_no)
    return protected


def get_resident(
    atena_no: str, *, as_of: date | None = None, visibility: Visibility = MINIMAL
) -> ResidentRecord:
    """The current record, or the record valid on ``as_of`` (latest knowledge: highest 履歴番号
    whose 異動日 is on or before the date). Raises NotFound — also for a person hidden by 支援措置."""
    protected = _check_hidden(atena_no, visibility, Action.READ, "resident")
    if as_of is None:
        row = (
            Resident.objects.filter(atena_no=atena_no).first()
            or ResidentArchive.objects.filter(atena_no=atena_no).first()
        )
    else:
        row = (
            ResidentHistory.objects.filter(atena_no=atena_no, move_date__lte=as_of)
            .order_by("-history_no")
            .first()
        )
    if row is None:
        raise NotFound(atena_no)
    return resident_record(row, visibility, protected=protected)


def names_of(atena_nos: list[str], *, visibility: Visibility = MINIMAL) -> dict[str, str]:
    """{宛名番号: 氏名} for lists (住民 and 除票; two queries whatever their number); persons hidden
    from the caller by 支援措置 are left out."""
    wanted = set(atena_nos)
    if not visibility.protected:
        wanted -= protected_among(wanted)
    found = dict(Resident.objects.filter(atena_no__in=wanted).values_list("atena_no", "name"))
    missing = wanted - found.keys()
    if missing:
        found |= dict(ResidentArchive.objects.filter(atena_no__in=missing).values_list("atena_no", "name"))
    return found


def history(atena_no: str, *, visibility: Visibility = MINIMAL) -> list[ResidentRecord]:
    protected = _check_hidden(atena_no, visibility, Action.READ, "resident_history")
    rows = list(ResidentHistory.objects.filter(atena_no=atena_no).order_by("history_no"))
    if not rows:
        raise NotFound(atena_no)
    return [resident_record(r, visibility, protected=protected) for r in rows]


def household(
    setai_no: str, *, as_of: date | None = None, visibility: Visibility = MINIMAL
) -> HouseholdRecord:
    """The 世帯 with its members in the standard order (§5.2).

    For a caller who may not see protected persons, a 世帯 whose head is protected does not
    exist (its address is theirs) and protected members are left out of any other 世帯.
    """
    row = Household.objects.filter(setai_no=setai_no).first()
    if row is None:
        raise NotFound(setai_no)
    live = (Status.RESIDENT, Status.MOVING_OUT)
    if as_of is None:
        members = list(Resident.objects.filter(setai_no=setai_no, status__in=live))
    else:
        # Each person's row valid on the date; keep those who were then in this household.
        candidates = (
            ResidentHistory.objects.filter(setai_no=setai_no).values_list("atena_no", flat=True).distinct()
        )
        members = []
        for atena_no in candidates:
            member = (
                ResidentHistory.objects.filter(atena_no=atena_no, move_date__lte=as_of)
                .order_by("-history_no")
                .first()
            )
            if member and member.setai_no == setai_no and member.status in live:
                members.append(member)
    protected = protected_among([row.head_atena_no, *(m.atena_no for m in members)])
    if not visibility.protected:
        if row.head_atena_no in protected:
            refuse(Action.READ, "household", subjects=[setai_no, row.head_atena_no], reason="protected")
            raise NotFound(setai_no)
        members = [m for m in members if m.atena_no not in protected]
    if as_of is not None and not members:
        raise NotFound(setai_no)
    ordered = sort_members(members, key=lambda m: (m.relationship, m.birth_sort_date, m.atena_no))
    return HouseholdRecord(
        setai_no=row.setai_no,
        head_atena_no=row.head_atena_no,
        postal_code=row.postal_code,
        address=row.address,
        address_extra=row.address_extra,
        active=row.active,
        version=row.version,
        members=tuple(resident_record(m, visibility, protected=m.atena_no in protected) for m in ordered),
    )


def move_summary(move_id) -> dict:
    """What a recorded 異動 did: kind, 世帯番号 and (宛名番号, 履歴番号) of each person."""
    move = Move.objects.filter(move_id=move_id).first()
    if move is None:
        raise NotFound(str(move_id))
    rows = list(
        ResidentHistory.objects.filter(move=move)
        .order_by("atena_no")
        .values_list("atena_no", "history_no", "setai_no")
    )
    return {
        "kind": move.kind,
        "setai_no": rows[0][2] if rows else None,
        "persons": [[a, h] for a, h, _s in rows],
        "warnings": [],
    }


@dataclass(frozen=True)
class SearchQuery:
    name_kana: str = ""
    name: str = ""
    birth_date: str = ""
    address: str = ""
    atena_no: str = ""
    my_number: str = ""
    include_removed: bool = True
    limit: int = 50


_RANGE = re.compile(r"\s*(?:〜|～|~|から)\s*")


def _span(text: str) -> tuple[date, date]:
    """The days a typed birth date stands for: one day, a month (昭和50年1月) or a year (昭和50年,
    1975年). ISO, 和暦 and the short forms (S35.1.7, 3350107) as ``parse_wareki`` reads them."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        try:
            day = parse_wareki(text)
        except WarekiError as strict:
            value = parse_partial_date(text)
            if isinstance(value, date) or value.day is not None:  # a day that does not exist
                raise strict from None
            if value.is_unknown:
                raise WarekiError("検索する生年月日には年を入れてください") from None
            year = value.gregorian_year()
            if value.month is None:
                return date(year, 1, 1), date(year, 12, 31)
            last = calendar.monthrange(year, value.month)[1]
            return date(year, value.month, 1), date(year, value.month, last)
    return day, day


def parse_birth(text: str, errors: Collector) -> tuple[date, date] | None:
    """The range of birth dates a clerk typed: a day, a month or a year, or two of them joined
    by 〜 (昭和50年〜昭和52年, 1975-04〜1976-03 as 1975年4月〜1976年3月)."""
    if not text:
        return None
    parts = _RANGE.split(text.strip(), maxsplit=1)
    try:
        spans = [_span(part) for part in parts]
    except (WarekiError, ValueError) as exc:
        errors.add("birth_date", str(exc))
        return None
    first, last = spans[0][0], spans[-1][1]
    if last < first:
        errors.add("birth_date", "範囲の始めが終わりより後です")
        return None
    return first, last


def search(query: SearchQuery, *, visibility: Visibility = MINIMAL) -> list[ResidentRecord]:
    """Current residents and 除票 (the archive included) matching every criterion, in kana order.

    Kana is a prefix match on a normalized key (濁点, small kana, long vowels and half-width
    input folded: see ``kana_search_key``); the kanji name is a prefix match (surname first, as
    clerks type it); the address matches from the 町字 on, or from the prefecture. Results come
    in the order of the main criterion (see ``_order``).

    One statement: a branch per table (live, archive) and per key (name reading, 通称 reading),
    each walking its index in order and stopping after a page, merged and cut to the page.
    Prefixes are ranges on "C"-collated columns: under row-level security only leakproof
    operators can be index conditions, and comparisons are while LIKE is not.
    """
    tenant = require_tenant()
    limit = max(1, min(query.limit, SEARCH_LIMIT))
    conditions, params = _conditions(query, tenant.lg_code)
    if not query.include_removed:
        conditions.append(f"r.status <> {int(Status.REMOVED)}")
    if not visibility.protected:
        today = timezone.localdate()
        conditions.append(
            "NOT EXISTS (SELECT 1 FROM registry_protection p WHERE p.lg_code = r.lg_code"
            " AND (p.atena_no = r.atena_no OR r.atena_no = ANY(p.covered_atena_nos)) AND p.starts_on <= %s AND p.ends_on >= %s"
            " AND (p.ended_early_on IS NULL OR p.ended_early_on > %s))"
        )
        params += [today, today, today]
    key = kana_search_key(query.name_kana) if query.name_kana else ""
    order = _order(query, key)
    branches, branch_params = [], []
    for table in (
        ("registry_resident", "registry_resident_archive")
        if query.include_removed
        else ("registry_resident",)
    ):
        for key_field in ("kana_key", "alias_kana_key") if key else ("kana_key",):
            where = list(conditions)
            extra: list = []
            if key:
                where.append(f"r.{key_field} >= %s AND r.{key_field} < %s")
                extra = [key, _successor(key)]
                if key_field == "alias_kana_key":
                    where.append("r.alias_kana_key <> ''")  # lets the planner use the partial index
            branch_order = [key_field if c == "kana_key" else c for c in order]
            branches.append(
                f"(SELECT {_COLUMNS} FROM {table} r WHERE {' AND '.join(where)}"
                f" ORDER BY {', '.join('r.' + c for c in branch_order)} LIMIT %s)"
            )
            branch_params += [*params, *extra, limit]
    sql = f"SELECT * FROM ({' UNION ALL '.join(branches)}) s ORDER BY {', '.join(order)}"
    rows = Resident.objects.raw(sql, branch_params)
    unique = {r.atena_no: r for r in rows}  # a person found by both readings appears once
    found = list(unique.values())[:limit]
    protected = protected_among(r.atena_no for r in found) if visibility.protected else set()
    return [resident_record(r, visibility, protected=r.atena_no in protected) for r in found]


def _order(query: SearchQuery, key: str) -> list[str]:
    """The result order, chosen so that each branch walks the index of its main criterion and
    stops after one page: kana order for a kana search, address order for an address search …
    (an order the filter's index cannot give would make PostgreSQL scan every match)."""
    if key:
        return ["kana_key", "birth_sort_date", "atena_no"]
    if query.name:
        return ["name_key", "atena_no"]
    if query.address:
        column = _address_column(query.address)
        return [column, "block", "atena_no"] if column == "town_area" else [column, "atena_no"]
    if query.birth_date:
        return ["birth_sort_date", "kana_key", "atena_no"]
    return ["atena_no"]


_COLUMNS = ", ".join(f'r."{f.column}"' for f in Resident._meta.concrete_fields)


def _successor(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _conditions(query: SearchQuery, lg_code: str) -> tuple[list[str], list]:
    """SQL conditions (on alias ``r``) and parameters for every criterion except the kana key."""
    errors = Collector()
    conditions, params = ["r.lg_code = %s"], [lg_code]
    criteria = bool(query.name_kana and kana_search_key(query.name_kana))

    def prefix(column: str, value: str) -> None:
        conditions.append(f"r.{column} >= %s AND r.{column} < %s")
        params.extend([value, _successor(value)])

    if query.name and name_search_key(query.name):
        prefix("name_key", name_search_key(query.name))
        criteria = True
    birth = parse_birth(query.birth_date, errors)
    if birth:
        conditions.append("r.birth_sort_date BETWEEN %s AND %s")
        params.extend(birth)
        criteria = True
    if query.address:
        # A full address ("福島県会津若松市東栄町…") or, as clerks usually type it, from the 町字 on.
        prefix(_address_column(query.address), query.address)
        criteria = True
    if query.atena_no:
        if not _ATENA.match(query.atena_no):
            errors.add("atena_no", "宛名番号は数字で入力してください")
        conditions.append("r.atena_no = %s")
        params.append(query.atena_no)
        criteria = True
    if query.my_number:
        conditions.append("r.my_number_hash = %s")
        params.append(my_number_lookup(lg_code, query.my_number))
        criteria = True
    errors.raise_if_any()
    if not criteria:
        errors.add("query", "検索条件を1つ以上入力してください")
        errors.raise_if_any()
    return conditions, params
