"""Restricted event fields (個人番号) at rest: sealed by the outbox, unsealed for the scope."""

from __future__ import annotations

import base64
import importlib
import json
import os
from types import SimpleNamespace

import pytest
from django.db import connections, transaction

from tests.conftest import AIZU
from tests.platform.linkage.conftest import SECRET_TYPE
from yakuba.cli import main
from yakuba.platform import crypto
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.database import owner_connections
from yakuba.platform.linkage import restricted
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


def _stored() -> dict:
    with tenant_context(AIZU), connections["default"].cursor() as cursor:
        cursor.execute("SELECT data::text FROM linkage_event")
        return json.loads(cursor.fetchone()[0])


def _shown(api, token_for) -> str:
    token = token_for(AIZU, scopes=["events:read", "registry:mynumber"], zone="mynumber")
    return api.get(f"/api/v1/{AIZU}/events", token).json()["events"][0]["data"]["my_number"]


def test_sealed_in_the_table_clear_in_the_feed(aizu, token_for, api):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        emit(SECRET_TYPE, subject="0000000019", data={"name": "青木 太郎", "my_number": "123456789018"})
    stored = _stored()
    assert stored["name"] == "青木 太郎" and stored["my_number"].startswith("v1:")
    assert _shown(api, token_for) == "123456789018"


def test_rotation_seals_what_was_written_in_clear_before(aizu, token_for, api):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        emit(SECRET_TYPE, subject="0000000019", data={"name": "青木 太郎", "my_number": "123456789018"})
    with tenant_context(AIZU), connections["default"].cursor() as cursor:
        cursor.execute("""UPDATE linkage_event SET data = jsonb_set(data, '{my_number}', '"123456789018"')""")
    assert _shown(api, token_for) == "123456789018"  # as written, until rotated
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert restricted.rotate() == 1
        assert restricted.rotate() == 0
    assert _stored()["my_number"].startswith("v1:")
    assert _shown(api, token_for) == "123456789018"


def _swap_in_a_foreign_ciphertext() -> None:
    """A sealed value copied from another event (as after a bad restore): it cannot decrypt."""
    foreign = crypto.encrypt('"123456789018"', context=f"{AIZU}/linkage_event/another/my_number")
    with tenant_context(AIZU), connections["default"].cursor() as cursor:
        cursor.execute(
            "UPDATE linkage_event SET data = jsonb_set(data, '{my_number}', to_jsonb(%s::text))"
            " WHERE seq = (SELECT min(seq) FROM linkage_event)",
            [foreign],
        )


def test_a_value_that_does_not_decrypt_is_left_out_not_a_failed_feed(aizu, token_for, api, caplog):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        for subject in ("0000000019", "0000000027"):
            emit(SECRET_TYPE, subject=subject, data={"name": "青木 太郎", "my_number": "123456789018"})
    _swap_in_a_foreign_ciphertext()
    token = token_for(AIZU, scopes=["events:read", "registry:mynumber"], zone="mynumber")
    response = api.get(f"/api/v1/{AIZU}/events", token)
    assert response.status_code == 200
    first, second = response.json()["events"]
    assert first["data"] == {"name": "青木 太郎"}
    assert second["data"]["my_number"] == "123456789018"
    assert "を復号できません" in caplog.text


def test_rotation_stops_with_one_line_when_a_key_was_retired_too_early(aizu, capsys, monkeypatch):
    monkeypatch.setenv("YAKUBA_DATA_KEYS", f"k1:{base64.b64encode(os.urandom(32)).decode()}")
    crypto.reset_keyring()
    with bind_actor(SYSTEM), tenant_context(AIZU):
        emit(SECRET_TYPE, subject="0000000019", data={"name": "青木 太郎", "my_number": "123456789018"})
    monkeypatch.setenv("YAKUBA_DATA_KEYS", f"k2:{base64.b64encode(os.urandom(32)).decode()}")
    crypto.reset_keyring()
    try:
        code = main(["registry", "rotate-keys", AIZU])
    finally:
        monkeypatch.undo()
        crypto.reset_keyring()
    err = capsys.readouterr().err.strip()
    assert code != 0 and "Traceback" not in err and len(err.splitlines()) == 1
    assert "の個人番号を復号できません" in err and "鍵 k1 がありません" in err


def test_upgrade_migration_seals_values_in_clear_and_needs_no_old_key(aizu, token_for, api, monkeypatch):
    """linkage 0005: events written before sealing get sealed; a value under a key no longer
    configured is left for rotate-keys, so the upgrade itself cannot fail on it."""
    from django.apps import apps

    migration = importlib.import_module("yakuba.platform.linkage.migrations.0005_seal_restricted_fields")
    monkeypatch.setenv("YAKUBA_DATA_KEYS", f"k1:{base64.b64encode(os.urandom(32)).decode()}")
    crypto.reset_keyring()
    with bind_actor(SYSTEM), tenant_context(AIZU):
        for subject in ("0000000019", "0000000027"):
            emit(SECRET_TYPE, subject=subject, data={"name": "青木 太郎", "my_number": "123456789018"})
    with tenant_context(AIZU), connections["default"].cursor() as cursor:
        cursor.execute(
            """UPDATE linkage_event SET data = jsonb_set(data, '{my_number}', '"123456789018"')"""
            " WHERE subject = '0000000019'"
        )
    monkeypatch.setenv("YAKUBA_DATA_KEYS", f"k2:{base64.b64encode(os.urandom(32)).decode()}")
    crypto.reset_keyring()
    try:
        # As migrate runs it: the owner's connection, in the migration's transaction.
        with owner_connections(["default"]), transaction.atomic():
            migration.seal_clear_values(apps, SimpleNamespace(connection=connections["default"]))
        with tenant_context(AIZU), connections["default"].cursor() as cursor:
            cursor.execute("SELECT subject, data->>'my_number' FROM linkage_event ORDER BY seq")
            stored = dict(cursor.fetchall())
    finally:
        monkeypatch.undo()
        crypto.reset_keyring()
    assert stored["0000000019"].startswith("v1:k2:")  # sealed by the upgrade
    assert stored["0000000027"].startswith("v1:k1:")  # untouched: for rotate-keys, with k1
