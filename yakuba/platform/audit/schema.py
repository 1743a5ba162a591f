"""Database side of the audit log: chain trigger, append-only triggers, verification SQL.

The SQL lives here (not only in a migration) because ``verify`` and the trigger must agree on
the canonical form of a row; ``migrations/0002`` installs ``INSTALL_SQL``.
"""

from __future__ import annotations

from yakuba.platform.tenancy.rls import APP_ROLE

# Canonical form: a JSON array of every column except id, chain position and hash itself.
# jsonb text output is deterministic, handles NULLs and escaping unambiguously.
CANONICAL_SQL = """
CREATE OR REPLACE FUNCTION audit_entry_canonical(e audit_entry) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_array(
    e.lg_code, e.chain_no,
    to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.actor_type, e.actor, e.terminal, e.ip, e.zone, e.action, e.resource,
    to_jsonb(e.subject_ids), e.purpose, e.my_number_shown, e.request_id, e.detail
  )::text
$$;
"""

INSTALL_SQL = (
    CANONICAL_SQL
    + """
CREATE OR REPLACE FUNCTION audit_entry_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  prev record;
BEGIN
  -- One writer per municipality at a time, held to commit: the next writer then sees this
  -- row (READ COMMITTED takes a new snapshot per statement), so the chain never forks.
  PERFORM pg_advisory_xact_lock(hashtextextended('yakuba.audit:' || NEW.lg_code, 0));
  SELECT chain_no, hash INTO prev FROM audit_entry
   WHERE lg_code = NEW.lg_code ORDER BY chain_no DESC LIMIT 1;
  NEW.chain_no := COALESCE(prev.chain_no, 0) + 1;
  NEW.recorded_at := clock_timestamp();
  NEW.hash := encode(sha256(convert_to(COALESCE(prev.hash, '') || audit_entry_canonical(NEW), 'UTF8')), 'hex');
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION audit_entry_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'アクセスログは追記のみです（% は禁止）', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS audit_entry_chain ON audit_entry;
CREATE TRIGGER audit_entry_chain BEFORE INSERT ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_chain();
DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_entry;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse();
"""
)

UNINSTALL_SQL = """
DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_entry;
DROP TRIGGER IF EXISTS audit_entry_chain ON audit_entry;
DROP FUNCTION IF EXISTS audit_entry_refuse();
DROP FUNCTION IF EXISTS audit_entry_chain();
DROP FUNCTION IF EXISTS audit_entry_canonical(audit_entry);
"""

# First row whose stored hash differs from the recomputed one, or whose chain number does not
# follow its predecessor (a deleted row). Runs inside the municipality's tenant_context.
VERIFY_SQL = """
SELECT id, chain_no, recorded_at, hash, expected, prev_chain_no FROM (
  SELECT e.id, e.chain_no, e.recorded_at, e.hash,
         encode(sha256(convert_to(COALESCE(lag(e.hash) OVER w, '') || audit_entry_canonical(e), 'UTF8')), 'hex')
           AS expected,
         lag(e.chain_no) OVER w AS prev_chain_no
    FROM audit_entry e
   WHERE e.lg_code = %s
  WINDOW w AS (ORDER BY e.chain_no)
) s
WHERE hash IS DISTINCT FROM expected OR chain_no <> COALESCE(prev_chain_no, 0) + 1
ORDER BY chain_no
LIMIT 1
"""


def restrict_privileges(sender, using: str = "default", **kwargs) -> None:
    """After every migrate: the application role may only read and append audit rows.

    UPDATE and DELETE are refused by trigger for every role; TRUNCATE is a privilege the
    application role does not have (the schema owner keeps it, e.g. for test-database flushes).
    Nor does it keep MAINTAIN, which tenant tables get for ANALYZE after bulk loads: no bulk load
    writes here, and MAINTAIN would let it lock the log against every writer.
    """
    if sender.label != "audit":
        return
    from django.db import connections

    with connections[using].cursor() as cursor:
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM {APP_ROLE}")
        if connections[using].pg_version >= 170000:
            cursor.execute(f"REVOKE MAINTAIN ON audit_entry FROM {APP_ROLE}")
