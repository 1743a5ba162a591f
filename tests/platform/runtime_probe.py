"""A request whose SQL tries to leave row-level security, and a process that starts like ``yakuba``.

As a URL configuration it serves ``/api/runtime-probe/LG/OTHER``: inside ``tenant_context(LG)``,
on the connection the request was given, it runs ``RESET ROLE``, ``SET ROLE`` to the owner and
the like, then reports who the session is and how many of OTHER's rows it can see, also after
picking OTHER with ``set_config('yakuba.lg_code', …)``.

``python -m tests.platform.runtime_probe LG OTHER`` starts as every ``yakuba`` command does
(the embedded server unless ``DATABASE_URL`` is set, migrations as the owner), registers both
municipalities with one access-log row each, sends that request through Django's full stack,
adds the user that background jobs log in as, and prints the JSON.
"""

from __future__ import annotations

import json
import sys

from django.urls import path

# Each must fail, or leave the session where it was: a role that cannot leave row-level security.
ESCAPES = (
    "RESET ROLE",
    "SET ROLE NONE",
    "SET ROLE {owner}",
    "SET SESSION AUTHORIZATION {owner}",
    "CREATE EXTENSION dblink",  # would open a new connection, as any user
    "CREATE EXTENSION postgres_fdw",
)

_WHO_SQL = """
SELECT session_user, current_user, r.rolsuper OR r.rolbypassrls,
       (SELECT count(*) FROM audit_entry WHERE lg_code = %s),
       (SELECT count(*) FROM audit_entry WHERE lg_code = %s)
  FROM pg_roles r WHERE r.rolname = current_user
"""


def probe(request, lg_code: str, other: str):
    from django.conf import settings
    from django.db import DatabaseError, connections, transaction
    from django.http import JsonResponse

    from yakuba.platform.tenancy.context import tenant_context

    with tenant_context(lg_code) as tenant, connections[tenant.alias].cursor() as cursor:
        owner = connections[tenant.alias].ops.quote_name(settings.DATABASES[tenant.alias]["OWNER"]["USER"])
        refused = {}
        for escape in ESCAPES:
            try:
                with transaction.atomic(using=tenant.alias):
                    cursor.execute(escape.format(owner=owner))
                refused[escape] = False
            except DatabaseError:
                refused[escape] = True
        cursor.execute(_WHO_SQL, [lg_code, other])
        session_user, current_user, powerful, own_rows, other_rows = cursor.fetchone()
        # Picking the other municipality by hand confines the session to nothing.
        with transaction.atomic(using=tenant.alias):
            cursor.execute("SELECT set_config('yakuba.lg_code', %s, true)", [other])
            cursor.execute(_WHO_SQL, [lg_code, other])
            forged = cursor.fetchone()
    return JsonResponse(
        {
            "refused": refused,
            "session_user": session_user,
            "current_user": current_user,
            "powerful": powerful,
            "own_rows": own_rows,
            "other_rows": other_rows,
            "rows_after_set_config": {"own": forged[3], "other": forged[4]},
        }
    )


urlpatterns = [path("api/runtime-probe/<str:lg_code>/<str:other>", probe)]


def job_user() -> str:
    """The user the background worker's own connections (procrastinate) log in as."""
    import psycopg
    from procrastinate.contrib.django.utils import connector_params

    with psycopg.connect(**connector_params()) as conn:
        return conn.execute("SELECT session_user").fetchone()[0]


def main(lg_code: str, other: str) -> None:
    from yakuba.cli import _setup_django

    _setup_django()
    from django.test import Client, override_settings

    from yakuba.platform.audit.log import SYSTEM, bind_actor, record
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality

    for code in (lg_code, other):
        register_municipality(code)
        with bind_actor(SYSTEM), tenant_context(code):
            record("read", "resident", subjects=["1"])
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
        response = Client().get(f"/api/runtime-probe/{lg_code}/{other}")
    print(json.dumps({**response.json(), "job_user": job_user()}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
