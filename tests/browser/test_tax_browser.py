"""A 税務 clerk's morning in a real browser at 1024×768, keyboard only (issue 14, the staff UI).

課税照会 of a taxpayer → 申告の入力・修正 with a 医療費 and a 扶養親族 → 確認 (the tax it leads to) →
登録して再計算 → 第2版 on 課税照会; then the 未突合の課税資料: a report picked to its resident by
keyboard, confirmed and joined. What the test client cannot check: the keyboard drives every step
(autofocus where the clerk types next, Enter submitting the right button), the strict CSP raises
no violation, nothing needs horizontal scrolling. Screenshots go to ``test-artifacts/tax-*.png``.
"""

from __future__ import annotations

import base64
import re

import pytest

from tests.browser.chromium import ARTIFACTS, needs_chromium
from tests.browser.test_registry_review_browser import PASSWORD, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = 2026


@pytest.fixture
def tax_clerk(transactional_db):
    """A 税務 clerk (user ``kato``, as ``signed_in`` types it) with a confirmed authenticator; a
    town with its 当初課税 done; one 給与支払報告書 left unmatched (another address). Everything in
    the database is done here: the Playwright loop forbids ORM calls in the test itself."""
    from datetime import date

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.identity.services import create_staff
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry import services as door
    from yakuba.registry.generate import generate_population
    from yakuba.tax.codes import ReportKind
    from yakuba.tax.services import assessment, income_generate, load_reports, read_reports

    register_municipality("072028")
    user = create_staff("kato", password=PASSWORD, lg_code="072028", roles=["tax"], display_name="加藤 恵")
    device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
    with bind_actor(SYSTEM), tenant_context("072028"):
        generate_population(80, seed=3, as_of=date(2025, 12, 1))
        income_generate.generate(YEAR)
        people, _last = door.inhabitants_page(date(YEAR, 1, 1), after="", limit=100, purpose="試験")
    adults = [p for p in people if p.birth_date and p.birth_date.year < 1985 and p.name_kana]
    taxpayer, elsewhere = adults[0], adults[1]
    line = (
        f"会津商事,{elsewhere.name},{elsewhere.name_kana},{elsewhere.birth_date.isoformat()},"
        "東京都千代田区千代田1番1号,2400000\n"
    )
    with bind_actor(SYSTEM):
        assessment.run_initial("072028", YEAR)
        with tenant_context("072028"):
            data = ("支払者名称,氏名,フリガナ,生年月日,住所,支払金額\n" + line).encode()
            load_reports(
                read_reports(data, kind=ReportKind.SALARY, fiscal_year=YEAR),
                kind=ReportKind.SALARY,
                fiscal_year=YEAR,
                file_name="kyuyo.csv",
            )
    return base64.b32encode(device.bin_key).decode(), taxpayer.atena_no, elsewhere


@needs_chromium
def test_a_declaration_a_recalculation_and_an_unmatched_report_by_keyboard(live_server, tax_clerk):
    from playwright.sync_api import expect

    secret, atena_no, elsewhere = tax_clerk
    shot = iter(range(1, 100))
    with signed_in(live_server, secret, "tax") as page:
        keys = page.keyboard

        def snap(name: str) -> None:
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 1024, f"horizontal scrolling on {page.url}: {width}px"
            page.screenshot(path=str(ARTIFACTS / f"tax-{next(shot):02d}-{name}.png"), full_page=True)

        def type_into(selector: str, text: str) -> None:
            page.locator(selector).focus()  # a key typed while the page settles is lost
            keys.type(text)

        def enter(locator) -> None:
            locator.focus()
            keys.press("Enter")

        # -- 課税照会 -----------------------------------------------------------------------------
        page.goto(f"{live_server.url}/tax/?fiscal_year={YEAR}")
        type_into("#id_atena_no", atena_no)
        keys.press("Enter")
        page.wait_for_load_state("networkidle")
        expect(page.locator("caption", has_text="課税の版")).to_be_visible()
        expect(page.locator("table").first.locator("tbody tr")).to_have_count(1)
        snap("lookup")

        # -- 申告の入力: 医療費 and a child of 15 ---------------------------------------------------
        enter(page.locator("#declaration-open"))
        page.wait_for_url(re.compile(r"/tax/declaration/"))
        expect(page.locator("h1")).to_contain_text("住民税申告（2026年度・2025年分の所得）")
        type_into("#f-deductions-medical-expenses", "250,000")
        type_into("#f-dependents-0-birth-date", "H22.5.1")
        page.locator("#f-dependents-0-relation").focus()
        keys.press("Home")  # 子
        expect(page.locator("#f-dependents-0-relation")).to_have_value("child")
        enter(page.get_by_role("button", name="扶養親族を追加"))  # htmx adds a row, its 生年月日 focused
        page.wait_for_load_state("networkidle")
        expect(page.locator("#f-dependents-1-birth-date")).to_be_focused()
        snap("declaration")
        type_into("#f-dependents-0-birth-date", "")  # back in a filled input: Enter goes to 確認
        keys.press("Enter")
        page.wait_for_load_state("networkidle")
        expect(page.locator("h1")).to_have_text("申告の確認")
        expect(page.locator("main")).to_contain_text("まだ登録されていません")
        expect(page.locator("main")).to_contain_text("平成22年5月1日")
        expect(page.locator("main")).not_to_contain_text("扶養親族2")  # the row added and left empty
        expect(page.locator("#confirm-figures")).to_contain_text("今の課税（第1版）")
        expect(page.locator("#f-note")).to_be_focused()  # the 更正's reason, then Enter
        snap("declaration-confirm")
        keys.type("医療費控除の申告")
        keys.press("Enter")
        page.wait_for_url(re.compile(r"/tax/\?atena_no="))
        expect(page.get_by_role("status").first).to_be_visible()
        expect(page.locator("main")).to_contain_text("申告を登録しました。再計算して第2版になりました")
        versions = page.locator("table").first.locator("tbody tr")
        expect(versions).to_have_count(2)
        expect(versions.nth(1)).to_contain_text("医療費控除の申告")
        snap("version-2")

        # -- 未突合の課税資料: pick the resident, confirm, join ----------------------------------
        enter(page.get_by_role("link", name="1 件"))
        page.wait_for_url(re.compile(r"/tax/unmatched/\?fiscal_year="))
        expect(page.locator("#unmatched-count")).to_have_text("未突合 1 件")
        snap("unmatched")
        enter(page.get_by_role("link", name=re.compile("確認する")))
        page.wait_for_url(re.compile(r"/tax/unmatched/\d+/$"))
        pick = page.locator(f"#pick-{elsewhere.atena_no}")
        pick.focus()
        keys.press("Space")
        expect(pick).to_be_checked()
        snap("unmatched-candidates")
        enter(page.get_by_role("button", name="選んだ住民で確認する"))
        page.wait_for_load_state("networkidle")
        expect(page.locator("h1")).to_have_text("突合の確認")
        expect(page.locator("#match-compare")).to_contain_text("東京都千代田区千代田1番1号")
        expect(page.locator("#f-note")).to_be_focused()
        keys.type("前住所で提出された報告書")
        snap("unmatched-confirm")
        keys.press("Enter")
        page.wait_for_url(re.compile(r"/tax/unmatched/\?fiscal_year="))
        expect(page.locator("main")).to_contain_text(
            f"{elsewhere.name}（宛名番号 {elsewhere.atena_no}）に突合しました"
        )
        expect(page.locator("#unmatched-count")).to_have_text("未突合 0 件")
        snap("unmatched-done")
