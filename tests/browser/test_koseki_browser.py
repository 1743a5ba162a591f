"""A 婚姻届 at the 戸籍係 in a real browser at 1024×768 (issue 19, "Must show"): two children of
戸籍 kept here — neither is 筆頭者 — marry taking the husband's 氏; the clerk types the 婚姻届
(the as-you-type check already says the 新本籍 is missing; sent without it, the door's
refusal is at its input), sees on the 確認 the new 戸籍 it
will make (戸籍法16条), accepts it, opens the new 戸籍 from the 届出's page and issues its
戸籍全部事項証明書 to the husband; the PDF's text has the names as stored (髙, 﨑), the 本籍, the
婚姻 entry and the 認証文 (screenshots and the PDF in test-artifacts/)."""

from __future__ import annotations

import base64
import re
import subprocess

import pytest

from tests.browser.chromium import ARTIFACTS, needs_chromium
from tests.browser.test_registry_review_browser import PASSWORD, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_HONSEKI = "福島県会津若松市追手町1番"


def _family(surname, kana, head, spouse, child, child_sex, honseki):
    member = {"entered_on": "1990-04-01"}
    return {
        "honseki": honseki,
        "surname": surname,
        "surname_kana": kana,
        "formed_on": "1990-04-01",
        "members": [
            member
            | {
                "given_name": head,
                "birth_date": "1960-01-01",
                "sex": "male",
                "role": "head",
                "relationship": "長男",
            },
            member
            | {
                "given_name": spouse,
                "birth_date": "1962-02-02",
                "sex": "female",
                "role": "spouse",
                "relationship": "長女",
            },
            member
            | {
                "given_name": child,
                "birth_date": "1995-05-05" if child_sex == "male" else "1997-07-07",
                "sex": child_sex,
                "role": "child",
                "relationship": "長男" if child_sex == "male" else "長女",
            },
        ],
    }


@pytest.fixture
def clerk(transactional_db):
    """A 戸籍係 clerk (its authenticator key), the issuing settings, and two 戸籍 here whose
    children 髙橋 一郎 and 山﨑 咲 are to marry: (secret, 一郎's 個人ID, 咲's). The database work
    is all here: the Playwright loop forbids ORM calls."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yakuba.certificates.services import seal, settings
    from yakuba.koseki.services import koseki_of, record_existing
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.identity.services import create_staff
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality

    register_municipality("072028")
    user = create_staff(
        "kato", password=PASSWORD, lg_code="072028", roles=["koseki"], display_name="加藤 恵"
    )  # sign_in types kato
    device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
    with bind_actor(SYSTEM), tenant_context("072028"):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
        takahashi, yamasaki = record_existing(
            [
                _family("髙橋", "タカハシ", "太郎", "和子", "一郎", "male", "福島県会津若松市東栄町3番"),
                _family("山﨑", "ヤマサキ", "次郎", "春子", "咲", "female", "福島県会津若松市栄町2番"),
            ]
        )
        ichiro = koseki_of(takahashi).members[2].person_id
        saki = koseki_of(yamasaki).members[2].person_id
    return base64.b32encode(device.bin_key).decode(), ichiro, saki


@needs_chromium
def test_a_clerk_records_a_marriage_making_a_new_koseki_and_issues_its_certificate(live_server, clerk):
    from playwright.sync_api import expect

    secret, ichiro, saki = clerk
    with signed_in(live_server, secret, "koseki") as page:
        page.goto(f"{live_server.url}/")
        page.get_by_role("navigation", name="業務メニュー").get_by_role("link", name="戸籍").click()
        page.wait_for_url(re.compile(r"/koseki/$"))
        page.locator("#open-notify").click()
        page.locator("#kind-marriage").click()
        page.wait_for_url(re.compile(r"/koseki/notify/\?kind=marriage"))
        page.locator("#f-filed-on").fill("R7.9.1")
        page.locator("#f-surname-of").select_option("husband")
        page.locator("#f-husband-person-id").fill(ichiro)
        page.locator("#f-wife-person-id").fill(saki)
        page.locator("#f-wife-person-id").press("Tab")  # the as-you-type check (htmx) answers
        expect(page.locator("#live-check")).to_contain_text("新本籍を入力してください")
        page.screenshot(path=str(ARTIFACTS / "koseki-marriage-form.png"), full_page=True)
        page.locator("#check").click()

        # Neither is 筆頭者: a new 戸籍 is made, and it needs its 本籍 (the door says so at the input).
        expect(page.locator("#err-f-new-honseki")).to_contain_text("新本籍を入力してください")
        expect(page.locator("#f-husband-person-id")).to_have_value(ichiro)
        page.screenshot(path=str(ARTIFACTS / "koseki-marriage-refused.png"), full_page=True)
        page.locator("#f-new-honseki").fill(NEW_HONSEKI)
        page.locator("#check").click()

        expect(page.locator("#confirm")).to_contain_text("受理すると、次のとおり戸籍に記載します")
        new = page.locator("section.koseki", has_text="新しく編製する戸籍")
        expect(new).to_contain_text(NEW_HONSEKI)
        expect(new).to_contain_text("髙橋　一郎")
        expect(new).to_contain_text("髙橋　咲")
        former = page.locator("section.koseki", has_text="福島県会津若松市東栄町3番")  # his parents'
        expect(former.locator(".member--removed")).to_contain_text(
            "髙橋　一郎 除籍（婚姻 2025-09-01） この届出で除籍"
        )
        page.screenshot(path=str(ARTIFACTS / "koseki-marriage-confirm.png"), full_page=True)
        page.locator("#accept").click()

        page.wait_for_url(re.compile(r"/koseki/ledger/notification/\?no="))
        expect(page.locator("#outcome")).to_contain_text("受理しました")
        page.screenshot(path=str(ARTIFACTS / "koseki-marriage-accepted.png"), full_page=True)
        page.locator("#written").get_by_role("link", name=re.compile(NEW_HONSEKI)).click()

        page.wait_for_url(re.compile(r"/koseki/register/\?id="))
        expect(page.locator(".hittosha")).to_have_text("髙橋　一郎")
        page.screenshot(path=str(ARTIFACTS / "koseki-new-register.png"), full_page=True)
        page.locator("#open-certificate").click()

        page.wait_for_url(re.compile(r"/koseki/certificate/\?id="))
        expect(page.locator("#f-kind")).to_have_value("koseki_full")
        page.locator("#f-requester-person-id").fill(ichiro)
        page.screenshot(path=str(ARTIFACTS / "koseki-certificate-form.png"), full_page=True)
        page.locator("#issue").click()

        expect(page.locator("h1")).to_have_text("戸籍全部事項証明書を交付しました")
        number = page.locator("#number").inner_text()
        assert re.fullmatch(r"\d{8}-\d{6}", number)
        page.screenshot(path=str(ARTIFACTS / "koseki-certificate-issued.png"), full_page=True)
        pdf = page.request.get(live_server.url + page.locator("#pdf").get_attribute("href"))
        body = pdf.body()
    assert pdf.ok and body.startswith(b"%PDF")
    (ARTIFACTS / "koseki-certificate-browser.pdf").write_bytes(body)
    printed = subprocess.run(
        ["pdftotext", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()
    compact = re.sub(r"\s+", "", printed)
    assert "髙橋一郎" in compact and "咲" in compact and "山﨑" in compact  # 従前の氏 as stored
    assert "追手町1番" in compact and "婚姻" in compact
    assert "これは、戸籍に記録されている事項の全部を証明した書面である。" in compact
