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

    ANALYZE needs the table owner: step out of the application role for it (a connection that
    is not the owner gets a warning and the statistics come from autovacuum a little later).
    """
    cursor.execute("SELECT current_setting('role')")
    role = cursor.fetchone()[0]
    cursor.execute("SELECT set_config('role', 'none', true)")
    cursor.execute(f"ANALYZE registry_resident ({_SEARCHED}), registry_household")
    cursor.execute("SELECT set_config('role', %s, true)", [role])
