"""Reading the registry: a person now or as of a date, their history, a household, search.

Reads return ``records`` (typed, masked for the caller) and never reveal a person under
支援措置 to a caller without the right: for them the person does not exist, and the attempt is
audited (``audit.refuse``). Callers record their successful reads (API endpoints and screens
declare it).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
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


def address_column(text: str) -> str:
    """The column a typed address is matched on: the full address when typed from the
    prefecture, else the 町字 (clerks type the address from the 町字 on)."""
    return "address" if text.startswith(_PREFECTURES) else "town_area"


_ATENA = re.compile(r"^\d{2,15}$")


def check_hidden(atena_no: str, visibility: Visibility, action: str, resource: str) -> bool:
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
    protected = check_hidden(atena_no, visibility, Action.READ, "resident")
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
    found = dict(Resident.objects.filter(atena_no__any=wanted).values_list("atena_no", "name"))
    missing = wanted - found.keys()
    if missing:
        found |= dict(ResidentArchive.objects.filter(atena_no__any=missing).values_list("atena_no", "name"))
    return found


def household_members(setai_no: str) -> set[str]:
    """宛名番号 of the current members (住民, 転出予定) of a 世帯 — ids only, protected persons
    included: for a caller that must decide whether a disclosure names a protected person
    (certificates) before reading anything through the masked reads. Never shown as such."""
    return set(
        Resident.objects.filter(
            setai_no=setai_no, status__in=(Status.RESIDENT, Status.MOVING_OUT)
        ).values_list("atena_no", flat=True)
    )


def heads_of(setai_nos: Iterable[str]) -> dict[str, str]:
    """{世帯番号: 世帯主の宛名番号} of the 世帯 asked (ids only, one query) — for an app that keeps
    its own 世帯 keyed by the registry's (国保世帯 and its 擬制世帯主)."""
    return dict(
        Household.objects.filter(setai_no__in=set(setai_nos)).values_list("setai_no", "head_atena_no")
    )


def birth_dates_of(atena_nos: Iterable[str]) -> dict[str, date | None]:
    """{宛名番号: 生年月日} of the persons asked, 住民 and 除票 (None: 不詳; ids and dates only, two
    queries whatever their number) — for an app that keeps persons by 宛名番号 only and needs their
    ages (国保: 介護分, 未就学児; a member who left during the 年度 still owes its months)."""
    wanted = set(atena_nos)
    found = dict(Resident.objects.filter(atena_no__any=wanted).values_list("atena_no", "birth_date"))
    missing = wanted - found.keys()
    if missing:
        found |= dict(
            ResidentArchive.objects.filter(atena_no__any=missing).values_list("atena_no", "birth_date")
        )
    return found


def history(atena_no: str, *, visibility: Visibility = MINIMAL) -> list[ResidentRecord]:
    protected = check_hidden(atena_no, visibility, Action.READ, "resident_history")
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
        "move_no": move.move_no,
        "kind": move.kind,
        "setai_no": rows[0][2] if rows else None,
        "persons": [[a, h] for a, h, _s in rows],
        "warnings": [],
    }


@dataclass(frozen=True)
class SearchQuery:
    """What a clerk or a client searches by; every criterion given must match.

    Readings (``…_kana``) are prefixes of the folded reading (``kana_search_key``), written
    names prefixes of the name as written, surname first (``name_search_key``). 世帯主 is the
    head of the person's current 世帯 (住民基本台帳法第7条第4号); 旧氏 (施行令第30条の13) and
    通称 (施行令第30条の16) are the person's own items.
    """

    name_kana: str = ""
    name: str = ""
    birth_date: str = ""
    address: str = ""
    atena_no: str = ""
    my_number: str = ""
    head_name: str = ""
    head_name_kana: str = ""
    former_surname: str = ""
    former_surname_kana: str = ""
    alias: str = ""
    alias_kana: str = ""
    include_removed: bool = True
    limit: int = 50


@dataclass(frozen=True)
class SearchHit:
    """One result with the 世帯主 of the person's 世帯, read in the same statement.

    ``head_name`` is "" for a 除票 (its 世帯 may since have another head; its history says who
    it was then) and ``None`` when the 世帯主 is under 支援措置 and hidden from the caller: a
    family member's row must not name them (住民記録システム標準仕様書 §3.4).
    """

    record: ResidentRecord
    head_atena_no: str
    head_name: str | None


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
    """Current residents and 除票 (the archive included) matching every criterion, in the order
    of the main criterion (see ``_order``).

    Kana is a prefix match on a normalized key (濁点, small kana, long vowels and half-width
    input folded: see ``kana_search_key``); the kanji name is a prefix match (surname first, as
    clerks type it); the address matches from the 町字 on, or from the prefecture. A search by
    世帯主 finds the current members of the 世帯 whose head matches (no 除票: a 除票's 世帯 is
    the one of its time, in its history).
    """
    return [hit.record for hit in search_hits(query, visibility=visibility)]


# Who is covered today by a 支援措置 (as 申出者 or as a family member covered with them): the
# rule of ``protection.protected_among`` as a condition on the row ``{row}``; three parameters.
PROTECTED_ROW_SQL = (
    "EXISTS (SELECT 1 FROM registry_protection p WHERE p.lg_code = {row}.lg_code"
    " AND (p.atena_no = {row}.atena_no OR {row}.atena_no = ANY(p.covered_atena_nos))"
    " AND p.starts_on <= %s AND p.ends_on >= %s AND (p.ended_early_on IS NULL OR p.ended_early_on > %s))"
)
_LIVE = f"({int(Status.RESIDENT)}, {int(Status.MOVING_OUT)})"
# A search by 世帯主: the heads in their index's order, each with the members of their 世帯 that
# match the other criteria ({inner}). The members are looked up per head (LATERAL; OFFSET 0
# keeps the planner from flattening it into a hash join of every head the prefix matches), so
# the walk keeps the heads' order and a page stops after its heads.
_HEAD_SOURCE = (
    "registry_resident hd CROSS JOIN LATERAL (SELECT r.* FROM registry_household h"
    " JOIN {table} r ON r.lg_code = h.lg_code AND r.setai_no = h.setai_no"
    " WHERE h.lg_code = hd.lg_code AND h.setai_no = hd.setai_no AND h.head_atena_no = hd.atena_no"
    " AND {inner} OFFSET 0) r"
)


def search_hits(query: SearchQuery, *, visibility: Visibility = MINIMAL) -> list[SearchHit]:
    """The search of ``search`` with each person's 世帯主, for result lists: one statement
    whatever the number of results.

    A branch per table (live, archive) and per key (name reading, 通称 reading), each walking
    its index in order and stopping after a page, merged, then joined with each person's 世帯
    and its head. Prefixes are ranges on "C"-collated columns: under row-level security only
    leakproof operators can be index conditions, and comparisons are while LIKE is not. 旧氏
    and the written 通称 have no key column yet: they are compared row by row, on the rows the
    other criteria leave (every row of the municipality when they are the only criterion).
    """
    tenant = require_tenant()
    limit = max(1, min(query.limit, SEARCH_LIMIT))
    today = timezone.localdate()
    where = _conditions(query, tenant.lg_code)
    if where.head:
        where.person.append(f"r.status IN {_LIVE}")
        where.head.append(f"hd.status IN {_LIVE}")
        if not visibility.protected:  # nobody finds a family by the name of its hidden head
            where.head.append("NOT " + PROTECTED_ROW_SQL.format(row="hd"))
            where.head_params += [today, today, today]
    elif not query.include_removed:
        where.person.append(f"r.status <> {int(Status.REMOVED)}")
    if not visibility.protected:
        where.person.append("NOT " + PROTECTED_ROW_SQL.format(row="r"))
        where.params += [today, today, today]
    key = kana_search_key(query.name_kana) if query.name_kana else ""
    order = _order(query, key, where.head_column)
    tables = ("registry_resident",)
    if query.include_removed and not where.head:
        tables += ("registry_resident_archive",)
    branches, params = [], []
    for table in tables:
        for key_field in ("kana_key", "alias_kana_key") if key else ("kana_key",):
            conditions = list(where.person)
            person_params = [*where.params]
            if key:
                conditions.append(f"r.{key_field} >= %s AND r.{key_field} < %s")
                person_params += [key, successor(key)]
                if key_field == "alias_kana_key":
                    conditions.append("r.alias_kana_key <> ''")  # lets the planner use the partial index
            if where.head:
                source = _HEAD_SOURCE.format(table=table, inner=" AND ".join(conditions))
                conditions = where.head
                person_params += where.head_params  # in the order of the text: FROM, then WHERE
            else:
                source = f"{table} r"
            columns = [_COLUMNS, *(f"{expr} AS {name}" for expr, name in order if expr != f"r.{name}")]
            walk = [f"r.{key_field}" if expr == "r.kana_key" else expr for expr, _name in order]
            branches.append(
                f"(SELECT {', '.join(columns)} FROM {source} WHERE {' AND '.join(conditions)}"
                f" ORDER BY {', '.join(walk)} LIMIT %s)"
            )
            params += [*person_params, limit]
    # Only one of the two flags can be true for this caller: a caller who may not see protected
    # persons never gets one (the branches left them out), only their hidden 世帯主.
    person_protected = PROTECTED_ROW_SQL.format(row="s") if visibility.protected else "false"
    head_hidden = "false" if visibility.protected else PROTECTED_ROW_SQL.format(row="hh")
    sql = (
        f"SELECT s.*, hh.atena_no AS head_no, hh.name AS head_name, {head_hidden} AS head_hidden,"
        f" {person_protected} AS person_protected FROM ({' UNION ALL '.join(branches)}) s"
        " LEFT JOIN registry_household sh ON sh.lg_code = s.lg_code AND sh.setai_no = s.setai_no"
        f" AND s.status <> {int(Status.REMOVED)}"
        " LEFT JOIN registry_resident hh ON hh.lg_code = sh.lg_code AND hh.atena_no = sh.head_atena_no"
        f" ORDER BY {', '.join('s.' + name for _expr, name in order)}"
    )
    rows = Resident.objects.raw(sql, [today, today, today, *params])
    unique: dict[str, Resident] = {}
    for row in rows:
        unique.setdefault(row.atena_no, row)  # a person found by both readings appears once
    return [
        SearchHit(
            record=resident_record(r, visibility, protected=r.person_protected),
            head_atena_no="" if r.head_hidden else r.head_no or "",
            head_name=None if r.head_hidden else r.head_name or "",
        )
        for r in list(unique.values())[:limit]
    ]


def _order(query: SearchQuery, key: str, head_column: str) -> list[tuple[str, str]]:
    """The result order as (expression in a branch, column of the merged rows), chosen so that
    each branch walks the index of its main criterion and stops after one page: the heads'
    order (then each 世帯's head first) for a 世帯主 search, kana order for a kana search,
    address order for an address search … (an order the filter's index cannot give would make
    PostgreSQL scan every match)."""

    def plain(*columns: str) -> list[tuple[str, str]]:
        return [(f"r.{c}", c) for c in columns]

    if head_column:
        walk = [("hd.kana_key", "head_sort_key"), ("hd.birth_sort_date", "head_sort_birth")]
        if head_column == "name_key":
            walk = [("hd.name_key", "head_sort_key")]
        member = ("r.atena_no <> hd.atena_no", "head_sort_member")  # the head first
        return [*walk, ("hd.atena_no", "head_sort_no"), member, *plain("birth_sort_date", "atena_no")]
    if key:
        return plain("kana_key", "birth_sort_date", "atena_no")
    if query.name:
        return plain("name_key", "atena_no")
    if query.alias_kana:
        return plain("alias_kana_key", "birth_sort_date", "atena_no")
    if query.address:
        column = address_column(query.address)
        return plain(column, "block", "atena_no") if column == "town_area" else plain(column, "atena_no")
    if query.birth_date:
        return plain("birth_sort_date", "kana_key", "atena_no")
    if query.former_surname or query.former_surname_kana or query.alias:
        return plain("kana_key", "birth_sort_date", "atena_no")  # few matches: sorted, not walked
    return plain("atena_no")


_COLUMNS = ", ".join(f'r."{f.column}"' for f in Resident._meta.concrete_fields)


def successor(prefix: str) -> str:
    """The least text after every text starting with ``prefix`` in "C" order: a prefix match
    is the range ``prefix <= key < successor(prefix)``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _kana_folding() -> tuple[str, str]:
    """``translate()`` arguments turning a stored フリガナ (full-width katakana, checked on the
    way in) into its ``kana_search_key`` in SQL, derived from that function so the two agree:
    for the readings without a key column of their own (旧氏)."""
    mapped, targets, dropped = [], [], []
    for ch in map(chr, [*range(0x30A1, 0x30FD), 0x3000, 0x20]):  # ァ…ヺ ・ ー, spaces
        folded = kana_search_key(ch)
        if folded == ch or len(folded) > 1:
            continue
        (mapped if folded else dropped).append(ch)
        targets.append(folded)
    return "".join(mapped + dropped), "".join(targets)


_KANA_FOLDING = _kana_folding()
# ``name_search_key`` in SQL, for the written items without a key column (旧氏, 通称): NFKC,
# without spaces and variation selectors, lower case.
_NAME_KEY_SQL = "lower(regexp_replace(normalize({column}, NFKC), %s, '', 'g'))"
_NAME_KEY_DROPPED = "[\\s\ufe00-\ufe0f\U000e0100-\U000e01ef]"


@dataclass
class _Where:
    """SQL conditions with their parameters: on the person (alias ``r``) and, for a search by
    世帯主, on the head (alias ``hd``) with the head's key column the result order walks."""

    lg_code: str
    person: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    head_params: list = field(default_factory=list)
    head_column: str = ""

    def __post_init__(self) -> None:
        self.person.append("r.lg_code = %s")
        self.params.append(self.lg_code)

    def prefix(self, column: str, value: str) -> None:
        self.person.append(f"r.{column} >= %s AND r.{column} < %s")
        self.params += [value, successor(value)]

    def head_prefix(self, column: str, value: str) -> None:
        if not self.head:
            self.head.append("hd.lg_code = %s")
            self.head_params.append(self.lg_code)
            self.head_column = column
        self.head.append(f"hd.{column} >= %s AND hd.{column} < %s")
        self.head_params += [value, successor(value)]

    def unindexed(self, column: str, sql: str, *params) -> None:
        """A prefix of an item without a key column: checked row by row on the rows the other
        criteria leave (only persons who have the item: a leakproof test first)."""
        self.person.append(f"r.{column} <> '' AND left({sql}, %s) = %s")
        self.params += list(params)


def _conditions(query: SearchQuery, lg_code: str) -> _Where:
    """SQL conditions for every criterion except the name reading (a branch each: ``search_hits``)."""
    errors = Collector()
    where = _Where(lg_code)
    criteria = bool(query.name_kana and kana_search_key(query.name_kana))
    if query.name and name_search_key(query.name):
        where.prefix("name_key", name_search_key(query.name))
        criteria = True
    birth = parse_birth(query.birth_date, errors)
    if birth:
        where.person.append("r.birth_sort_date BETWEEN %s AND %s")
        where.params.extend(birth)
        criteria = True
    if query.address:
        # A full address ("福島県会津若松市東栄町…") or, as clerks usually type it, from the 町字 on.
        where.prefix(address_column(query.address), query.address)
        criteria = True
    if query.atena_no:
        if not _ATENA.match(query.atena_no):
            errors.add("atena_no", "宛名番号は数字で入力してください")
        where.person.append("r.atena_no = %s")
        where.params.append(query.atena_no)
        criteria = True
    if query.my_number:
        where.person.append("r.my_number_hash = %s")
        where.params.append(my_number_lookup(lg_code, query.my_number))
        criteria = True
    if key := query.head_name_kana and kana_search_key(query.head_name_kana):
        where.head_prefix("kana_key", key)
    if key := query.head_name and name_search_key(query.head_name):
        where.head_prefix("name_key", key)
    if key := query.alias_kana and kana_search_key(query.alias_kana):
        where.prefix("alias_kana_key", key)
        where.person.append("r.alias_kana_key <> ''")  # the partial index of 通称 readings
        criteria = True
    if key := query.former_surname_kana and kana_search_key(query.former_surname_kana):
        folded = "translate(r.former_surname_kana, %s, %s)"
        where.unindexed("former_surname_kana", folded, *_KANA_FOLDING, len(key), key)
        criteria = True
    for column in ("former_surname", "alias"):
        if key := getattr(query, column) and name_search_key(getattr(query, column)):
            sql = _NAME_KEY_SQL.format(column=f"r.{column}")
            where.unindexed(column, sql, _NAME_KEY_DROPPED, len(key), key)
            criteria = True
    errors.raise_if_any()
    if not (criteria or where.head):
        errors.add("query", "検索条件を1つ以上入力してください")
        errors.raise_if_any()
    return where
