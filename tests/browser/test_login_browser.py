"""Sign-in by keyboard alone in a real browser, at a counter thin client's 1024×768.

Checks what the test client cannot: autofocus, Tab order and Enter actually work, the strict
Content-Security-Policy raises no violation (htmx, CSS, inline SVG), and the pages render
Japanese text. Screenshots go to ``test-artifacts/`` for a human look.
"""

from __future__ import annotations

import re

import pyotp
import pytest

from tests.browser.chromium import ARTIFACTS, assert_page_clean, needs_chromium, thin_client_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "kaisho-madoguchi-2026"


@pytest.fixture
def staff_user(transactional_db):
    from yakuba.platform.identity.services import create_staff
    from yakuba.platform.tenancy.services import register_municipality

    register_municipality("072028")
    return create_staff(
        "watanabe", password=PASSWORD, lg_code="072028", roles=["counter", "tax"], display_name="渡辺 美咲"
    )


@needs_chromium
def test_keyboard_login_enrol_and_home(live_server, staff_user):
    from playwright.sync_api import expect

    # All database work is done above: the sync Playwright API runs an event loop in this
    # thread, and Django refuses ORM calls from a thread with a running loop.
    with thin_client_page() as (page, console, failed):
        page.goto(f"{live_server.url}/login/")
        expect(page.locator("#id_username")).to_be_focused()  # autofocus
        page.keyboard.type("watanabe")
        page.keyboard.press("Tab")
        expect(page.locator("#id_password")).to_be_focused()
        page.keyboard.type(PASSWORD)
        page.screenshot(path=str(ARTIFACTS / "ui-login.png"))
        page.keyboard.press("Enter")

        page.wait_for_url(re.compile(r"/otp/"))
        expect(page.get_by_role("heading", name="認証アプリの登録")).to_be_visible()
        expect(page.locator(".qr svg")).to_be_visible()
        expect(page.locator("#id_code")).to_be_focused()
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.screenshot(path=str(ARTIFACTS / "ui-enrol.png"))

        # A wrong code: the message is announced and the field is marked, focus stays on it.
        page.keyboard.type("000000")
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_contain_text("確認コードが正しくありません")
        code = page.locator("#id_code")
        expect(code).to_have_attribute("aria-invalid", "true")
        expect(code).to_be_focused()
        page.screenshot(path=str(ARTIFACTS / "ui-otp-error.png"))
        page.wait_for_timeout(1200)  # django-otp throttles 1 s after one wrong code

        page.keyboard.type(pyotp.TOTP(secret).now())
        page.keyboard.press("Enter")

        page.wait_for_url(f"{live_server.url}/")
        expect(page.locator(".tenant-banner__name")).to_contain_text("福島県会津若松市")
        expect(page.locator(".header-tenant__name")).to_have_text("福島県会津若松市")
        expect(page.locator(".header-user")).to_contain_text("窓口・税務")

        # The first Tab from the top of the page reaches the skip link, which is shown.
        page.locator("body").focus()
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        page.keyboard.press("Tab")  # brand link, with the focus ring
        ring = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
        )
        assert ring[0] == "solid" and ring[1] == "4px" and "255, 212, 61" in ring[2], ring
        page.screenshot(path=str(ARTIFACTS / "ui-home.png"))

        # Fits the thin client: no horizontal scrolling at 1024 px.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 1024
        # Japanese glyphs come from the BIZ UD fonts installed on the system.
        fonts = page.evaluate("() => getComputedStyle(document.body).fontFamily")
        assert fonts.startswith('"BIZ UDPGothic"'), fonts
        assert page.evaluate("() => document.fonts.check('16px \"BIZ UDPGothic\"', '住民')")

        # Narrow window (e.g. a docked thin-client pane): still no horizontal scrolling.
        page.set_viewport_size({"width": 640, "height": 768})
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 640
        page.screenshot(path=str(ARTIFACTS / "ui-home-narrow.png"), full_page=True)

    assert_page_clean(console, failed)
