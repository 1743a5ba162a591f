"""Every 異動 that writes an address checks it against the municipality's 住所辞書 (issue 12
item 1; docs/address.md): 〒965-0000「存在しない町1番1号」 is refused; an administrator (scope
registry:address-override) may record it 職権, with a warning and the address in the audit row."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS, ADDRESS_2, move_in_body, person
from yakuba.address import services as address_master
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.identity.services import issue_token
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

NOWHERE = {"postal_code": "9650000", "town_area": "存在しない町", "block": "1番1号", "extra": ""}


@pytest.fixture
def master(aizu):
    rows = "町字,郵便番号,番地開始,番地終了\n東栄町,9650872,1,12\n栄町,9650871,,\n".encode()
    with bind_actor(SYSTEM), tenant_context(AIZU):
        address_master.load(address_master.read_csv(rows), source=address_master.Source.FILE)


def test_an_address_the_master_lacks_is_refused(registry, master):
    assert registry.move(move_in_body(person(), address=ADDRESS))["persons"]
    assert registry.move(move_in_body(person("佐藤 一", "サトウ ハジメ"), address=ADDRESS_2))["persons"]
    response = registry.post(move_in_body(person("鈴木 一", "スズキ ハジメ"), address=NOWHERE))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "household.address.town_area", "message": "町字「存在しない町」は住所辞書にありません"}
    ]
    beyond = registry.post(
        move_in_body(person("鈴木 二", "スズキ ジ"), address={**ADDRESS, "block": "13番1号"})
    )
    assert beyond.json()["errors"] == [
        {"field": "household.address.block", "message": "番地 13 はこの町字の範囲（1〜12）にありません"}
    ]


def test_an_administrator_records_it_ex_officio_and_the_audit_row_says_so(registry, client, master):
    unlisted = {**NOWHERE, "unlisted": True}
    refused = registry.post(move_in_body(person(), address=unlisted))
    assert refused.status_code == 422
    assert refused.json()["errors"][0] == {
        "field": "household.address.unlisted",
        "message": "住所辞書にない住所の職権記載は管理者だけができます",
    }
    admin = issue_token(
        AIZU, "admin-app", ["registry:read", "registry:write", "registry:address-override"], "lgwan"
    )[1]
    response = registry.post(move_in_body(person(), address=unlisted), token=admin)
    assert response.status_code == 201, response.json()
    assert "住所辞書にない住所を職権で記載しました（アクセスログに記録）" in response.json()["warnings"]
    with tenant_context(AIZU):
        row = AuditEntry.objects.filter(resource="resident", action="create").latest("chain_no")
    assert row.detail["unlisted_address"] == "福島県会津若松市存在しない町1番1号"


def test_a_municipality_without_a_master_is_not_checked(registry):
    assert registry.move(move_in_body(person(), address=NOWHERE))["persons"]
