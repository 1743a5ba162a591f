"""A whole counter day in a real browser at 1024×768, keyboard only (issue 12, must show).

転入 of a family with its 届出人 and 本人確認 → the 確認 screen → 更新 → the printed 処理票 (PDF);
世帯照会 → 転居 to an address taken from the 住所辞書 by its 郵便番号; the 異動履歴 with before and
after; a 取消し from the history; the 死亡 of the 世帯主 (the deceased is not offered as the new
世帯主); twins born into the 世帯. What the test client cannot check: the keyboard really drives
every step, htmx swaps (postal code → 町字, rows added) keep the focus where the clerk types, the
strict CSP raises no violation, and nothing needs horizontal scrolling on a counter terminal.
Screenshots and the 処理票 go to ``test-artifacts/``.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.chromium import ARTIFACTS, needs_chromium
from tests.browser.test_registry_review_browser import clerk, signed_in  # noqa: F401 (fixture)
from yakuba.platform.japanese.wareki import format_wareki

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAMILY = [
    # name, kana (as typed: half-width, hiragana), birth (和暦 as typed), sex key, relationship
    ("小林 健一", "ｺﾊﾞﾔｼ ｹﾝｲﾁ", "S55.4.10", "male", "世帯主"),
    ("小林 直美", "こばやし なおみ", "昭和57年8月1日", "female", "妻"),
    ("小林 陽太", "コバヤシ ヨウタ", "H27.6.15", "male", "子"),
]
TWINS = [("小林 一花", "コバヤシ イチカ"), ("小林 二葉", "コバヤシ フタバ")]


def short(days_ago: int) -> str:
    return format_wareki(timezone.localdate() - timedelta(days=days_ago), style="short")


@needs_chromium
def test_a_counter_day_by_keyboard(live_server, clerk):  # noqa: F811 (the imported fixture)
    from playwright.sync_api import expect

    secret, _atena = clerk
    shot = iter(range(1, 100))
    with signed_in(live_server, secret, "counter-day") as page:
        keys = page.keyboard

        def snap(name: str) -> None:
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 1024, f"horizontal scrolling on {page.url}: {width}px"
            page.screenshot(path=str(ARTIFACTS / f"counter-day-{next(shot):02d}-{name}.png"), full_page=True)

        def type_into(selector: str, text: str) -> None:
            page.locator(selector).focus()
            keys.type(text)

        def choose(selector: str, steps: int) -> None:
            """A <select> by keyboard: focus it and move down ``steps`` options."""
            page.locator(selector).focus()
            for _ in range(steps):
                keys.press("ArrowDown")

        def press(role: str, name: str) -> None:
            page.get_by_role(role, name=name).first.focus()
            keys.press("Enter")

        def confirm_and_update(title: str) -> None:
            """確認 (nothing written yet), then 更新 — the focused button."""
            expect(page.locator("h1")).to_have_text(f"{title}の確認")
            expect(page.get_by_role("button", name="更新する")).to_be_focused()
            snap(f"{title}-confirm")
            keys.press("Enter")
            page.wait_for_url(re.compile(r"/registry/moves/done/"))
            expect(page.get_by_role("status")).to_contain_text(f"{title}を登録しました")

        # -- 転入: a family of three with its 届出人 -------------------------------------------
        page.goto(f"{live_server.url}/registry/moves/new/move_in/")
        expect(page.locator("#f-move-date")).to_be_focused()  # autofocus
        keys.type(short(3))
        type_into("#f-notified-date", short(1))
        type_into("#f-household-address-postal-code", "9650872")
        keys.press("Tab")
        expect(page.locator("#f-household-address-town-area")).to_have_value("東栄町")  # from the 住所辞書
        type_into("#f-household-address-block", "3番4号")
        type_into("#f-previous-address", "東京都千代田区千代田1番1号")  # once for the family
        for i, (name, kana, birth, sex, relationship) in enumerate(FAMILY):
            if i:
                press("button", "世帯員を追加")  # htmx appends a row and focuses its first input
            else:
                page.locator("#f-persons-0-name").focus()
            expect(page.locator(f"#f-persons-{i}-name")).to_be_focused()
            keys.type(name)
            keys.press("Tab")
            keys.type(kana)
            keys.press("Tab")
            keys.type(birth)
            keys.press("Tab")
            expect(page.locator(f"#f-persons-{i}-sex-1")).to_be_focused()
            keys.press("Space" if sex == "male" else "ArrowRight")
            keys.press("Tab")
            keys.type(relationship)
        choose("#f-notifier-kind", 2)  # 世帯主
        type_into("#f-notifier-name", "小林 健一")
        choose("#f-notifier-identity-document", 1)  # 個人番号カード
        expect(page.locator("#f-notifier-kind")).to_have_value("head")
        expect(page.locator("#wrap-f-persons-0-birth-date .parsed")).to_have_text(
            re.compile("昭和55年4月10日")
        )
        snap("move-in")
        page.locator("#f-notifier-name").focus()
        keys.press("Enter")  # Enter leads to the 確認 screen, not to the register
        expect(page.locator("main")).to_contain_text("まだ登録されていません")
        expect(page.locator("main")).to_contain_text("個人番号カード")
        expect(page.locator(".changes-table")).to_have_count(3)
        confirm_and_update("転入")
        move_no = page.locator(".move-no").inner_text()
        assert re.fullmatch(r"\d{4}-\d{6}", move_no)
        expect(page.locator("table tbody tr")).to_have_count(3)
        snap("move-in-done")

        # -- the 処理票 (PDF) --------------------------------------------------------------------
        slip = page.get_by_role("link", name=re.compile("処理票"))
        pdf = page.request.get(live_server.url + slip.get_attribute("href"))
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")
        (ARTIFACTS / "counter-day-slip.pdf").write_bytes(pdf.body())

        # -- 世帯照会 → 転居, the address from the 住所辞書 by its 郵便番号 -------------------------
        press("link", "世帯照会へ")
        page.wait_for_url(re.compile(r"/registry/households/\d+/"))
        setai_url = page.url
        expect(page.locator(".members-table tbody tr")).to_have_count(3)
        press("button", "転居")
        page.wait_for_url(re.compile(r"/registry/moves/new/move_within/"))
        expect(page.locator("#f-move-date")).to_be_focused()
        keys.type(short(1))
        type_into("#f-household-address-postal-code", "9650871")
        keys.press("Tab")
        expect(page.locator("#f-household-address-town-area")).to_have_value("栄町")
        type_into("#f-household-address-block", "1番1号")
        type_into("#f-household-address-extra", "コーポ栄101")
        choose("#f-notifier-kind", 1)  # 本人
        choose("#f-notifier-identity-document", 2)  # 運転免許証
        snap("move-within")
        page.locator("#f-household-address-extra").focus()
        keys.press("Enter")
        expect(page.locator(".changes-table").first).to_contain_text("栄町1番1号")
        confirm_and_update("転居")

        # -- 異動履歴: before and after, then a 取消し from the history ------------------------
        page.locator("table tbody tr").first.get_by_role("link", name=re.compile("異動履歴")).focus()
        keys.press("Enter")
        page.wait_for_url(re.compile(r"/registry/residents/\d+/history/"))
        latest = page.locator(".history-entry").first
        expect(latest).to_contain_text("転居")
        expect(latest).to_contain_text("kato")  # 処理者: the clerk signed in
        expect(latest.locator(".changes-table")).to_contain_text("東栄町3番4号")
        expect(latest.locator(".changes-table")).to_contain_text("栄町1番1号")
        snap("history")
        latest.get_by_role("link", name="この異動を取り消す").focus()
        keys.press("Enter")
        expect(page.locator("#f-cancel-move-id")).not_to_have_value("")
        page.locator("#f-cancel-move-id").focus()
        keys.press("Enter")
        confirm_and_update("異動の取消し")
        page.goto(setai_url)
        expect(page.locator("main")).to_contain_text("東栄町3番4号")  # the 転居 is undone

        # -- 死亡 of the 世帯主: the deceased is not offered as the new 世帯主 -------------------
        for i in (1, 2):  # only the 世帯主 stays ticked
            page.locator(".members-table tbody tr").nth(i).locator("input[type=checkbox]").focus()
            keys.press("Space")
        press("button", "死亡")
        page.wait_for_url(re.compile(r"/registry/moves/new/death/"))
        type_into("#f-move-date", short(0))  # focus first: a key typed while the page settles is lost
        options = page.locator("#f-household-new-head option").all_inner_texts()
        assert not [o for o in options if "小林 健一" in o] and [o for o in options if "小林 直美" in o]
        choose("#f-household-new-head", 1)  # 小林 直美
        son = page.locator("input[id^=f-household-relationships-]").last
        son.focus()
        keys.type("子")
        snap("death")
        keys.press("Enter")
        confirm_and_update("死亡")

        # -- twins born into the 世帯 ----------------------------------------------------------
        page.goto(setai_url)
        press("link", "出生")
        page.wait_for_url(re.compile(r"/registry/moves/new/birth/"))
        type_into("#f-move-date", short(2))
        for i, (name, kana) in enumerate(TWINS):
            if i:
                press("button", "子を追加")
            else:
                page.locator("#f-persons-0-name").focus()
            expect(page.locator(f"#f-persons-{i}-name")).to_be_focused()
            keys.type(name)
            keys.press("Tab")
            keys.type(kana)
            keys.press("Tab")
            keys.press("ArrowRight")  # 女
            keys.press("Tab")
            keys.type("子")
        snap("twins")
        keys.press("Enter")
        expect(page.locator(".changes-table")).to_have_count(2)
        confirm_and_update("出生")
        expect(page.locator("table tbody tr")).to_have_count(2)
        page.goto(setai_url)
        members = page.locator(".members-table tbody tr")
        expect(members).to_have_count(4)  # 直美 (世帯主), 陽太 and the twins
        expect(members.nth(0)).to_contain_text("小林 直美")
        snap("household-at-day-end")
