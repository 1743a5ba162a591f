"""The staff UI shell: sign-in with lockout and mandatory TOTP, home, tenant switch, CSP."""

from __future__ import annotations

import html
import re

import pyotp
import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from yakuba.platform.identity.models import Membership
from yakuba.platform.identity.services import create_staff
from yakuba.platform.ui.views import OTP_WRONG

PASSWORD = "kaisho-madoguchi-2026"

pytestmark = pytest.mark.django_db


# -- helpers -----------------------------------------------------------------------------


def page(response) -> str:
    """Decode the body and check the CSP rules every page must follow."""
    text = response.content.decode()
    assert_csp_clean(response, text)
    return text


def assert_csp_clean(response, text: str) -> None:
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    # No inline script (every <script> has src=), no style attribute, no <style> element.
    for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
        assert re.search(r"\bsrc=", tag), tag
    assert not re.search(r"<[^>]+\sstyle\s*=", text, flags=re.I)
    assert not re.search(r"<style\b", text, flags=re.I)
    assert not re.search(r"\son[a-z]+\s*=", text, flags=re.I), "inline event handler"


def make_staff(username="sato", lg_code="072028", roles=("counter",), display_name="佐藤 花子"):
    return create_staff(
        username, password=PASSWORD, lg_code=lg_code, roles=list(roles), display_name=display_name
    )


def post_login(client, username="sato", password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def secret_from(text: str) -> str:
    match = re.search(r'id="totp-secret">([^<]+)<', text)
    assert match, "secret not shown on the enrolment page"
    return html.unescape(match.group(1)).replace(" ", "")


def enrol(client, username="sato") -> None:
    """Log in and finish enrolment; leaves the client verified."""
    assert post_login(client, username)["Location"].startswith("/otp/")
    text = page(client.get("/otp/"))
    response = client.post("/otp/", {"code": pyotp.TOTP(secret_from(text)).now()})
    assert response.status_code == 302 and response["Location"] == "/"


# -- login -------------------------------------------------------------------------------


def test_login_page_in_japanese(client):
    response = client.get("/login/")
    text = page(response)
    assert response.status_code == 200
    assert '<html lang="ja">' in text
    assert "ログイン" in text and "ユーザー名" in text and "パスワード" in text
    assert 'href="#main"' in text  # skip link
    assert re.search(r'id="id_username"[^>]*autofocus', text)
    assert 'name="htmx-config"' in text and '"includeIndicatorStyles": false' in text


def test_wrong_password_and_unknown_user_get_the_same_message(client, aizu):
    make_staff()
    wrong = page(post_login(client, password="not-the-password-1"))
    unknown = page(post_login(client, username="nobody-here"))
    assert "ユーザー名またはパスワードが正しくありません" in wrong
    assert 'aria-invalid="true"' in wrong and 'role="alert"' in wrong

    def message(text):
        return re.search(
            r'<div class="notice notice--error" role="alert".*?</div>\s*</div>', text, re.S
        ).group(0)

    assert message(wrong) == message(unknown)


def test_five_failures_lock_the_account(client, aizu):
    make_staff()
    statuses = [post_login(client, password=f"wrong-password-{i}").status_code for i in range(5)]
    assert statuses == [200] * 4 + [429]  # the fifth failure locks
    locked = post_login(client)  # even the right password is refused now
    text = page(locked)
    assert locked.status_code == 429
    assert "ロックされています" in text and "30分" in text and "管理者" in text
    assert "_auth_user_id" not in client.session


def test_correct_password_goes_to_otp(client, aizu):
    make_staff()
    response = post_login(client)
    assert response.status_code == 302
    assert response["Location"] == "/otp/"


def test_unverified_user_is_sent_to_otp(client, aizu):
    make_staff()
    post_login(client)
    for path in ("/", "/switch/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/otp/")


def test_anonymous_is_sent_to_login(client):
    assert client.get("/otp/")["Location"] == "/login/"
    assert client.get("/")["Location"].startswith("/login/?next=/")


# -- second factor -----------------------------------------------------------------------


def test_enrolment_confirms_device_and_reaches_home(client, aizu):
    user = make_staff()
    post_login(client)
    text = page(client.get("/otp/"))
    assert "認証アプリの登録" in text and "<svg" in text
    assert re.search(r'id="id_code"[^>]*autofocus', text)
    secret = secret_from(text)
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert re.search(r'id="totp-secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}<', text)  # groups of 4
    # Reloading the page reuses the same unconfirmed device.
    assert secret_from(page(client.get("/otp/"))) == secret
    assert TOTPDevice.objects.filter(user=user).count() == 1

    response = client.post("/otp/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response["Location"] == "/"
    assert TOTPDevice.objects.get(user=user).confirmed

    home = client.get("/")
    text = page(home)
    assert home.status_code == 200
    assert "福島県会津若松市" in text and "佐藤 花子" in text and "窓口" in text
    assert 'aria-label="業務メニュー"' in text


def test_wrong_code_message(client, aizu):
    make_staff()
    post_login(client)
    page(client.get("/otp/"))
    response = client.post("/otp/", {"code": "000000"})
    text = page(response)
    assert OTP_WRONG in text
    assert 'aria-invalid="true"' in text and "form-error" in text
    assert client.get("/").status_code == 302  # still not verified


def test_enrolled_user_gets_code_form_only(client, aizu):
    make_staff()
    enrol(client)
    client.post("/logout/")
    second = Client()
    assert post_login(second)["Location"] == "/otp/"
    text = page(second.get("/otp/"))
    assert "確認コードの入力" in text and 'name="code"' in text
    assert 'class="qr"' not in text
    assert "totp-secret" not in text and "認証アプリの登録" not in text


def test_next_is_kept_through_both_steps(client, aizu, chiyoda):
    user = make_staff()
    Membership.objects.create(user=user, lg_code="131016", role="counter")
    response = client.get("/switch/")
    assert response["Location"] == "/login/?next=/switch/"
    response = client.post(
        "/login/?next=/switch/", {"username": "sato", "password": PASSWORD, "next": "/switch/"}
    )
    assert response["Location"] == "/otp/?next=%2Fswitch%2F"
    text = page(client.get(response["Location"]))
    code = pyotp.TOTP(secret_from(text)).now()
    response = client.post("/otp/", {"code": code, "next": "/switch/"})
    assert response["Location"] == "/switch/"


def test_open_redirect_is_ignored(client, aizu):
    make_staff()
    response = client.post(
        "/login/", {"username": "sato", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/otp/"


# -- home, roles, tenants ----------------------------------------------------------------


def test_home_shows_field_visibility_per_role(client, aizu):
    make_staff("suzuki", roles=("welfare",), display_name="鈴木 一郎")
    enrol(client, "suzuki")
    text = page(client.get("/"))
    assert "福祉" in text

    def state(field):
        row = re.search(rf'data-field="{field}">.*?</li>', text, re.S).group(0)
        return "表示できます" in row

    assert state("my_number") is True
    assert state("juminhyo_code") is False
    assert state("domicile") is False
    for label in ("個人番号", "住民票コード", "本籍"):
        assert label in text


def test_user_without_membership_sees_only_a_message(client, aizu):
    user = make_staff()
    enrol(client)
    Membership.objects.filter(user=user).delete()
    response = client.get("/")
    text = page(response)
    assert response.status_code == 403
    assert "担当する団体" in text and "割り当てられていません" in text
    assert "会津若松市" not in text and "表示できる制限項目" not in text


def test_tenant_switch(client, aizu, chiyoda):
    user = make_staff()
    Membership.objects.create(user=user, lg_code="131016", role="tax")
    enrol(client)
    text = page(client.get("/"))
    assert "福島県会津若松市" in text and 'href="/switch/"' in text

    listing = page(client.get("/switch/"))
    assert "福島県会津若松市" in listing and "東京都千代田区" in listing
    assert 'value="131016"' in listing

    response = client.post("/switch/", {"lg_code": "131016"})
    assert response.status_code == 302 and response["Location"] == "/"
    text = page(client.get("/"))
    assert "東京都千代田区" in re.search(r'class="tenant-banner__name">[^<]+', text).group(0)
    assert "税務" in text and "切り替えました" in text

    # Not a member of 札幌市 (011002): refused, and the current municipality is unchanged.
    refused = client.post("/switch/", {"lg_code": "011002"})
    assert refused.status_code == 403
    assert "権限がありません" in page(refused)
    assert client.session["lg_code"] == "131016"


def test_single_municipality_user_has_no_switch_link(client, aizu):
    make_staff()
    enrol(client)
    assert 'href="/switch/"' not in page(client.get("/"))


class FakeStaff:
    is_authenticated = True
    username = "sato"
    display_name = ""

    def __init__(self, roles):
        self._roles = frozenset(roles)

    def is_verified(self):
        return True

    def municipalities(self):
        return ["072028"]

    def roles_in(self, lg_code):
        return self._roles


def fake_request(roles):
    from django.test import RequestFactory

    request = RequestFactory().get("/screen/", HTTP_X_YAKUBA_TERMINAL="madoguchi-01")
    request.user = FakeStaff(roles)
    request.session = {}
    request.request_id = "test-request-id"
    return request


def test_staff_view_binds_actor_and_tenant(aizu):
    from django.http import HttpResponse

    from yakuba.platform.audit.log import current_actor
    from yakuba.platform.tenancy.context import current_tenant
    from yakuba.platform.ui.staff import staff_view

    seen = {}

    @staff_view(roles=["counter"])
    def screen(request):
        seen.update(
            actor=current_actor(), tenant=current_tenant(), lg_code=request.lg_code, roles=request.roles
        )
        return HttpResponse("ok")

    assert screen(fake_request({"counter", "tax"})).status_code == 200
    actor = seen["actor"]
    assert (actor.type, actor.name, actor.terminal, actor.request_id) == (
        "staff",
        "sato",
        "madoguchi-01",
        "test-request-id",
    )
    assert actor.ip == "127.0.0.1"
    assert seen["tenant"].lg_code == "072028" and seen["lg_code"] == "072028"
    assert seen["roles"] == {"counter", "tax"}
    assert current_tenant() is None  # nothing leaks past the view


def test_staff_view_role_check():
    from django.http import HttpResponse

    from yakuba.platform.ui.staff import staff_view

    calls = []

    @staff_view(roles=["admin"])
    def admin_only(request):
        calls.append(request.lg_code)
        return HttpResponse("ok")

    response = admin_only(fake_request({"counter"}))
    assert response.status_code == 403 and not calls
    assert "この画面を利用する権限がありません" in response.content.decode()


# -- logout, errors, headers -------------------------------------------------------------


def test_logout_requires_post(client, aizu):
    make_staff()
    enrol(client)
    refused = client.get("/logout/")
    assert refused.status_code == 405
    assert refused["Allow"] == "POST"
    page(refused)
    assert client.get("/").status_code == 200  # still signed in

    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/")["Location"].startswith("/login/")
    assert "ログアウトしました" in page(client.get("/login/"))


def test_not_found_page_in_japanese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in page(response)


def test_csrf_failure_page(aizu):
    make_staff()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/login/", {"username": "sato", "password": PASSWORD})
    assert response.status_code == 403
    assert "操作を受け付けられませんでした" in page(response)


def test_cookies_are_httponly_and_strict(client, aizu):
    make_staff()
    response = post_login(client)
    cookie = response.cookies["yakuba_session"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    csrf = client.get("/login/").cookies.get("csrftoken") or client.cookies["csrftoken"]
    assert csrf["samesite"] == "Strict"


def test_static_assets_exist_and_htmx_is_vendored(client):
    css = client.get("/static/ui/yakuba.css")
    assert css.status_code == 200
    body = b"".join(css.streaming_content) if css.streaming else css.content
    assert b"#0017c1" in body.lower() and b"#ffd43d" in body.lower()
    js = client.get("/static/ui/htmx.min.js")
    assert js.status_code == 200
