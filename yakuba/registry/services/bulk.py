"""Helpers shared by the bulk loads (synthetic population, file import): COPY text and ANALYZE."""

from __future__ import annotations

# PostgreSQL's COPY text format escapes these; everything else goes as it is.
COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def analyze_registry(cursor) -> None:
    """Fresh planner statistics after a bulk load, so the first searches use the indexes.

    ANALYZE needs the table owner: step out of the application role for it (a connection that
    is not the owner gets a warning and the statistics come from autovacuum a little later).
    """
    cursor.execute("SELECT current_setting('role')")
    role = cursor.fetchone()[0]
    cursor.execute("SELECT set_config('role', 'none', true)")
    cursor.execute("ANALYZE registry_resident, registry_household")
    cursor.execute("SELECT set_config('role', %s, true)", [role])
