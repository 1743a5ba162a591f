"""連携（Webhook）screen: administrators see dead letters and send them again."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.platform.linkage.conftest import KV_TYPE
from tests.platform.linkage.receiver import Receiver
from tests.platform.ui.test_shell import enrol, make_staff, page
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.identity.services import issue_token
from yakuba.platform.linkage import catalogue, webhooks
from yakuba.platform.linkage.models import DeadLetter
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_HOSTS = [Receiver.HOST]  # the operator allows the local test receiver
    catalogue.register(catalogue.EventType(KV_TYPE, "テスト", "test", data={}))
    r = Receiver()
    yield r
    r.close()
    catalogue.unregister(KV_TYPE)


def _dead_letter(receiver) -> int:
    client, _ = issue_token(AIZU, "hook", ["events:read"], "lgwan")
    with bind_actor(SYSTEM), tenant_context(AIZU):
        sub, _ = webhooks.subscribe(client.id, receiver.url, [], 60)
    with bind_actor(SYSTEM), tenant_context(AIZU):
        emit(KV_TYPE, subject="0000000019", data={})
    receiver.status = 503
    from datetime import timedelta

    from django.utils import timezone

    webhooks.deliver(AIZU, sub.id, clock=lambda: timezone.now() + timedelta(minutes=5))
    with tenant_context(AIZU):
        assert DeadLetter.objects.count() == 1
    return sub.id


def test_admin_sees_dead_letters_and_redelivers_them(client, aizu, receiver):
    sub_id = _dead_letter(receiver)
    make_staff("kanri", roles=("admin",))
    enrol(client, "kanri")
    text = page(client.get("/linkage/webhooks/"))
    assert (
        f"Webhook {sub_id}（hook）" in text
        and "配信できなかったイベント（1 件）" in text
        and "HTTP 503" in text
    )
    receiver.status = 200
    response = client.post(f"/linkage/webhooks/{sub_id}/redeliver/")
    assert response.status_code == 302
    assert "1 件を再送しました" in page(client.get("/linkage/webhooks/"))
    assert receiver.ids and receiver.events[0]["subject"] == "0000000019"


def test_redelivery_from_the_screen_checks_the_destination_again(client, aizu, receiver, settings):
    sub_id = _dead_letter(receiver)
    make_staff("kanri", roles=("admin",))
    enrol(client, "kanri")
    receiver.status = 200
    settings.WEBHOOK_ALLOW_HOSTS = []  # the operator withdrew the permission meanwhile
    client.post(f"/linkage/webhooks/{sub_id}/redeliver/")
    text = page(client.get("/linkage/webhooks/"))
    assert "1 件のうち 0 件を再送しました" in text and "送信先が許可されていません" in text
    assert receiver.ids == []


def test_counter_staff_cannot_open_the_screen(client, aizu):
    make_staff("sato", roles=("counter",))
    enrol(client, "sato")
    assert client.get("/linkage/webhooks/").status_code == 403
