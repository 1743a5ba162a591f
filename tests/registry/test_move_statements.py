"""A 異動 costs a fixed number of statements whatever its size (no N+1); in a 転入 nothing but
its one write statement runs while it holds the municipality's number counters, and the audit
row comes last in it."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import owner_cursor
from tests.registry.conftest import person

pytestmark = pytest.mark.django_db

CHILDREN = ["一郎", "次郎", "三郎", "四郎"]
WRITTEN = [  # every table a 転入 writes
    "registry_move",
    "registry_household",
    "registry_resident_history",
    "registry_resident",
    "linkage_event",
    "audit_entry",
]


def statements(registry, size: int) -> list[str]:
    persons = [person(), person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻")]
    persons += [
        person(f"青木 {name}", "アオキ イチロウ", f"199{k}-05-05", 1, "子") for k, name in enumerate(CHILDREN)
    ]
    with CaptureQueriesContext(connections["default"]) as captured:
        registry.move_in(*persons[:size], confirm_duplicates=True)  # the same family each time
    return [q["sql"] for q in captured.captured_queries]


def test_move_in_statements_do_not_grow_with_the_household(registry):
    statements(registry, 1)  # the first request also looks up the municipality's database
    assert len(statements(registry, 1)) == len(statements(registry, 6))


def test_events_and_audit_travel_in_the_write_that_follows_numbering(registry):
    """move_store._store: the counters stay locked from numbering until COMMIT, and every 異動 of the
    municipality that needs a number waits for them — so the events and the audit row are
    CTEs of the one write statement instead of two more round trips under that lock."""
    sql = statements(registry, 4)
    numbering = next(i for i, q in enumerate(sql) if "INSERT INTO registry_number_counter" in q)
    write = sql[numbering + 1]
    assert "INSERT INTO registry_resident " in write
    assert "INSERT INTO linkage_event" in write and "INSERT INTO audit_entry" in write
    # After it only COMMIT (not logged) — here, inside the test's transaction, the release of
    # the savepoints and the restored tenant setting stand in for it.
    rest = [q for q in sql[numbering + 2 :] if not q.startswith(("RELEASE SAVEPOINT", "SELECT set_config"))]
    assert rest == []


@pytest.mark.django_db(transaction=True)
def test_the_audit_row_is_the_writes_last_insert(registry):
    """The audit row's trigger takes the municipality's audit-chain lock until COMMIT; taken
    before the person rows, a write waiting on another transaction's uncommitted row would hold
    the lock that transaction needs for its own audit row (audit.log.insert_after)."""
    connection = connections["default"]
    connection.ensure_connection()
    seen: list[str] = []
    connection.connection.add_notice_handler(lambda diag: seen.append(diag.message_primary))
    with owner_cursor() as cursor:  # triggers are the table owner's to create
        cursor.execute(
            "CREATE FUNCTION test_seen() RETURNS trigger LANGUAGE plpgsql"
            " AS $$ BEGIN RAISE NOTICE '%', TG_TABLE_NAME; RETURN NEW; END $$"
        )
        for table in WRITTEN:
            cursor.execute(
                f"CREATE TRIGGER test_seen BEFORE INSERT OR UPDATE ON {table}"
                " FOR EACH ROW EXECUTE FUNCTION test_seen()"
            )
    try:
        statements(registry, 2)
    finally:
        with owner_cursor() as cursor:
            for table in WRITTEN:
                cursor.execute(f"DROP TRIGGER test_seen ON {table}")
            cursor.execute("DROP FUNCTION test_seen()")
    assert set(seen) == set(WRITTEN)
    assert seen[-1] == "audit_entry" and seen.count("audit_entry") == 1
