"""The embedded PostgreSQL: sized for bulk loads rather than PostgreSQL's tiny defaults."""

from __future__ import annotations

import os

import psycopg
import pytest

from yakuba.platform.database import embedded_settings


def test_the_embedded_server_is_tuned_for_bulk_loads():
    url = os.environ["DATABASE_URL"]
    if "test-pgdata" not in url:
        pytest.skip("a server behind DATABASE_URL is its administrator's to tune")
    with psycopg.connect(url, autocommit=True) as conn:
        written = dict(
            conn.execute(
                "SELECT name, setting FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf'"
            ).fetchall()
        )
        live = dict(
            conn.execute(
                "SELECT name, current_setting(name) FROM pg_settings"
                " WHERE name IN ('max_wal_size', 'checkpoint_timeout', 'wal_compression')"
            ).fetchall()
        )
    wanted = embedded_settings()
    assert {name: written.get(name) for name in wanted} == wanted
    # Reloadable settings apply at once; shared_buffers from the server's next start.
    assert live == {"max_wal_size": "4GB", "checkpoint_timeout": "15min", "wal_compression": "pglz"}
    assert 128 <= int(wanted["shared_buffers"].removesuffix("MB")) <= 1024


def test_buffers_follow_a_container_memory_limit(monkeypatch):
    from yakuba.platform import database

    monkeypatch.setattr(database, "_memory_bytes", lambda: 2 * 2**30)  # a 2 GB container
    assert embedded_settings()["shared_buffers"] == "256MB"
    monkeypatch.setattr(database, "_memory_bytes", lambda: 512 * 2**20)
    assert embedded_settings()["shared_buffers"] == "128MB"  # never below PostgreSQL's default
