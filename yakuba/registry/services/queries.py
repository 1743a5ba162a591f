"""Reading the registry: a person now or as of a date, their history, a household, search.

Reads never reveal a person under 支援措置 to a caller without the right (``may_override``);
callers record their reads in the audit log (API endpoints and screens declare it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yakuba.platform import crypto
from yakuba.platform.japanese.kana import kana_search_key, name_search_key
from yakuba.platform.japanese.wareki import WarekiError, parse_wareki
from yakuba.platform.municipalities import Kind, all_municipalities
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.codes import Status
from yakuba.registry.errors import Collector, NotFound
from yakuba.registry.models import Household, Move, Resident, ResidentArchive, ResidentHistory
from yakuba.registry.rules import sort_members
from yakuba.registry.services.moves import my_number_context, my_number_lookup
from yakuba.registry.services.protection import protected_atena_nos

SEARCH_LIMIT = 100
# Prefecture names from the built-in master: an address typed from the prefecture is matched
# on the full address, anything else from the 町字.
_PREFECTURES = tuple(m.prefecture for m in all_municipalities() if m.kind == Kind.PREFECTURE)


def _address_column(text: str) -> str:
    return "address" if text.startswith(_PREFECTURES) else "town_area"


_ATENA = re.compile(r"^\d{2,15}$")


@dataclass(frozen=True)
class Visibility:
    """What the caller may see: restricted fields, and persons under 支援措置."""

    my_number: bool = False
    juminhyo_code: bool = True
    domicile: bool = True
    protected: bool = False


def _hidden(atena_no: str, visibility: Visibility) -> bool:
    return not visibility.protected and atena_no in protected_atena_nos()


def get_resident(atena_no: str, *, as_of: date | None = None, visibility: Visibility = Visibility()):
    """The current row, or the row valid on ``as_of`` (latest knowledge: highest 履歴番号 whose
    異動日 is on or before the date). Raises NotFound — also for a person hidden by 支援措置."""
    if _hidden(atena_no, visibility):
        raise NotFound(atena_no)
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
    return row


def history(atena_no: str, *, visibility: Visibility = Visibility()) -> list[ResidentHistory]:
    if _hidden(atena_no, visibility):
        raise NotFound(atena_no)
    rows = list(ResidentHistory.objects.filter(atena_no=atena_no).order_by("history_no"))
    if not rows:
        raise NotFound(atena_no)
    return rows


def household_members(setai_no: str, *, as_of: date | None = None, visibility: Visibility = Visibility()):
    """(household, members in the standard order §5.2). Protected members are left out."""
    household = Household.objects.filter(setai_no=setai_no).first()
    if household is None:
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
            row = (
                ResidentHistory.objects.filter(atena_no=atena_no, move_date__lte=as_of)
                .order_by("-history_no")
                .first()
            )
            if row and row.setai_no == setai_no and row.status in live:
                members.append(row)
    hidden = set() if visibility.protected else protected_atena_nos()
    members = [m for m in members if m.atena_no not in hidden]
    if as_of is not None and not members:
        raise NotFound(setai_no)
    ordered = sort_members(members, key=lambda m: (m.relationship, m.birth_sort_date, m.atena_no))
    return household, ordered


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


def my_number_of(row) -> str:
    if not row.my_number_encrypted:
        return ""
    return crypto.decrypt(
        row.my_number_encrypted, context=my_number_context(require_tenant().lg_code, row.atena_no)
    )


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


def parse_birth(text: str, errors: Collector) -> date | None:
    """Birth dates as typed at the counter: 1960-01-07, S35.1.7, 昭和35年1月7日, 3350107 …"""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_wareki(text)
    except (WarekiError, ValueError) as exc:
        errors.add("birth_date", str(exc))
        return None


def search(query: SearchQuery, *, visibility: Visibility = Visibility()) -> list[Resident]:
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
            " AND p.atena_no = r.atena_no AND p.starts_on <= %s AND p.ends_on >= %s"
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
    return list(unique.values())[:limit]


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
        conditions.append("r.birth_sort_date = %s")
        params.append(birth)
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
