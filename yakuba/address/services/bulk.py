"""Checking a whole batch of addresses against the master in one statement (a file import).

``check_address`` is one round trip per address: right for a 異動, wrong for the migration of a
million residents. Here the caller names its rows as an SQL relation readable in its own
transaction (a staging table, say), the master is joined with all of them at once — an
anti-join on the 町字 name, so only the rows that no 町字 in force accepts go on — and only
those come back, streamed, each with the very messages ``check_address`` gives (one rule:
docs/address.md, "The rules").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections

from yakuba.address.services.master import address_problems, is_loaded
from yakuba.platform.tenancy.context import require_tenant

# The columns the caller's relation must have.
ROW_COLUMNS = ("key", "town_area", "block_number", "postal_code", "on_date")

_IN_FORCE = (
    "t.lg_code = %(address_lg)s AND t.name = a.town_area"
    " AND (t.abolished_on IS NULL OR t.abolished_on > a.on_date)"
    " AND (t.effective_on IS NULL OR t.effective_on <= a.on_date)"
)
# Refused: no 町字 of that name in force on the date accepts the 番地 and the postal code (an
# anti-join over the whole set); then, for those rows only, the 町字 in force (if any) whose
# range and postal codes the messages name.
_REFUSED_SQL = f"""
WITH refused AS MATERIALIZED (
    SELECT a.key, a.town_area, a.block_number, a.postal_code, a.on_date
      FROM {{rows}} AS a
     WHERE a.town_area <> '' AND NOT EXISTS (
           SELECT FROM address_town_area t
            WHERE {_IN_FORCE}
              AND (a.block_number IS NULL
                   OR ((t.block_from IS NULL OR a.block_number >= t.block_from)
                       AND (t.block_to IS NULL OR a.block_number <= t.block_to)))
              AND (a.postal_code = '' OR cardinality(t.postal_codes) = 0
                   OR a.postal_code = ANY (t.postal_codes))))
SELECT DISTINCT ON (a.key) a.key, a.town_area, a.block_number, a.postal_code,
       t.name IS NOT NULL, t.postal_codes, t.block_from, t.block_to
  FROM refused AS a LEFT JOIN address_town_area t ON {_IN_FORCE}
 ORDER BY a.key, t.id
"""


@dataclass(frozen=True)
class RefusedAddress:
    """One row of the caller's the master refuses: its key and every (field, message)."""

    key: int
    problems: tuple[tuple[str, str], ...]


def refused_addresses(rows: str, params: Mapping | None = None) -> Iterator[RefusedAddress]:
    """The rows of ``rows`` whose address ``check_address`` would refuse, in key order.

    ``rows``: a table name or a parenthesised query, run in the caller's transaction, with the
    columns ``ROW_COLUMNS``: ``key`` (an integer the caller knows the row by, a file line),
    ``town_area`` as stored, ``block_number`` (``block_number`` of the 番地・号, NULL when it
    starts with no number), ``postal_code`` (seven digits, or empty when none is given) and
    ``on_date`` (the date the address must be in force on). ``params``: the query's own
    parameters (``%(name)s``). A municipality without a master gets nothing back, as from
    ``check_address``.
    """
    if not is_loaded():
        return
    tenant = require_tenant()
    connection = connections[tenant.alias]
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor(name="address_refused") as cursor:
        cursor.itersize = 5000
        with _without_nested_loops(raw):  # the cursor's query is planned as it is declared
            cursor.execute(_REFUSED_SQL.format(rows=rows), {**(params or {}), "address_lg": tenant.lg_code})
        for key, name, number, postal, found, postal_codes, block_from, block_to in cursor:
            in_force = (postal_codes or [], block_from, block_to) if found else None
            if problems := address_problems(name, in_force, postal, number):
                yield RefusedAddress(key, tuple(problems))


@contextmanager
def _without_nested_loops(raw) -> Iterator[None]:
    """Hash joins for the statement planned inside, whatever the statistics say.

    A caller's staging table has none (a bulk load does not stop to ANALYZE it) and a master
    loaded minutes ago may have none either; estimating a handful of rows on each side, the
    planner picks a nested loop, which compares every staged row with every 町字 in force — a
    million rows times a few hundred 町字, seconds where the hash join takes a fraction of one.
    The setting is the transaction's own and is put back at once."""
    with raw.cursor() as setting:
        setting.execute(
            "SELECT current_setting('enable_nestloop'), set_config('enable_nestloop', 'off', true)"
        )
        (before, _off) = setting.fetchone()
        try:
            yield
        finally:
            setting.execute("SELECT set_config('enable_nestloop', %s, true)", [before])
