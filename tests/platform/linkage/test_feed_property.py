"""Property: whatever the interleaving of committing and rolling-back transactions, a consumer
following the feed gets every committed event at least once, never a rolled-back one, and
rebuilds exactly the final state.

Each writer session runs in its own thread with its own PostgreSQL connection, driven step by
step, so transactions really overlap and commit out of transaction-id order.
"""

from __future__ import annotations

import queue
import threading

import pytest
from django.db import DatabaseError, connections
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import AIZU
from tests.platform.linkage.conftest import KV_TYPE
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.linkage import feed
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import tenant_context
from yakuba.platform.tenancy.services import register_municipality

KEYS = [f"k{i}" for i in range(4)]
SESSIONS = 3


class _Rollback(Exception):
    pass


class Session:
    """A writer thread executing begin / set / commit / rollback on command."""

    def __init__(self) -> None:
        self.inbox: queue.Queue = queue.Queue()
        self.outbox: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._main, daemon=True)
        self.thread.start()
        self.open = False

    def call(self, *cmd):
        self.inbox.put(cmd)
        result = self.outbox.get(timeout=30)
        if isinstance(result, BaseException):
            raise result
        return result

    def _main(self) -> None:
        try:
            while True:
                cmd = self.inbox.get()
                if cmd[0] == "stop":
                    return
                emitted: list[str] = []
                conflict = False
                try:
                    with bind_actor(SYSTEM), tenant_context(AIZU):
                        self.outbox.put("begun")
                        while True:
                            cmd = self.inbox.get()
                            if cmd[0] == "set":
                                try:
                                    emitted.append(self._set(cmd[1], cmd[2]))
                                except DatabaseError:
                                    # Another open transaction holds the key: this one aborts.
                                    conflict = True
                                    raise _Rollback from None
                                self.outbox.put("set")
                            elif cmd[0] == "commit":
                                break
                            else:
                                raise _Rollback
                    self.outbox.put(("committed", emitted))
                except _Rollback:
                    self.outbox.put(("conflict", emitted) if conflict else ("rolled back", emitted))
        finally:
            connections.close_all()

    @staticmethod
    def _set(key: str, value: int) -> str:
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT version FROM linkage_test_kv WHERE lg_code = %s AND key = %s FOR UPDATE NOWAIT",
                [AIZU, key],
            )
            version = cursor.fetchone()[0] + 1
            cursor.execute(
                "UPDATE linkage_test_kv SET value = %s, version = %s WHERE lg_code = %s AND key = %s",
                [value, version, AIZU, key],
            )
        return str(emit(KV_TYPE, subject=key, data={"key": key, "value": value, "version": version}))


_set = st.tuples(st.just("set"), st.integers(0, SESSIONS - 1), st.sampled_from(KEYS), st.integers(0, 99))
step = st.one_of(
    _set,
    _set,
    st.tuples(st.just("begin"), st.integers(0, SESSIONS - 1)),
    st.tuples(st.just("commit"), st.integers(0, SESSIONS - 1)),
    st.tuples(st.just("rollback"), st.integers(0, SESSIONS - 1)),
    st.tuples(st.just("poll"), st.integers(1, 5)),
)


def _poll(cursor: str, received: list[dict], limit: int) -> str:
    while True:
        with tenant_context(AIZU):
            page = feed.read(cursor, limit=limit)
        received.extend(page.events)
        cursor = page.next
        if not page.events:
            return cursor


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(step, min_size=5, max_size=40), final_commit=st.booleans())
# The case that defeats ordering by sequence number: A (older transaction id) writes events 1
# and 3, B (newer) writes event 2; A commits and is read up to 3 while B is open; then B commits.
@example(
    steps=[
        ("set", 0, "k0", 1),
        ("set", 1, "k1", 2),
        ("set", 0, "k2", 3),
        ("commit", 0),
        ("poll", 5),
        ("commit", 1),
        ("poll", 5),
    ],
    final_commit=True,
)
def test_feed_consumer_sees_exactly_the_committed_history(kv_table, steps, final_commit):
    register_municipality(AIZU)
    # In the tenant's context: the runtime role sees (and deletes) only AIZU's events.
    with tenant_context(AIZU), connections["default"].cursor() as cursor:
        cursor.execute("DELETE FROM linkage_event")
        cursor.execute("DELETE FROM linkage_test_kv")
        cursor.executemany("INSERT INTO linkage_test_kv VALUES (%s, %s, 0, 0)", [(AIZU, k) for k in KEYS])
    sessions = [Session() for _ in range(SESSIONS)]
    committed: set[str] = set()
    rolled_back: set[str] = set()
    pending: dict[int, list[str]] = {}
    received: list[dict] = []
    cursor = feed.START

    def finish(i: int, how: str) -> None:
        result = sessions[i].call(how)
        (committed if result[0] == "committed" else rolled_back).update(result[1])
        del pending[i]

    try:
        for s in steps:
            kind = s[0]
            if kind == "poll":
                cursor = _poll(cursor, received, s[1])
            elif kind == "begin" and s[1] not in pending:
                sessions[s[1]].call("begin")
                pending[s[1]] = []
            elif kind == "set":
                if s[1] not in pending:  # a write opens the session's transaction if needed
                    sessions[s[1]].call("begin")
                    pending[s[1]] = []
                outcome = sessions[s[1]].call("set", s[2], s[3])
                if outcome != "set":
                    rolled_back.update(outcome[1])
                    del pending[s[1]]
            elif kind in ("commit", "rollback") and s[1] in pending:
                finish(s[1], kind)
        for i in list(pending):
            finish(i, "commit" if final_commit else "rollback")
        cursor = _poll(cursor, received, 3)
    finally:
        for session in sessions:
            session.inbox.put(("stop",))
            session.thread.join(timeout=10)

    ids = {e["id"] for e in received}
    assert committed <= ids, "a committed event was never delivered"
    assert not (rolled_back & ids), "a rolled-back event was delivered"
    # Rebuild the state: the highest version of each key wins (versions are per-key serial).
    rebuilt: dict[str, tuple[int, int]] = {}
    for e in received:
        d = e["data"]
        if d["version"] > rebuilt.get(d["key"], (0, 0))[0]:
            rebuilt[d["key"]] = (d["version"], d["value"])
    with connections["default"].cursor() as c:
        c.execute("SELECT key, version, value FROM linkage_test_kv WHERE version > 0")
        actual = {k: (v, val) for k, v, val in c.fetchall()}
    assert rebuilt == actual
