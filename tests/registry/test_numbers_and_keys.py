"""Numbering, the 住民票コード pool and 個人番号 key rotation (services, no HTTP)."""

from __future__ import annotations

import base64
import os

import pytest

from tests.conftest import AIZU
from yakuba.platform import crypto
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.japanese.checkdigits import is_valid_m11, juminhyo_code_check_digit
from yakuba.platform.linkage import feed
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import numbering

pytestmark = pytest.mark.django_db


def _codes(n: int, start: int = 1) -> list[str]:
    return [f"{b:010d}{juminhyo_code_check_digit(f'{b:010d}')}" for b in range(start, start + n)]


def test_numbers_are_sequential_with_m11_and_a_rollback_consumes_none(aizu):
    with tenant_context(AIZU):
        first = numbering.issue_atena_nos(3)
    with pytest.raises(RuntimeError):
        with tenant_context(AIZU):
            numbering.issue_atena_nos(5)
            raise RuntimeError("異動 failed")
    with tenant_context(AIZU):
        after = numbering.issue_atena_nos(1)
        setai = numbering.issue_setai_no()
    assert [int(n[:-1]) for n in first + after] == [1, 2, 3, 4]
    assert all(is_valid_m11(n) and len(n) == 10 for n in first + after + [setai])


def test_pool_assigns_at_random_once_each_and_alerts_when_low(aizu):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        added, rejected = numbering.load_juminhyo_codes(
            _codes(numbering.LOW_POOL_THRESHOLD + 2) + ["12345678901"]
        )
        assert added == numbering.LOW_POOL_THRESHOLD + 2 and rejected == [
            "12345678901: 検査数字が正しくありません"
        ]
        assigned = [numbering.assign_juminhyo_code(f"{i:010d}") for i in range(4)]
        assert len(set(assigned)) == 4 and sorted(assigned) != _codes(4)  # random, not first-free
        alerts = Event.objects.filter(type="jp.yakuba.registry.juminhyo-code-pool.low.v1")
        assert [e.data for e in alerts] == [
            {"remaining": numbering.LOW_POOL_THRESHOLD - 1, "threshold": numbering.LOW_POOL_THRESHOLD}
        ]


def test_empty_pool_is_a_clear_error(aizu):
    with (
        tenant_context(AIZU),
        pytest.raises(numbering.PoolExhausted, match="住民票コードの未使用在庫がありません"),
    ):
        numbering.assign_juminhyo_code("0000000019")


@pytest.mark.django_db(transaction=True)  # the feed serves committed events only
def test_key_rotation_rewrites_ciphertexts_and_the_old_key_can_go(aizu, registry, monkeypatch):
    from tests.registry.conftest import person
    from yakuba.registry.models import Resident, ResidentHistory
    from yakuba.registry.services.keys import rotate_my_number_keys
    from yakuba.registry.services.records import my_number_of

    old = base64.b64encode(os.urandom(32)).decode()
    new = base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("YAKUBA_DATA_KEYS", f"k1:{old}")
    crypto.reset_keyring()
    atena = registry.move_in(person(my_number="123456789018"))["persons"][0]["atena_no"]
    monkeypatch.setenv("YAKUBA_DATA_KEYS", f"k2:{new},k1:{old}")
    crypto.reset_keyring()
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert rotate_my_number_keys() == 3  # the current row, its history row and its event
        assert rotate_my_number_keys() == 0
        assert Resident.objects.get(atena_no=atena).my_number_encrypted.startswith("v1:k2:")
        assert ResidentHistory.objects.get(atena_no=atena).my_number_encrypted.startswith("v1:k2:")
    monkeypatch.setenv("YAKUBA_DATA_KEYS", f"k2:{new}")  # old key retired
    crypto.reset_keyring()
    with tenant_context(AIZU):
        assert my_number_of(Resident.objects.get(atena_no=atena)) == "123456789018"
        (event,) = feed.read(
            None, audience=feed.Audience(frozenset({"registry:read"}), my_number=True)
        ).events
    assert event["data"]["my_number"] == "123456789018"
    crypto.reset_keyring()


def test_a_ciphertext_moved_to_another_person_does_not_decrypt(aizu):
    token = crypto.encrypt("123456789018", context="072028/my_number/0000000019")
    with pytest.raises(crypto.CryptoError, match="改ざんまたは別の行の値"):
        crypto.decrypt(token, context="072028/my_number/0000000027")
    assert crypto.decrypt(token, context="072028/my_number/0000000019") == "123456789018"
