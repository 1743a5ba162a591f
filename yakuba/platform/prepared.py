"""A cursor for the fixed statements every request runs, prepared once per connection.

Django's PostgreSQL cursors bind parameters on the client and never prepare, so PostgreSQL
parses and plans each statement again: for the one-statement write of a 異動 that took about as
long as running it. ``prepared_cursor`` binds on the server and prepares each statement text on
its first run on a connection (``prepare_threshold`` 0 in ``database.py``, which Django's own
cursors ignore); the pool keeps connections, so a statement is planned once per connection.

Use it only for statements whose text is constant (parameters as JSON or arrays, not spliced
in), or the per-connection cache just churns. Django's wrapper is kept, so errors arrive as
``django.db`` exceptions. Plans stay correct under row-level security: the tenant comes from
``current_setting`` at execution, and PostgreSQL replans a statement prepared under another
role.
"""

from __future__ import annotations

import psycopg
from django.db import connections


def prepared_cursor(alias: str):
    """A Django cursor on ``alias`` whose statements are bound server-side and prepared."""
    connection = connections[alias]
    if connection.queries_logged:
        # A prepared execution leaves psycopg no query text, so the query log (DEBUG,
        # assertNumQueries) would show None: while queries are logged, run them as Django does.
        return connection.cursor()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    return connection.make_cursor(psycopg.Cursor(connection.connection))
