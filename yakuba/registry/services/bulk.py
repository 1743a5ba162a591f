"""Helpers shared by the bulk loads (synthetic population, file import): COPY text and ANALYZE."""

from __future__ import annotations

# PostgreSQL's COPY text format escapes these; everything else goes as it is.
COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


# The columns that search and 異動 statements filter, join or sort on: statistics of the
# other (free text) columns cost most of ANALYZE's time and steer no plan.
_SEARCHED = (
    "lg_code, atena_no, setai_no, status, kana_key, name_key, alias_kana_key, birth_sort_date,"
    " town_area, block, address, my_number_hash, juminhyo_code, move_id"
)


def analyze_registry(cursor) -> None:
    """Fresh planner statistics after a bulk load, so the first searches use the indexes.

    The runtime role may ANALYZE tenant tables through the MAINTAIN privilege (PostgreSQL 17+,
    granted after every migrate: ``tenancy/rls.py``); it is not the owner and cannot become it.
    On an older server ANALYZE warns and skips, and autovacuum brings the statistics a little
    later.
    """
    cursor.execute(f"ANALYZE registry_resident ({_SEARCHED}), registry_household")
