from django.db import migrations

# At COMMIT (deferred constraint trigger), the first event row of a transaction records the
# transaction in the commit log with the next position, under a per-municipality lock held until
# the commit completes: commit order = position order. Positions come from a sequence (not
# max()+1, which would read a stale snapshot under REPEATABLE READ). Later event rows of the
# same transaction and municipality find the transaction-local flag set and do nothing.
INSTALL = """
CREATE SEQUENCE IF NOT EXISTS linkage_commit_position_seq;
GRANT USAGE, SELECT ON SEQUENCE linkage_commit_position_seq TO PUBLIC;

CREATE OR REPLACE FUNCTION linkage_event_commit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  flag text := 'yakuba.outbox_' || NEW.lg_code;
  tenant text := current_setting('yakuba.lg_code', true);
BEGIN
  IF current_setting(flag, true) IS DISTINCT FROM 'yes' THEN
    PERFORM set_config(flag, 'yes', true);
    PERFORM pg_advisory_xact_lock(hashtextextended('yakuba.outbox:' || NEW.lg_code, 0));
    -- Deferred triggers may fire after the tenant context of the emitting block has ended
    -- (an outer transaction): act for the event's municipality, then put the setting back.
    PERFORM set_config('yakuba.lg_code', NEW.lg_code, true);
    INSERT INTO linkage_commit (lg_code, position, txid, committed_at)
    VALUES (NEW.lg_code, nextval('linkage_commit_position_seq'), pg_current_xact_id(), clock_timestamp());
    PERFORM set_config('yakuba.lg_code', COALESCE(tenant, ''), true);
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER linkage_event_commit AFTER INSERT ON linkage_event
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION linkage_event_commit();
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS linkage_event_commit ON linkage_event;
DROP FUNCTION IF EXISTS linkage_event_commit();
DROP SEQUENCE IF EXISTS linkage_commit_position_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("linkage", "0001_initial")]

    operations = [migrations.RunSQL(INSTALL, UNINSTALL)]
