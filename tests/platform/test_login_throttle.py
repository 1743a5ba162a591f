"""Sign-in throttle per client address, beside django-axes' lockout per user name (ui/views.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.platform.ui.test_shell import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

ADDRESS_MESSAGE = "この接続元からのログインの失敗が続いた"


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    # Each attempt hashes a password (also for unknown users); the throttle is what is tested.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


WRONG = "wrong-password-1"


def attempt(client: Client, username: str, password: str = WRONG, **meta):
    return client.post("/login/", {"username": username, "password": password}, **meta)


def spray(client: Client, count: int, **meta) -> list[int]:
    """``count`` wrong passwords, four per user name: below the per-user lockout of five."""
    return [attempt(client, f"user-{i // 4}", **meta).status_code for i in range(count)]


def test_one_address_failing_on_many_user_names_is_refused(aizu, settings):
    make_staff()
    statuses = spray(Client(), settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    assert statuses == [200] * settings.LOGIN_ADDRESS_FAILURE_LIMIT  # no user reached five
    refused = attempt(Client(), "sato", PASSWORD)  # even a right password, from that address
    text = refused.content.decode()
    assert refused.status_code == 429 and ADDRESS_MESSAGE in text and "30分" in text
    assert "アカウントがロックされています" not in text
    # Another address is not affected.
    other = attempt(Client(REMOTE_ADDR="10.0.0.8"), "sato", PASSWORD)
    assert other.status_code == 302 and other["Location"].startswith("/otp/")


def test_forged_forwarded_for_entries_do_not_make_new_addresses(aizu, settings):
    # Behind the trusted proxy only its own (last) entry counts; the client's own entries vary.
    settings.TRUSTED_PROXY = True
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        attempt(Client(), f"user-{i // 4}", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.7")
    make_staff()
    refused = attempt(Client(), "sato", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7")
    assert refused.status_code == 429 and ADDRESS_MESSAGE in refused.content.decode()
    # A different client behind the same proxy is a different address.
    other = attempt(Client(), "sato", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 302


def test_without_a_trusted_proxy_forwarded_for_is_ignored(aizu, settings):
    settings.TRUSTED_PROXY = False
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        attempt(Client(), f"user-{i // 4}", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    make_staff()
    refused = attempt(Client(), "sato", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert refused.status_code == 429


def test_failures_older_than_the_cool_off_do_not_count(aizu, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    spray(Client(), settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=31))
    make_staff()
    assert attempt(Client(), "sato", PASSWORD).status_code == 302
