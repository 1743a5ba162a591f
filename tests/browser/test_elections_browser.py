"""The 選管 in a real browser at 1024×768: the roll per 投票区, then a 閲覧の申出 for political
activity taken, refused while a field is missing (the error at its field), recorded, approved,
and the 閲覧 made after the viewer's photo ID — the 抄本 on the screen, the person under 支援措置
not in it (docs/elections.md "閲覧"; screenshots in test-artifacts/)."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest

from tests.browser.chromium import ARTIFACTS, needs_chromium
from tests.browser.test_registry_review_browser import PASSWORD, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def senkan(transactional_db, monkeypatch):
    """A 選管 clerk (its authenticator key) and three voters on the roll, one under 支援措置; the
    clock on an open day (the 閲覧 is on office days). All the database work is here."""
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.elections.test_viewing import open_day
    from tests.registry.conftest import move_in_body, person
    from yakuba.elections import services as elections
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.identity.services import create_staff
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry import services

    day = open_day(timezone.localdate())
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    register_municipality("072028")
    user = create_staff(
        "kato", password=PASSWORD, lg_code="072028", roles=["election"], display_name="選管 太郎"
    )
    device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
    long_ago = (day - timedelta(days=400)).isoformat()
    with bind_actor(SYSTEM), tenant_context("072028"):
        atena = {}
        for name, kana, birth, sex, block in (
            ("会津 一郎", "アイヅ イチロウ", "1970-01-01", 1, "2番1号"),
            ("会津 花子", "アイヅ ハナコ", "1975-02-02", 2, "10番1号"),
            ("会津 保護", "アイヅ ホゴ", "1980-03-03", 2, "5番1号"),
        ):
            body = move_in_body(
                person(name, kana, birth, sex, "世帯主"),
                address={"postal_code": "9650872", "town_area": "東栄町", "block": block, "extra": ""},
                move_date=long_ago,
                notified_date=long_ago,
            )
            atena[name] = services.apply_move(services.parse_move(body)).persons[0][0]
        services.set_measure(atena["会津 保護"], starts_on=day - timedelta(days=1), summary="DV")
        elections.register("election", day - timedelta(days=10), day + timedelta(days=7))
    return base64.b32encode(device.bin_key).decode(), day


@needs_chromium
def test_a_clerk_takes_approves_and_shows_a_viewing(live_server, senkan):
    from playwright.sync_api import expect

    secret, day = senkan
    with signed_in(live_server, secret, "elections") as page:
        page.goto(f"{live_server.url}/elections/")
        expect(page.locator("#roll-table")).to_contain_text("会津 一郎")
        expect(page.locator("#roll-table")).to_contain_text("（支援措置対象のため表示しません）")
        page.screenshot(path=str(ARTIFACTS / "elections-roll.png"), full_page=True)

        page.goto(f"{live_server.url}/elections/viewings/")
        page.get_by_label("公職の候補者等・政党その他の政治団体の政治活動（選挙運動を含む）").check()
        page.locator("#requester_name").fill("会津 次郎")
        page.locator("#requester_address").fill("福島県会津若松市栄町1番1号")
        page.locator("#viewing_on").fill(day.isoformat())
        page.locator("#viewers").fill("会津 次郎")
        page.get_by_label("第1投票区").check()
        page.get_by_role("button", name="受け付ける").click()
        expect(page.locator("#err-purpose_detail")).to_have_text(
            "閲覧の目的の具体的な内容（利用目的）を入力してください"
        )
        page.screenshot(path=str(ARTIFACTS / "elections-viewing-refused.png"), full_page=True)

        page.locator("#purpose_detail").fill("後援会活動の案内の送付")
        page.get_by_role("button", name="受け付ける").click()
        page.wait_for_url(re.compile(r"/elections/viewings/one/\?id="))
        expect(page.locator("#decision")).to_contain_text("審査中")
        page.get_by_role("button", name="記録する").click()
        expect(page.locator("#decision")).to_contain_text("承認")
        page.locator("#identity").fill("運転免許証")
        page.get_by_role("button", name="抄本を表示する").click()
        shown = page.locator("#shown")
        expect(shown).to_contain_text("閲覧に供する抄本（2 人）")
        expect(shown).to_contain_text("第1投票区（男 1 人、女 1 人）")
        expect(shown).to_contain_text("会津 花子")
        expect(shown).not_to_contain_text("会津 保護")
        page.screenshot(path=str(ARTIFACTS / "elections-viewing-shown.png"), full_page=True)
