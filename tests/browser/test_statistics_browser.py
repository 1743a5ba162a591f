"""The statistics dashboard in a real browser at 1024×768, keyboard only (issue 15): a 窓口 clerk
types a 基準日 in 和暦 and a month, presses Enter, and sees the totals beside the year before, the
pyramid drawn (the SVG loaded under the strict CSP), the month's 異動 and the 町字 table, then
downloads the 住基年報 CSV with the keyboard; a bad month is named on its field. Screenshot:
``test-artifacts/statistics-dashboard.png``.
"""

from __future__ import annotations

import base64
import re

import pytest

from tests.browser.chromium import ARTIFACTS, needs_chromium
from tests.browser.test_registry_review_browser import PASSWORD, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clerk(transactional_db):
    """A 窓口 clerk (``kato``, as ``signed_in`` types it) with a confirmed authenticator and a
    generated town with a year of history. The database work is done here: the Playwright loop
    forbids ORM calls in the test itself."""
    from datetime import date

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.identity.services import create_staff
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry.generate import generate_population

    register_municipality("072028")
    user = create_staff(
        "kato", password=PASSWORD, lg_code="072028", roles=["counter"], display_name="加藤 恵"
    )
    device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
    with bind_actor(SYSTEM), tenant_context("072028"):
        generate_population(300, seed=5, as_of=date(2025, 12, 1))
    return base64.b32encode(device.bin_key).decode()


@needs_chromium
def test_the_dashboard_by_keyboard(live_server, clerk):
    from playwright.sync_api import expect

    with signed_in(live_server, clerk, "statistics") as page:
        keys = page.keyboard
        page.goto(f"{live_server.url}/statistics/")
        expect(page.locator("#id_as_of")).to_be_focused()  # autofocus: the clerk types at once
        page.locator("#id_as_of").focus()
        keys.type("R7.12.1")
        keys.press("Tab")
        keys.type("2025-11")
        keys.press("Enter")
        page.wait_for_url(re.compile(r"as_of=R7\.12\.1"))
        page.wait_for_load_state("networkidle")
        expect(page.locator("#stats-status")).to_contain_text("令和7年12月1日（2025年12月1日）現在")
        expect(page.locator("#totals tbody tr")).to_have_count(6)
        expect(page.locator("#totals-title")).to_contain_text("前年同日 2024-12-01")
        expect(page.locator("#movements tbody tr")).to_have_count(8)
        expect(page.locator("#towns tfoot")).to_contain_text("合計")
        pyramid = page.locator("#pyramid")
        expect(pyramid).to_have_attribute("src", re.compile(r"format=svg"))
        drawn = page.wait_for_function(
            "() => { const i = document.getElementById('pyramid'); return i.complete && i.naturalWidth > 0 }"
        )
        assert drawn
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 1024, f"horizontal scrolling: {width}px"
        shot = ARTIFACTS / "statistics-dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 50_000

        # The 住基年報 as CSV, by keyboard: the link focused, Enter.
        with page.expect_download() as download:
            page.locator("#download-population-csv").focus()
            keys.press("Enter")
        assert download.value.suggested_filename == "population-072028-2025-12-01.csv"

        # A month that does not exist is named on its field, the day kept as typed.
        page.locator("#id_month").focus()
        keys.press("Control+a")
        keys.type("2025-13")
        keys.press("Enter")
        page.wait_for_load_state("networkidle")
        expect(page.locator("#err-month")).to_contain_text("年月は西暦の YYYY-MM")
        expect(page.locator("#id_month")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#id_as_of")).to_have_value("R7.12.1")
