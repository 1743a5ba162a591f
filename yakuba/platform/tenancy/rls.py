"""Row-level security for tenant tables and the runtime role, re-applied after every ``migrate``.

Requests, jobs and CLI work log in as ``yakuba_app`` (``database.py``): not a superuser, no
``BYPASSRLS``, owner of nothing, member of no role. Tenant tables use ``FORCE ROW LEVEL
SECURITY``, so isolation holds for raw SQL too, and since the session itself is the
non-owner role, neither ``RESET ROLE`` nor ``SET ROLE`` can leave it, even when
``DATABASE_URL`` names a superuser (ARCHITECTURE "Tenancy"; docs/operations.md "Database roles").
"""

from __future__ import annotations

import hashlib
import hmac
import re
from base64 import b64decode

from django.apps import apps as global_apps
from django.conf import settings
from django.db import connections

from yakuba.platform.database import APP_ROLE, DatabaseConfigError

POLICY = "tenant_isolation"
SETTING = "yakuba.lg_code"

# What would let a session of the runtime role leave it or row-level security: an attribute,
# membership of another role (SET ROLE), or owning an object (ALTER … DISABLE ROW LEVEL
# SECURITY, DROP POLICY). Temporary tables a session created are its own and harmless; indexes
# and TOAST tables belong to their table's owner.
_POWERS_SQL = """
SELECT reason FROM pg_roles r, LATERAL (
  SELECT 'SUPERUSER/BYPASSRLS/CREATEROLE/CREATEDB/REPLICATION 属性'
   WHERE r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication
  UNION ALL
  SELECT 'ロール ' || g.rolname || ' のメンバー'
    FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid
  UNION ALL
  SELECT 'データベース ' || d.datname || ' の所有者' FROM pg_database d WHERE d.datdba = r.oid
  UNION ALL
  SELECT 'スキーマ ' || n.nspname || ' の所有者' FROM pg_namespace n WHERE n.nspowner = r.oid
  UNION ALL
  SELECT 'テーブル ' || c.relname || ' の所有者' FROM pg_class c
   WHERE c.relowner = r.oid AND c.relpersistence <> 't' AND c.relkind NOT IN ('i', 'I', 't')
  UNION ALL
  SELECT '関数 ' || p.proname || ' の所有者' FROM pg_proc p WHERE p.proowner = r.oid
) powers(reason)
WHERE r.rolname = %s
"""

# Whether the role exists, whether we are a superuser, and whether we may set its password: a
# superuser, or a CREATEROLE role holding ADMIN OPTION on it (PostgreSQL 16+; its creator
# gets that), or before 16 CREATEROLE alone.
_MANAGER_SQL = """
SELECT to_regrole(%(role)s) IS NOT NULL, rolsuper,
       rolsuper OR (rolcreaterole AND (current_setting('server_version_num')::int < 160000
         OR coalesce(pg_has_role(current_user, to_regrole(%(role)s), 'USAGE WITH ADMIN OPTION'), false)))
  FROM pg_roles WHERE rolname = current_user
"""


def tenant_tables() -> list[str]:
    from yakuba.platform.tenancy.models import TenantModel

    return sorted(
        m._meta.db_table
        for m in global_apps.get_models()
        if issubclass(m, TenantModel) and m._meta.managed and not m._meta.proxy
    )


def ensure_app_role(cursor, password: str) -> None:
    """Create the runtime login role or bring its password up to date, then check its powers.

    The password is set only when it differs (a superuser can read the stored verifier): the
    role is shared by every database of the server, so migrations of two databases at once
    would otherwise update the same catalogue row together. It is sent as a SCRAM verifier that
    libpq computes, never in clear into the server's statement log. A role the migrating user
    may not manage (created by the operator) keeps the operator's password; ``migrate_all``
    then tries the login. The owner becomes a member of the role (the harmless direction), so
    that an owner's connection can enter ``tenant_context`` too.
    """
    cursor.execute(_MANAGER_SQL, {"role": APP_ROLE})
    exists, superuser, manager = cursor.fetchone()
    if not exists:
        _set_password(cursor, "CREATE ROLE {role} LOGIN PASSWORD %s", password)
    elif manager and not (superuser and _has_password(cursor, password)):
        _set_password(cursor, "ALTER ROLE {role} LOGIN PASSWORD %s", password)
    refuse_powerful_app_role(cursor)
    cursor.execute(
        "SELECT rolsuper OR pg_has_role(current_user, %s, 'MEMBER') FROM pg_roles WHERE rolname = current_user",
        [APP_ROLE],
    )
    if not cursor.fetchone()[0]:
        cursor.execute(f"GRANT {APP_ROLE} TO CURRENT_USER")


def _set_password(cursor, statement: str, password: str) -> None:
    verifier = cursor.connection.pgconn.encrypt_password(password.encode(), APP_ROLE.encode())
    cursor.execute(statement.format(role=APP_ROLE), [verifier.decode()])


def _has_password(cursor, password: str) -> bool:
    """Whether the role can log in with ``password`` (its SCRAM-SHA-256 verifier, RFC 5802)."""
    cursor.execute("SELECT rolcanlogin, rolpassword FROM pg_authid WHERE rolname = %s", [APP_ROLE])
    can_login, stored = cursor.fetchone()
    match = re.fullmatch(r"SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):[^:]+", stored or "")
    if not can_login or match is None:
        return False
    iterations, salt, stored_key = int(match[1]), b64decode(match[2]), b64decode(match[3])
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    return hmac.compare_digest(hashlib.sha256(client_key).digest(), stored_key)


def refuse_powerful_app_role(cursor) -> None:
    """Stop the migration when the runtime role could leave row-level security.

    The migration never gives the role such powers, but an operator's server may have (a role
    created by hand, a grant made later); requests must not run on it.
    """
    cursor.execute(_POWERS_SQL, [APP_ROLE])
    reasons = [row[0] for row in cursor.fetchall()]
    if reasons:
        raise DatabaseConfigError(
            f"実行用ロール {APP_ROLE} に行レベルセキュリティを外せる権限があります"
            f"（{'、'.join(reasons[:5])}）。取り除いてから再実行してください"
        )


def _grant_database(cursor) -> None:
    """CONNECT and TEMPORARY (bulk loads COPY into temporary tables), in case PUBLIC lost them."""
    cursor.execute(
        "SELECT current_database(), has_database_privilege(%s, current_database(), 'CONNECT, TEMPORARY')",
        [APP_ROLE],
    )
    name, granted = cursor.fetchone()
    if not granted:
        quoted = name.replace('"', '""')
        cursor.execute(f'GRANT CONNECT, TEMPORARY ON DATABASE "{quoted}" TO {APP_ROLE}')


def apply_row_level_security(sender, using: str = "default", **kwargs) -> None:
    # post_migrate fires once per installed app after all migrations ran; do the work once.
    # Apps listed after tenancy (e.g. audit) can narrow these grants in their own handler.
    if sender.label != "tenancy":
        return
    with connections[using].cursor() as cursor:
        # The runtime entry of this alias holds the password every process will log in with.
        ensure_app_role(cursor, settings.DATABASES[using]["PASSWORD"])
        _grant_database(cursor)
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
            if connections[using].pg_version >= 170000:
                # ANALYZE after a bulk load (PostgreSQL 17+: MAINTAIN); statistics of a table
                # under RLS stay hidden from the role (pg_stats leaves such tables out).
                cursor.execute(f'GRANT MAINTAIN ON "{table}" TO {APP_ROLE}')
