"""A 住民票の写し at the counter in a real browser, keyboard first, at 1024×768: the clerk finds
the household, opens 証明書を発行 from 世帯照会, asks for the whole 世帯 with 世帯主・続柄, checks
page 1 on the 確認 screen, issues it and opens the signed PDF (標準仕様書 §5; screenshots in
test-artifacts/)."""

from __future__ import annotations

import base64
import re

import pytest

from tests.browser.chromium import ARTIFACTS, needs_chromium
from tests.browser.test_registry_review_browser import PASSWORD, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clerk(transactional_db):
    """A 窓口 clerk (its authenticator key), the issuing settings and the 青木 family (宛名番号 of
    the 世帯主). The database work is all here: the Playwright loop forbids ORM calls."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.registry.conftest import days_ago, move_in_body, person
    from yakuba.certificates.services import seal, settings
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.identity.services import create_staff
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry import services

    register_municipality("072028")
    user = create_staff(
        "kato", password=PASSWORD, lg_code="072028", roles=["counter"], display_name="加藤 恵"
    )
    device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
    body = move_in_body(
        person(),
        person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"),
        person("青木 一郎", "アオキ イチロウ", "1990-05-05", 1, "子"),
        move_date=days_ago(10),
    )
    with bind_actor(SYSTEM), tenant_context("072028"):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
        head = services.apply_move(services.parse_move(body)).persons[0][0]
    return base64.b32encode(device.bin_key).decode(), head


@needs_chromium
def test_a_clerk_issues_a_household_copy_with_relationships_and_opens_the_pdf(live_server, clerk):
    from playwright.sync_api import expect

    secret, head = clerk
    with signed_in(live_server, secret, "certificate") as page:
        keys = page.keyboard
        page.goto(f"{live_server.url}/registry/")
        expect(page.locator("#id_name_kana")).to_be_focused()  # the search's first input
        keys.type("アオキ")
        keys.press("Enter")
        page.wait_for_url(re.compile(r"name_kana="))  # the submitted search, not the as-you-type one
        # A late as-you-type answer may still replace the results (and the focused link) under
        # load: wait until no request is in flight, then press Enter on the link itself.
        page.wait_for_load_state("networkidle")
        link = page.locator(".results-table").get_by_role("link", name="青木 太郎").first
        expect(link).to_be_visible()
        link.press("Enter")
        page.wait_for_url(re.compile(r"/registry/households/"))

        page.locator("#issue-certificate").focus()
        keys.press("Enter")
        page.wait_for_url(re.compile(r"/certificates/issue/"))
        expect(page.locator("#f-kind")).to_be_focused()
        expect(page.locator("input[name=atena]:checked")).to_have_count(3)
        expect(page.locator("#f-head_and_relationship")).to_be_checked()
        page.locator("#f-requester-self").focus()
        keys.press("Space")
        keys.press("Tab")
        expect(page.locator("#f-requester_atena_no")).to_be_focused()
        keys.type(head)
        page.screenshot(path=str(ARTIFACTS / "certificate-form.png"), full_page=True)
        keys.press("Enter")

        page.wait_for_url(re.compile(r"/certificates/issue/"))
        expect(page.locator("h1")).to_have_text("証明書の発行（確認）")
        preview = page.locator("#preview")
        expect(preview).to_be_visible()
        assert page.evaluate("() => document.getElementById('preview').naturalWidth") > 500
        expect(page.locator("#issue")).to_be_focused()
        page.screenshot(path=str(ARTIFACTS / "certificate-confirm.png"), full_page=True)
        keys.press("Enter")

        page.wait_for_url(re.compile(r"/certificates/issued/"))
        number = page.locator("#number").inner_text()
        assert re.fullmatch(r"\d{8}-\d{6}", number)
        expect(page.locator("main")).to_contain_text("手数料 300円")
        expect(page.locator("#pdf")).to_be_focused()
        page.screenshot(path=str(ARTIFACTS / "certificate-issued.png"), full_page=True)
        pdf = page.request.get(live_server.url + page.locator("#pdf").get_attribute("href"))
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        (ARTIFACTS / "certificate-juminhyo.pdf").write_bytes(pdf.body())

        page.goto(f"{live_server.url}/certificates/ledger/")
        expect(page.locator("main")).to_contain_text(number)
        page.wait_for_load_state("networkidle")  # the favicon too: closing must abort nothing
        page.screenshot(path=str(ARTIFACTS / "certificate-ledger.png"), full_page=True)
