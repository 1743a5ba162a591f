"""印鑑登録 at the counter in a real browser at 1024×768 (issue 18, "Must show"): the clerk finds
the resident by 宛名番号, takes a same-day 登録申請 with a photo ID (a seal too large first: the
refusal at its field, what was typed kept), registers it — 印鑑登録番号 and 印鑑登録証 number on
the registration's page with the 印影 — then issues the 印鑑登録証明書 with that card and opens
the signed PDF (civil-facts §2.3, §2.4; screenshots in test-artifacts/)."""

from __future__ import annotations

import base64
import re
import subprocess

import pytest

from tests.browser.chromium import ARTIFACTS, needs_chromium
from tests.browser.test_registry_review_browser import PASSWORD, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clerk(transactional_db):
    """A 窓口 clerk (its authenticator key), the issuing settings, 青木 太郎 (his 宛名番号) and a
    scan of his seal. The database work is all here: the Playwright loop forbids ORM calls."""
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
    with bind_actor(SYSTEM), tenant_context("072028"):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
        taro = services.apply_move(
            services.parse_move(move_in_body(person(), move_date=days_ago(40)))
        ).persons[0][0]
    return base64.b32encode(device.bin_key).decode(), taro, seal.sample_seal("青木")


@needs_chromium
def test_a_clerk_registers_a_seal_the_same_day_and_issues_its_certificate(live_server, clerk):
    from playwright.sync_api import expect

    secret, taro, scan = clerk
    with signed_in(live_server, secret, "seal") as page:
        keys = page.keyboard
        page.goto(f"{live_server.url}/")
        page.get_by_role("navigation", name="業務メニュー").get_by_role("link", name="印鑑登録").click()
        page.wait_for_url(re.compile(r"/seal_registration/$"))
        expect(page.locator("#id_atena_no")).to_be_focused()
        keys.type(taro)
        keys.press("Enter")
        page.wait_for_url(re.compile(r"atena_no="))
        expect(page.locator("#no-registration")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "seal-person.png"), full_page=True)

        page.locator("#apply").click()
        page.wait_for_url(re.compile(r"/seal_registration/apply/"))
        expect(page.locator("#f-seal_text")).to_be_focused()
        keys.type("青木之印")  # as the scan shows it (a trailing 之印 is accepted)
        keys.press("Tab")
        keys.type("30")  # measured 30 mm: too large
        keys.press("Tab")
        keys.type("30")
        page.locator("#f-image").set_input_files(
            {"name": "inei.png", "mimeType": "image/png", "buffer": scan}
        )
        expect(page.locator("#f-applicant")).to_be_checked()  # 本人
        expect(page.locator("#f-identity")).to_be_checked()  # 官公署発行の顔写真付きの証明書
        page.locator("#register").click()

        page.wait_for_url(re.compile(r"/seal_registration/apply/"))
        expect(page.locator("#err-f-width_mm")).to_contain_text("一辺25mmの正方形に収まらない大きさです")
        expect(page.locator("#f-seal_text")).to_have_value("青木之印")
        page.screenshot(path=str(ARTIFACTS / "seal-apply-refused.png"), full_page=True)
        page.locator("#f-width_mm").fill("15.0")
        page.locator("#f-height_mm").fill("15.0")
        page.locator("#f-image").set_input_files(
            {"name": "inei.png", "mimeType": "image/png", "buffer": scan}
        )
        page.screenshot(path=str(ARTIFACTS / "seal-apply.png"), full_page=True)
        page.locator("#register").click()

        page.wait_for_url(re.compile(r"/seal_registration/registration/\?no="))
        registration_no = page.locator("#registration-no").inner_text()
        card_no = page.locator("#card-no").inner_text()
        assert re.fullmatch(r"\d{8}", registration_no) and re.fullmatch(r"\d{8}", card_no)
        expect(page.locator("main")).to_contain_text(f"印鑑登録証の番号 {card_no}")
        expect(page.locator("#registration-facts")).to_contain_text("即日登録")
        assert page.evaluate("() => document.getElementById('seal-image').naturalWidth") > 0
        page.screenshot(path=str(ARTIFACTS / "seal-registered.png"), full_page=True)

        page.locator("#issue-certificate").click()
        page.wait_for_url(re.compile(r"/seal_registration/certificate/"))
        expect(page.locator("#f-card_no")).to_have_value(card_no)
        expect(page.locator("#f-requester_atena_no")).to_have_value(taro)
        page.screenshot(path=str(ARTIFACTS / "seal-certificate-form.png"), full_page=True)
        page.locator("#issue").click()

        expect(page.locator("h1")).to_have_text("印鑑登録証明書を交付しました")
        number = page.locator("#number").inner_text()
        assert re.fullmatch(r"\d{8}-\d{6}", number)
        expect(page.locator("#pdf")).to_be_focused()
        page.screenshot(path=str(ARTIFACTS / "seal-certificate-issued.png"), full_page=True)
        pdf = page.request.get(live_server.url + page.locator("#pdf").get_attribute("href"))
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        (ARTIFACTS / "seal-certificate-browser.pdf").write_bytes(pdf.body())
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.body(), capture_output=True, check=True)
        printed = text.stdout.decode()
        assert (
            "鑑登録証明書" in printed and "青木 太郎" in printed and "東栄町" in printed
        )  # the title is letter-spaced
        assert "昭和35年1月7日" in printed and "相違ないことを証明する" in printed
        page.wait_for_load_state("networkidle")  # the favicon too: closing must abort nothing
