"""``field__any=[...]``: ``field = ANY(%s)`` with the list as one array parameter.

Django's ``__in`` writes one placeholder per value: a batch page of thousands of 宛名番号 costs a
query text of thousands of ``%s`` that Django resolves and psycopg converts value by value — on
the 国保 本算定 that was the largest share of the main process's time, which is the batch's
critical path. One array parameter is one value to adapt, and PostgreSQL uses the same index.
Registered on every field by the tenancy app (the platform's first), so each domain's door can
use it.
"""

from __future__ import annotations

from django.db.models import Field, Lookup


class Any(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        # One parameter, the whole list: psycopg adapts it as an array.
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def register() -> None:
    Field.register_lookup(Any)
