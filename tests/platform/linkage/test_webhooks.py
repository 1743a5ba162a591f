"""Webhook delivery: signed, in order, retried with backoff, dead-lettered past the maximum age,
redeliverable; nothing lost when the subscriber is down or the worker dies."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from tests.conftest import AIZU
from tests.platform.linkage.conftest import KV_TYPE, SECRET_TYPE
from tests.platform.linkage.receiver import Receiver
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.identity.services import issue_token
from yakuba.platform.linkage import webhooks
from yakuba.platform.linkage.models import DeadLetter, Subscription
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


def _subscribe(receiver, *, scopes=("events:read",), zone="lgwan", types=(), max_age=3600):
    client, _ = issue_token(AIZU, f"hook-{len(scopes)}-{zone}", list(scopes), zone)
    with bind_actor(SYSTEM), tenant_context(AIZU):
        sub, secret = webhooks.subscribe(client.id, receiver.url, list(types), max_age)
    return sub.id, secret


def _emit(n: int, type_=KV_TYPE, **data) -> list[str]:
    with bind_actor(SYSTEM), tenant_context(AIZU):
        return [str(emit(type_, subject=f"{i:07d}", data={"i": i, **data})) for i in range(n)]


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_events_are_posted_in_order_signed_and_with_their_id(aizu, receiver):
    sub_id, secret = _subscribe(receiver)
    ids = _emit(3)
    report = webhooks.deliver(AIZU, sub_id)
    assert report.delivered == 3 and not report.failed
    assert receiver.ids == ids
    for event, headers in zip(receiver.events, receiver.headers, strict=True):
        assert headers["X-Yakuba-Event-Id"] == event["id"]
        assert headers["Content-Type"].startswith("application/cloudevents+json")
        assert webhooks.verify_signature(secret, headers["_body"], headers["X-Yakuba-Signature"])
        assert not webhooks.verify_signature("wrong", headers["_body"], headers["X-Yakuba-Signature"])
    # Nothing new: nothing sent again.
    assert webhooks.deliver(AIZU, sub_id).delivered == 0 and len(receiver.ids) == 3


def test_a_subscription_starts_at_the_head_and_filters_types(aizu, receiver):
    _emit(2)  # before the subscription: not sent
    sub_id, _ = _subscribe(receiver, types=["jp.yakuba.test.person"])
    _emit(2)
    ids = _emit(1, SECRET_TYPE, name="x", my_number="123456789018")
    webhooks.deliver(AIZU, sub_id)
    assert receiver.ids == ids
    assert "my_number" not in receiver.events[0]["data"]  # lgwan client without the scope


def test_my_number_reaches_only_a_mynumber_client(aizu, receiver):
    sub_id, _ = _subscribe(receiver, scopes=("events:read", "registry:mynumber"), zone="mynumber")
    _emit(1, SECRET_TYPE, name="x", my_number="123456789018")
    webhooks.deliver(AIZU, sub_id)
    assert receiver.events[0]["data"]["my_number"] == "123456789018"


def test_each_delivery_is_audited(aizu, receiver):
    sub_id, _ = _subscribe(receiver)
    _emit(2)
    webhooks.deliver(AIZU, sub_id)
    with tenant_context(AIZU):
        row = AuditEntry.objects.get(action="deliver")
    assert row.subject_ids == ["0000000", "0000001"] and row.detail == {
        "channel": "webhook",
        "subscription": sub_id,
    }
    assert row.actor == f"webhook:{sub_id}"


def test_backoff_doubles_up_to_ten_minutes():
    assert [webhooks.backoff(n) for n in (1, 2, 3, 4, 8, 20)] == [5, 10, 20, 40, 600, 600]


def test_subscriber_down_for_an_hour_loses_nothing(aizu, receiver):
    clock = Clock()
    sub_id, _ = _subscribe(receiver, max_age=2 * 3600)
    ids = _emit(5)
    receiver.status = 503
    attempts = 0
    while clock.now - clock.__class__().now < timedelta(hours=1):  # one simulated hour
        report = webhooks.deliver(AIZU, sub_id, clock=clock)
        assert report.delivered == 0
        attempts += report.retry_at is not None and report.retry_at > clock.now
        clock.advance(30)
    with tenant_context(AIZU):
        sub = Subscription.objects.get(id=sub_id)
        dead_letters = DeadLetter.objects.exists()
    assert sub.attempts >= 10 and sub.last_error == "HTTP 503" and not dead_letters
    receiver.status = 200
    clock.advance(webhooks.BACKOFF_MAX)
    report = webhooks.deliver(AIZU, sub_id, clock=clock)
    assert report.delivered == 5 and receiver.ids == ids


def test_retry_waits_for_the_backoff(aizu, receiver):
    clock = Clock()
    sub_id, _ = _subscribe(receiver)
    _emit(1)
    receiver.status = 500
    first = webhooks.deliver(AIZU, sub_id, clock=clock)
    assert first.retry_at == clock.now + timedelta(seconds=5)
    receiver.status = 200
    clock.advance(4)
    assert webhooks.deliver(AIZU, sub_id, clock=clock).delivered == 0  # not due yet
    clock.advance(1)
    assert webhooks.deliver(AIZU, sub_id, clock=clock).delivered == 1


def test_past_the_maximum_age_events_go_to_the_dead_letter_list_and_can_be_redelivered(aizu, receiver):
    clock = Clock()
    sub_id, _ = _subscribe(receiver, max_age=600)
    ids = _emit(3)
    receiver.status = 502
    for _ in range(40):  # 20 simulated minutes
        webhooks.deliver(AIZU, sub_id, clock=clock)
        clock.advance(30)
    with tenant_context(AIZU):
        dead = list(DeadLetter.objects.order_by("id").values_list("event__event_id", flat=True))
        assert [str(d) for d in dead] == ids
        assert Subscription.objects.get(id=sub_id).attempts == 0  # the queue moved on
    ids_after = _emit(1)
    receiver.status = 200
    webhooks.deliver(AIZU, sub_id, clock=clock)
    assert receiver.ids == ids_after
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert webhooks.redeliver(subscription_id=sub_id) == 3
        assert not DeadLetter.objects.filter(redelivered_at__isnull=True).exists()
    assert receiver.ids == ids_after + ids


def test_two_workers_never_deliver_the_same_subscription_at_once(aizu, receiver):
    sub_id, _ = _subscribe(receiver)
    _emit(3)
    with tenant_context(AIZU):
        Subscription.objects.select_for_update().get(id=sub_id)  # another worker holds it
        # From a second connection (another thread), delivery skips the locked subscription.
        import threading

        result = {}

        def other():
            result["report"] = webhooks.deliver(AIZU, sub_id)
            connections.close_all()

        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert result["report"].delivered == 0 and receiver.ids == []


def test_revoked_client_stops_its_subscriptions(aizu, receiver):
    from yakuba.platform.identity.models import ApiClient

    sub_id, _ = _subscribe(receiver)
    _emit(1)
    ApiClient.objects.update(revoked_at=timezone.now())
    webhooks.deliver(AIZU, sub_id)
    with tenant_context(AIZU):
        assert not Subscription.objects.get(id=sub_id).active
    assert receiver.ids == []


def _database_url() -> str:
    # A command migrates first, so it gets the owner's URL, as DATABASE_URL is in production.
    conf = connections["default"].settings_dict
    port = f"&port={conf['PORT']}" if conf["PORT"] else ""
    return f"postgresql://{conf['OWNER']['USER']}@/{conf['NAME']}?host={conf['HOST']}{port}"


@pytest.mark.slow
def test_worker_killed_mid_batch_loses_nothing(aizu, local_receivers, tmp_path):
    from tests.platform.test_cli import BIN

    slow = Receiver(delay=0.01)
    try:
        sub_id, _ = _subscribe(slow)
        ids = _emit(400)
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "YAKUBA_SHARDS")}
        env.update(
            DATABASE_URL=_database_url(),
            YAKUBA_VAR=str(tmp_path / "var"),
            YAKUBA_SECRET_KEY=settings.SECRET_KEY,
            YAKUBA_WEBHOOK_ALLOW_HOSTS=Receiver.HOST,
        )

        def start():
            return subprocess.Popen(
                [str(BIN), "worker", "--concurrency", "2"],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )

        worker = start()
        deadline = time.monotonic() + 60
        while len(slow.ids) < 100:
            assert time.monotonic() < deadline and worker.poll() is None, "worker made no progress"
            time.sleep(0.05)
        os.killpg(worker.pid, signal.SIGKILL)  # mid-batch: some deliveries not yet committed
        worker.wait()
        before = len(set(slow.ids))
        assert before < len(ids)
        worker = start()
        try:
            deadline = time.monotonic() + 90
            while set(slow.ids) != set(ids):
                assert time.monotonic() < deadline, f"{len(set(slow.ids))} of {len(ids)} delivered"
                time.sleep(0.1)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        # At least once, in feed order per first delivery.
        first_seen = list(dict.fromkeys(slow.ids))
        assert first_seen == ids
    finally:
        slow.close()


def test_a_commit_with_events_queues_one_dispatch_which_queues_the_delivery(aizu, receiver):
    from procrastinate.contrib.django.models import ProcrastinateJob

    from yakuba.platform.linkage.tasks import dispatch

    sub_id, _ = _subscribe(receiver)
    with tenant_context(AIZU):
        client_id = Subscription.objects.get(id=sub_id).client_id
    _emit(3)  # one transaction, three events
    _emit(2)  # another transaction while the first dispatch still waits: collapsed into it
    jobs = list(ProcrastinateJob.objects.filter(status="todo").values_list("task_name", "args"))
    assert jobs == [("yakuba.platform.linkage.tasks.dispatch", {"lg_code": AIZU})]
    dispatch(lg_code=AIZU)
    deliveries = list(
        ProcrastinateJob.objects.filter(status="todo", task_name__endswith="deliver_webhooks").values_list(
            "args", flat=True
        )
    )
    assert deliveries == [{"lg_code": AIZU, "client_id": client_id}]


def test_rolled_back_events_queue_nothing(aizu, receiver):
    from procrastinate.contrib.django.models import ProcrastinateJob

    _subscribe(receiver)
    with pytest.raises(RuntimeError):
        with bind_actor(SYSTEM), tenant_context(AIZU):
            emit(KV_TYPE, subject="1", data={})
            raise RuntimeError("rolled back")
    assert not ProcrastinateJob.objects.exists()
