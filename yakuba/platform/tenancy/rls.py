"""Row-level security for tenant tables, re-applied after every ``migrate``.

Requests run as the non-owner role ``yakuba_app`` (``SET LOCAL ROLE`` per transaction) and
tenant tables use ``FORCE ROW LEVEL SECURITY``, so isolation holds even for a raw SQL query and
even when ``DATABASE_URL`` names a superuser (ARCHITECTURE "Tenancy").
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import connections

APP_ROLE = "yakuba_app"
POLICY = "tenant_isolation"
SETTING = "yakuba.lg_code"


def tenant_tables() -> list[str]:
    from yakuba.platform.tenancy.models import TenantModel

    return sorted(
        m._meta.db_table
        for m in global_apps.get_models()
        if issubclass(m, TenantModel) and m._meta.managed and not m._meta.proxy
    )


def ensure_app_role(cursor) -> None:
    cursor.execute(
        f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
            CREATE ROLE {APP_ROLE} NOLOGIN;
          END IF;
        END $$;
        """
    )
    cursor.execute(
        "SELECT rolsuper OR pg_has_role(current_user, %s, 'MEMBER') FROM pg_roles WHERE rolname = current_user",
        [APP_ROLE],
    )
    if not cursor.fetchone()[0]:
        cursor.execute(f"GRANT {APP_ROLE} TO CURRENT_USER")


def apply_row_level_security(sender, using: str = "default", **kwargs) -> None:
    # post_migrate fires once per installed app after all migrations ran; do the work once.
    # Apps listed after tenancy (e.g. audit) can narrow these grants in their own handler.
    if sender.label != "tenancy":
        return
    with connections[using].cursor() as cursor:
        ensure_app_role(cursor)
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
        cursor.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {APP_ROLE}")
        predicate = f"lg_code = current_setting('{SETTING}', true)"
        for table in tenant_tables():
            cursor.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            cursor.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
            cursor.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
            cursor.execute(
                f'CREATE POLICY {POLICY} ON "{table}" USING ({predicate}) WITH CHECK ({predicate})'
            )
