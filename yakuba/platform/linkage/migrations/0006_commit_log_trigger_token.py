from django.db import migrations

# The commit-log trigger acts for the event's municipality at COMMIT, possibly after the tenant
# context of the emitting block has ended. Row-level security trusts yakuba.lg_code only with
# the token tenant_context sets next to it (tenancy/rls.py), which SQL run as the runtime role
# cannot compute: the trigger runs as the owner (SECURITY DEFINER) to compute it for
# NEW.lg_code, which the insert of the event already had to pass. It acts for no other
# municipality, and a trigger function cannot be called directly.
INSTALL = """
CREATE OR REPLACE FUNCTION linkage_event_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  flag text := 'yakuba.outbox_' || NEW.lg_code;
  tenant text := current_setting('yakuba.lg_code', true);
  token text := current_setting('yakuba.lg_token', true);
BEGIN
  IF current_setting(flag, true) IS DISTINCT FROM 'yes' THEN
    PERFORM set_config(flag, 'yes', true);
    PERFORM pg_advisory_xact_lock(hashtextextended('yakuba.outbox:' || NEW.lg_code, 0));
    -- Deferred triggers may fire after the tenant context of the emitting block has ended
    -- (an outer transaction): act for the event's municipality, then put the settings back.
    PERFORM set_config('yakuba.lg_code', NEW.lg_code, true),
            set_config('yakuba.lg_token', COALESCE(public.yakuba_tenant_token(NEW.lg_code, pg_backend_pid()), ''), true);
    INSERT INTO linkage_commit (lg_code, position, txid, committed_at)
    VALUES (NEW.lg_code, nextval('linkage_commit_position_seq'), pg_current_xact_id(), clock_timestamp());
    PERFORM set_config('yakuba.lg_code', COALESCE(tenant, ''), true),
            set_config('yakuba.lg_token', COALESCE(token, ''), true);
  END IF;
  RETURN NULL;
END $$;
"""

# Back to 0002's function (invoker's rights, the bare setting).
UNINSTALL = """
CREATE OR REPLACE FUNCTION linkage_event_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
  flag text := 'yakuba.outbox_' || NEW.lg_code;
  tenant text := current_setting('yakuba.lg_code', true);
BEGIN
  IF current_setting(flag, true) IS DISTINCT FROM 'yes' THEN
    PERFORM set_config(flag, 'yes', true);
    PERFORM pg_advisory_xact_lock(hashtextextended('yakuba.outbox:' || NEW.lg_code, 0));
    PERFORM set_config('yakuba.lg_code', NEW.lg_code, true);
    INSERT INTO linkage_commit (lg_code, position, txid, committed_at)
    VALUES (NEW.lg_code, nextval('linkage_commit_position_seq'), pg_current_xact_id(), clock_timestamp());
    PERFORM set_config('yakuba.lg_code', COALESCE(tenant, ''), true);
  END IF;
  RETURN NULL;
END $$;
ALTER FUNCTION linkage_event_commit() RESET search_path;
"""


class Migration(migrations.Migration):
    dependencies = [("linkage", "0005_seal_restricted_fields")]

    operations = [migrations.RunSQL(INSTALL, UNINSTALL)]
