"""A test-only event type, a key/value table that stands for a domain's state, and the
operator's permission to deliver webhooks to the local test receivers."""

from __future__ import annotations

import pytest
from django.db import connections

from tests.conftest import owner_cursor
from tests.platform.linkage.receiver import Receiver
from yakuba.platform.linkage import catalogue

KV_TYPE = "jp.yakuba.test.kv.set.v1"
SECRET_TYPE = "jp.yakuba.test.person.noted.v1"


@pytest.fixture(autouse=True)
def test_event_types():
    catalogue.register(
        catalogue.EventType(
            KV_TYPE,
            "テスト: 値の設定",
            "A key set to a value at a version.",
            subject="key",
            data={"key": "key", "value": "value", "version": "version"},
        )
    )
    catalogue.register(
        catalogue.EventType(
            SECRET_TYPE,
            "テスト: 個人",
            "Carries a 個人番号.",
            subject="宛名番号",
            data={"name": "氏名", "my_number": "個人番号"},
            restricted=("my_number",),
        )
    )
    yield
    catalogue.unregister(KV_TYPE)
    catalogue.unregister(SECRET_TYPE)


@pytest.fixture
def kv_table(transactional_db):
    """``linkage_test_kv`` with keys k0…k4 at version 0; the app role may use it."""
    with owner_cursor() as cursor:  # the runtime role may not create tables
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS linkage_test_kv (lg_code text, key text, value int, version int,"
            " PRIMARY KEY (lg_code, key))"
        )
        cursor.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON linkage_test_kv TO yakuba_app")
    yield
    with owner_cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS linkage_test_kv")


@pytest.fixture(autouse=True)
def no_leftover_jobs(request):
    """procrastinate's tables are not Django-managed, so test flushes leave jobs behind."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        with connections["default"].cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_jobs")
    yield


@pytest.fixture
def local_receivers(settings):
    """Allow webhooks to the test receivers (http on loopback), as an operator allows an internal
    receiver with ``YAKUBA_WEBHOOK_ALLOW_HOSTS``; without it they are refused like any such URL."""
    settings.WEBHOOK_ALLOW_HOSTS = [Receiver.HOST]


@pytest.fixture
def receiver(local_receivers):
    r = Receiver()
    yield r
    r.close()
