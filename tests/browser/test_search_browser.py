"""住民検索 and 世帯一覧 in a real browser at a counter terminal's 1024×768.

What the test client cannot check: that at least 8 result rows are on screen under the search
form without scrolling (the form is compact, the table one line a person) and without
horizontal scrolling; and that the printed 世帯一覧 drops the site's chrome and never breaks
a page inside a 世帯. Screenshots (and the printed PDF) go to ``test-artifacts/``.
"""

from __future__ import annotations

import base64

import pyotp
import pytest

from tests.browser.chromium import ARTIFACTS, assert_page_clean, needs_chromium, thin_client_page
from tests.registry.conftest import Registry, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "kensaku-madoguchi-2026"
FAMILIES = [
    ("青木", "アオキ", ("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ")),
    ("青山", "アオヤマ", ("健", "ケン"), ("由美", "ユミ"), ("翔", "ショウ")),
    ("青田", "アオタ", ("誠", "マコト"), ("恵", "メグミ"), ("陸", "リク")),
    ("青井", "アオイ", ("進", "ススム"), ("咲", "サキ"), ("蓮", "レン")),
]


@pytest.fixture
def town(transactional_db, client):
    """A clerk with an enrolled authenticator (its TOTP secret) and 4 世帯 of 3 青… residents
    in 東栄町 (12 results for アオ), filed through the API."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yakuba.platform.identity.services import create_staff, issue_token
    from yakuba.platform.tenancy.services import register_municipality

    register_municipality("072028")
    user = create_staff(
        "kato", password=PASSWORD, lg_code="072028", roles=["counter"], display_name="加藤 恵"
    )
    device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
    token = issue_token("072028", "browser-app", ["registry:read", "registry:write"], "lgwan")[1]
    registry = Registry(client, token, token)
    for i, (surname, kana, *members) in enumerate(FAMILIES):
        head, wife, child = members
        registry.move_in(
            person(f"{surname} {head[0]}", f"{kana} {head[1]}", f"196{i}-01-07", 1, "世帯主"),
            person(f"{surname} {wife[0]}", f"{kana} {wife[1]}", f"196{i}-03-03", 2, "妻"),
            person(f"{surname} {child[0]}", f"{kana} {child[1]}", f"199{i}-05-05", 1, "子"),
            address={"postal_code": "9650872", "town_area": "東栄町", "block": f"{i + 1}番1号", "extra": ""},
        )
    return base64.b32encode(device.bin_key).decode()


def sign_in(page, url: str, secret: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", "kato")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url("**/otp/")
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.press("#id_code", "Enter")
    page.wait_for_url(f"{url}/")


def rows_in_view(page, selector: str) -> tuple[int, int]:
    """(rows, rows wholly inside the viewport at the top of the page)."""
    return page.evaluate(
        """(selector) => {
            window.scrollTo(0, 0);
            const rows = [...document.querySelectorAll(selector)];
            const inside = rows.filter(r => r.getBoundingClientRect().bottom <= window.innerHeight);
            return [rows.length, inside.length];
        }""",
        selector,
    )


def assert_no_horizontal_scrolling(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1024, f"horizontal scrolling on {page.url}: {width}px"
    wrap = page.evaluate(
        "() => { const w = document.querySelector('.table-wrap'); return [w.scrollWidth, w.clientWidth]; }"
    )
    assert wrap[0] <= wrap[1], f"the result table scrolls sideways: {wrap}"


@needs_chromium
def test_eight_result_rows_under_the_form_at_1024x768_and_a_printable_household_list(live_server, town):
    from playwright.sync_api import expect

    with thin_client_page(console_with_url=True) as (page, console, failed):
        try:
            assert page.viewport_size == {"width": 1024, "height": 768}
            sign_in(page, live_server.url, town)

            # -- the search as typed (htmx) and as loaded, plain and with the folded criteria --
            page.goto(f"{live_server.url}/registry/")
            page.locator("#id_name_kana").focus()  # autofocus may not have landed yet
            page.keyboard.type("ｱｵ")
            expect(page.locator(".results-table tbody tr")).to_have_count(12)
            total, visible = rows_in_view(page, ".results-table tbody tr")
            assert total == 12 and visible >= 8, f"{visible} of {total} rows on screen"
            assert_no_horizontal_scrolling(page)
            page.screenshot(path=str(ARTIFACTS / "registry-search-dense.png"))

            page.goto(f"{live_server.url}/registry/?head=%E3%82%A2%E3%82%AA&include_removed=1")  # 世帯主 アオ
            expect(page.locator("details.search-more")).to_have_attribute("open", "")
            total, visible = rows_in_view(page, ".results-table tbody tr")
            assert total == 12 and visible >= 8, f"{visible} of {total} rows on screen (details open)"
            assert_no_horizontal_scrolling(page)
            page.screenshot(path=str(ARTIFACTS / "registry-search-more.png"))

            # -- 世帯一覧 from the search screen, printed -------------------------------------
            page.get_by_role("link", name="世帯一覧（印刷用）").click()
            page.fill("#id_address", "東栄町")
            page.press("#id_address", "Enter")
            expect(page.locator(".household-block")).to_have_count(4)
            expect(page.locator(".household-block").first).to_contain_text("世帯主 青木 太郎")
            page.emulate_media(media="print")
            expect(page.locator(".site-nav")).to_be_hidden()
            expect(page.locator(".site-header")).to_be_hidden()
            expect(page.locator("form.no-print")).to_be_hidden()
            breaks = page.evaluate(
                "() => [...document.querySelectorAll('.household-block')].map(b => getComputedStyle(b).breakInside)"
            )
            assert breaks == ["avoid"] * 4
            page.pdf(path=str(ARTIFACTS / "registry-household-list.pdf"), prefer_css_page_size=True)
            page.emulate_media(media="screen")
            page.screenshot(path=str(ARTIFACTS / "registry-household-list.png"), full_page=True)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "registry-search-failure.png"), full_page=True)
            raise

    assert_page_clean(console, failed)
