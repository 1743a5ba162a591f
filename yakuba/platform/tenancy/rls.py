"""Row-level security for tenant tables and the runtime role, re-applied after every ``migrate``.

Requests, jobs and CLI work log in as ``yakuba_app`` (``database.py``): not a superuser, no
``BYPASSRLS``, owner of nothing, member of no role. Tenant tables use ``FORCE ROW LEVEL
SECURITY``, so isolation holds for raw SQL too, and since the session itself is the
non-owner role, neither ``RESET ROLE`` nor ``SET ROLE`` can leave it, even when
``DATABASE_URL`` names a superuser (docs/architecture.md, "Data and tenancy"; docs/operations.md "Database roles").

Nor can it pick another municipality with ``set_config('yakuba.lg_code', …)``: the policies
ask ``yakuba_tenant()``, which trusts the setting only with the token ``tenant_context`` sets
next to it, an HMAC of the code and the session's backend pid under a key kept in a table the
role cannot read.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from base64 import b64decode

import psycopg
from django.apps import apps as global_apps
from django.conf import settings
from django.db import DatabaseError, connections

from yakuba.platform.database import APP_ROLE, DatabaseConfigError

POLICY = "tenant_isolation"
SETTING = "yakuba.lg_code"
# Proof that ``tenant_context`` set SETTING: HMAC-SHA256 under the tenant key of
# "<lg_code>:<backend pid>", which the runtime role can neither read nor compute.
TOKEN_SETTING = "yakuba.lg_token"
KEY_TABLE = "tenancy_tenant_key"
# The tenant the policies trust: SETTING when the token proves it (``tenant_function_sql``).
TENANT_FUNCTION = "yakuba_tenant"

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


@functools.lru_cache(maxsize=4)
def tenant_key(password: str) -> bytes:
    """The per-deployment key of the tenant tokens, derived from the runtime role's password.

    Every process that can log in as the role knows it without one more secret to distribute,
    and it changes exactly when the password does (with the secret key, unless
    ``YAKUBA_APP_DB_PASSWORD`` is given): a process with a stale key cannot log in either,
    rather than silently seeing no rows. SQL run as the role cannot compute it.
    """
    return hmac.digest(password.encode(), b"yakuba-tenant-key", "sha256")


@functools.lru_cache(maxsize=4)
def _keyed(password: str):
    return hmac.new(tenant_key(password), digestmod="sha256")


def tenant_token(password: str, lg_code: str, backend_pid: int) -> str:
    """``TOKEN_SETTING`` for ``lg_code`` on the session of ``backend_pid`` (hex HMAC-SHA256)."""
    mac = _keyed(password).copy()
    mac.update(f"{lg_code}:{backend_pid}".encode())
    return mac.hexdigest()


def _key_pads(password: str) -> tuple[bytes, bytes]:
    # HMAC (RFC 2104) = H((K ^ opad) || H((K ^ ipad) || m)) with K padded to SHA-256's 64-byte
    # block: storing the two padded keys lets SQL compute it with the built-in sha256() alone
    # (the embedded server has no pgcrypto).
    block = tenant_key(password).ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in block), bytes(b ^ 0x5C for b in block)


# The key table and the functions are the owner's; the role gets no privilege on the table nor
# on the token function, and may call TENANT_FUNCTION, which only answers for its own session.
# Their search_path holds only pg_catalog (and pg_temp last, which is never searched for
# functions or operators): where the role may create objects in public (PostgreSQL 14 or older
# without the REVOKE of docs/operations.md), it could otherwise add an operator that changes
# what the token is computed over.
# HMAC-SHA256 of {message} (text) under the key of row ``k`` of KEY_TABLE, in hex.
_HMAC_SQL = "encode(sha256(k.outer_pad || sha256(k.inner_pad || convert_to({message}, 'UTF8'))), 'hex')"

_TENANT_SQL = f"""
CREATE TABLE IF NOT EXISTS {KEY_TABLE} (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  inner_pad bytea NOT NULL,
  outer_pad bytea NOT NULL
);
CREATE OR REPLACE FUNCTION yakuba_tenant_token(lg text, pid integer) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT {_HMAC_SQL.format(message="lg || ':' || pid::text")} FROM public.{KEY_TABLE} k
$$;
CREATE OR REPLACE FUNCTION {TENANT_FUNCTION}() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  lg text := nullif(current_setting('{SETTING}', true), '');
  proven boolean;
BEGIN
  -- The owner (migrations, data migrations) scopes its work with the bare setting.
  IF lg IS NULL OR session_user <> '{APP_ROLE}' THEN
    RETURN lg;
  END IF;
  -- yakuba_tenant_token inlined: a function call more would cost a third of the check.
  SELECT current_setting('{TOKEN_SETTING}', true)
         = {_HMAC_SQL.format(message="lg || ':' || pg_backend_pid()::text")}
    INTO proven FROM public.{KEY_TABLE} k;
  RETURN CASE WHEN proven THEN lg END;
END $$;
"""


def _install_tenant_key(cursor, password: str) -> None:
    """The key table (written only when the key differs, so it rarely reaches a statement log)
    and the functions the policies call."""
    cursor.execute(_TENANT_SQL)
    inner, outer = _key_pads(password)
    cursor.execute(f"SELECT inner_pad, outer_pad FROM {KEY_TABLE}")
    row = cursor.fetchone()
    if row is None or (bytes(row[0]), bytes(row[1])) != (inner, outer):
        cursor.execute(
            f"INSERT INTO {KEY_TABLE} (id, inner_pad, outer_pad) VALUES (true, %s, %s)"
            " ON CONFLICT (id) DO UPDATE SET inner_pad = EXCLUDED.inner_pad, outer_pad = EXCLUDED.outer_pad",
            [inner, outer],
        )


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
        _create_app_role(cursor, password)
    elif manager and not (superuser and _has_password(cursor, password)):
        _set_password(cursor, "ALTER ROLE {role} LOGIN PASSWORD %s", password)
    refuse_powerful_app_role(cursor)
    cursor.execute(
        "SELECT rolsuper OR pg_has_role(current_user, %s, 'MEMBER') FROM pg_roles WHERE rolname = current_user",
        [APP_ROLE],
    )
    if not cursor.fetchone()[0]:
        cursor.execute(f"GRANT {APP_ROLE} TO CURRENT_USER")


def _create_app_role(cursor, password: str) -> None:
    """CREATE ROLE, tolerating the migration of another database of the same server creating it
    at the same moment (roles are cluster-wide; advisory locks are per database): the loser's
    statement is undone by its savepoint and the role it found is used."""
    try:
        with cursor.connection.transaction():
            _set_password(cursor, "CREATE ROLE {role} LOGIN PASSWORD %s", password)
    except (DatabaseError, psycopg.Error) as exc:
        cause = exc if isinstance(exc, psycopg.Error) else exc.__cause__
        if not isinstance(cause, psycopg.errors.UniqueViolation | psycopg.errors.DuplicateObject):
            raise


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
        _install_tenant_key(cursor, settings.DATABASES[using]["PASSWORD"])
        cursor.execute(f"REVOKE ALL ON {KEY_TABLE} FROM PUBLIC, {APP_ROLE}")
        cursor.execute(f"REVOKE ALL ON FUNCTION yakuba_tenant_token(text, integer) FROM PUBLIC, {APP_ROLE}")
        # The setting counts only with the token tenant_context sets next to it, so SQL run as
        # the role cannot pick another municipality with set_config. The scalar subquery is an
        # InitPlan: evaluated once per statement, and lg_code = $n still drives index scans.
        predicate = f"lg_code = (SELECT {TENANT_FUNCTION}())"
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
