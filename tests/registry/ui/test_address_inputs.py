"""Addresses on the 異動 screens come from the 住所辞書 (issue 12 item 1, screen part): a postal
code fills the 町字 (or offers the 町字 sharing it), the 町字 input offers the master's 町字, and
only a 管理者 sees 「住所辞書にない住所として記載する（職権）」."""

from __future__ import annotations

import re

import pytest

from tests.conftest import AIZU
from tests.registry.ui.test_screens import field_block, move_in_form, page, staff_client
from yakuba.address import services as address_master
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

VALIDATE = "/registry/moves/new/move_in/validate/"
NOWHERE = {"household.address.town_area": "存在しない町", "household.address.block": "1番1号"}


@pytest.fixture
def master(aizu):
    rows = (
        "町字,郵便番号,番地開始,番地終了\n東栄町,9650872,1,12\n栄町,9650871,,\n"
        "一箕町大字八幡,9650003,,\n一箕町大字松長,9650003,,\n"
    ).encode()
    with bind_actor(SYSTEM), tenant_context(AIZU):
        address_master.load(address_master.read_csv(rows), source=address_master.Source.FILE)


def postal_answer(client, code: str) -> str:
    form = move_in_form(**{"household.address.postal_code": code, "household.address.town_area": ""})
    return page(
        client.post(
            VALIDATE, form, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="household.address.postal_code"
        )
    )


def test_a_postal_code_fills_the_town_area(counter, master):
    text = postal_answer(counter, "9650872")
    slot = re.search(
        r'<div class="postal-towns" id="towns-f-household-address-town-area" hx-swap-oob="innerHTML">.*?</div>',
        text,
        re.S,
    )
    assert slot, text
    assert (
        'data-fill-auto data-fill-target="f-household-address-town-area" data-fill-value="東栄町"'
        in slot.group(0)
    )


def test_town_areas_sharing_a_postal_code_are_offered_as_choices(counter, master):
    text = postal_answer(counter, "965-0003")
    assert "町字は2つあります。選んでください" in text and "data-fill-auto" not in text
    assert re.findall(r'<button type="button"[^>]*data-fill-value="([^"]+)">', text) == [
        "一箕町大字八幡",
        "一箕町大字松長",
    ]


def test_the_town_area_input_offers_the_masters_town_areas(counter, master):
    form = page(counter.get("/registry/moves/new/move_in/"))
    datalist = re.search(r'<datalist id="town-areas">.*?</datalist>', form, re.S).group(0)
    assert re.findall(r'<option value="([^"]+)">', datalist) == [
        "一箕町大字八幡",
        "一箕町大字松長",
        "東栄町",
        "栄町",
    ]
    assert 'list="town-areas"' in field_block(form, "f-household-address-town-area")
    # Filtered as the clerk types (a master too large to send whole).
    options = page(counter.get("/registry/town-areas/", {"household.address.town_area": "一箕"}))
    assert re.findall(r'<option value="([^"]+)">', options) == ["一箕町大字八幡", "一箕町大字松長"]


def test_without_a_master_nothing_is_offered(counter):
    assert "<datalist" not in page(counter.get("/registry/moves/new/move_in/"))
    assert "postal-towns__" not in postal_answer(counter, "9650872")


def test_only_an_administrator_may_record_an_address_the_master_lacks(counter, master):
    assert "住所辞書にない住所として記載する" not in page(counter.get("/registry/moves/new/move_in/"))
    forged = counter.post(
        "/registry/moves/new/move_in/",
        move_in_form(**NOWHERE, **{"household.address.unlisted": "1", "_step": "commit"}),
    )
    assert forged.status_code == 422
    assert "住所辞書にない住所の職権記載は管理者だけができます" in page(forged)

    admin = staff_client("kanri", ["admin"])
    form = page(admin.get("/registry/moves/new/move_in/"))
    flag = field_block(form, "f-household-address-unlisted")
    assert 'type="checkbox"' in flag and "住所辞書にない住所として記載する（職権）" in flag
    refused = admin.post("/registry/moves/new/move_in/", move_in_form(**NOWHERE, _step="commit"))
    assert "町字「存在しない町」は住所辞書にありません" in page(refused)
    recorded = admin.post(
        "/registry/moves/new/move_in/",
        move_in_form(**NOWHERE, **{"household.address.unlisted": "1", "_step": "commit"}),
    )
    assert recorded.status_code == 302, recorded.content.decode()
