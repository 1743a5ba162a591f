"""The one writer of a person's rows: history, current row (with search keys and version) and 世帯.

住民記録システム標準仕様書 §1.2.1: every change writes a full history row and never rewrites one;
the current row is a copy of the person's newest history row plus its search keys
(docs/reference/registry-facts.md, 検索) and a version for concurrent edits (409). Three callers
write these rows — the 異動 (one statement per 異動, ``move_store``), the file import
(``imports``) and the synthetic population (``generate.writer``) — and all of them take the
column lists, the search keys and the INSERT/UPDATE statements from here, so that invariant is
written once.

Every statement reads its rows from a ``source`` relation (a CTE, a staging table) that has
``lg_code`` and the columns named here; row-level security checks ``lg_code`` on the way in.
"""

from __future__ import annotations

import functools

from django.db import connections

from yakuba.platform.japanese.kana import kana_search_key, name_search_key
from yakuba.registry.models import PersonRecord

# The 住民票 items of PersonRecord, in model order (without tenant and provenance columns).
ITEMS = [
    f.attname
    for f in PersonRecord._meta.concrete_fields
    if f.attname not in ("id", "lg_code", "move_id", "move_kind", "move_date", "processed_at")
]
# Which 異動 wrote the row, and its place in the person's history.
PROVENANCE = ["move_id", "move_kind", "move_date", "processed_at", "history_no"]
HISTORY_COLUMNS = [*ITEMS, *PROVENANCE]
SEARCH_KEY_COLUMNS = ["name_key", "kana_key", "alias_kana_key"]
CURRENT_COLUMNS = [*HISTORY_COLUMNS, *SEARCH_KEY_COLUMNS, "version"]
HOUSEHOLD_ADDRESS_FIELDS = ("postal_code", "address", "town_area", "block", "address_extra")
HOUSEHOLD_COLUMNS = ["setai_no", *HOUSEHOLD_ADDRESS_FIELDS, "head_atena_no", "active", "version"]

# Names repeat across a town (and a 世帯 shares its surname): the Unicode normalizations of
# a フリガナ are worth caching.
_kana_key = functools.lru_cache(maxsize=65536)(kana_search_key)


def search_keys(name: str, name_kana: str, alias_kana: str | None) -> tuple[str, str, str]:
    """(name_key, kana_key, alias_kana_key) of a person, in ``SEARCH_KEY_COLUMNS`` order."""
    return name_search_key(name), _kana_key(name_kana), _kana_key(alias_kana) if alias_kana else ""


def columns(names, prefix: str = "") -> str:
    """``lg_code`` and ``names`` as a column list, each with ``prefix``."""
    return ", ".join(f"{prefix}{n}" for n in ("lg_code", *names))


def record_type(model, names) -> str:
    """Column definitions for ``jsonb_to_recordset``, typed as ``model``'s columns."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return ", ".join(f'"{n}" {fields[n].db_type(connections["default"])}' for n in names)


def insert_history(source: str) -> str:
    """History rows (``HISTORY_COLUMNS``) from ``source``."""
    return f"INSERT INTO registry_resident_history ({columns(HISTORY_COLUMNS)}) SELECT {columns(HISTORY_COLUMNS)} FROM {source}"


def insert_current(source: str) -> str:
    """Current rows of new persons (``CURRENT_COLUMNS``) from ``source``."""
    return f"INSERT INTO registry_resident ({columns(CURRENT_COLUMNS)}) SELECT {columns(CURRENT_COLUMNS)} FROM {source}"


def update_current(source: str, alias: str, where: str, lg_code: str) -> str:
    """Current rows of registered persons replaced by ``source`` (as ``alias``), matched by 宛名番号
    within ``lg_code`` (an SQL expression: a parameter lets the index find each row)."""
    names = ", ".join(CURRENT_COLUMNS)
    return (
        f"UPDATE registry_resident r SET ({names}) = ({', '.join(f'{alias}.{c}' for c in CURRENT_COLUMNS)})"
        f" FROM {source} WHERE {where} AND r.lg_code = {lg_code} AND r.atena_no = {alias}.atena_no"
    )


def insert_households(source: str) -> str:
    """世帯 rows (``HOUSEHOLD_COLUMNS``) from ``source``."""
    return f"INSERT INTO registry_household ({columns(HOUSEHOLD_COLUMNS)}) SELECT {columns(HOUSEHOLD_COLUMNS)} FROM {source}"
