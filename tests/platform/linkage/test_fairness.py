"""Per-client fairness of webhook delivery (issue 10, finding 10): one delivery lane per client.

Before: seven subscriptions of one client to a receiver that never answers took every worker
slot for the 10 s read timeout, and another client's event waited 16–18 s.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import threading
import time

import pytest
from django.conf import settings
from django.db import connections
from procrastinate.contrib.django.models import ProcrastinateJob

from tests.conftest import AIZU
from tests.platform.linkage.conftest import KV_TYPE
from tests.platform.linkage.receiver import Receiver
from tests.platform.linkage.test_webhooks import _database_url
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.identity.services import issue_token
from yakuba.platform.linkage import safeurl, tasks, webhooks
from yakuba.platform.linkage.models import Subscription
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


def _subscribe(client_name: str, url: str, n: int) -> int:
    client, _ = issue_token(AIZU, client_name, ["events:read"], "lgwan")
    with bind_actor(SYSTEM), tenant_context(AIZU):
        for _ in range(n):
            webhooks.subscribe(client.id, url, [KV_TYPE], 3600)
    return client.id


def _emit() -> None:
    with bind_actor(SYSTEM), tenant_context(AIZU):
        emit(KV_TYPE, subject="0000001", data={})


def _in_thread(function, **kwargs) -> threading.Thread:
    def run():
        try:
            function(**kwargs)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_one_run_at_a_time_per_client_and_work_arriving_meanwhile_is_queued(aizu, local_receivers):
    """Two jobs of one client at once: one delivers, the other ends at once; an event committed
    while the first runs gets a job when it ends."""
    receiver = Receiver(delay=0.5)
    try:
        client_id = _subscribe("vendor", receiver.url, 3)
        _emit()
        ProcrastinateJob.objects.all().delete()  # the jobs are run by hand here
        first = _in_thread(tasks.deliver_webhooks, lg_code=AIZU, client_id=client_id)
        while not receiver.in_flight:
            time.sleep(0.01)
        _emit()
        started = time.monotonic()
        tasks.deliver_webhooks(lg_code=AIZU, client_id=client_id)  # the lane is taken
        assert time.monotonic() - started < 0.2
        first.join()
    finally:
        receiver.close()
    # One POST at a time; the first subscription was read before the second event came.
    assert receiver.most_in_flight == 1 and len(receiver.events) in (3, 4, 5)
    assert tasks.clients_with_backlog(AIZU, client_id) == [client_id]
    queued = ProcrastinateJob.objects.filter(status="todo", task_name=tasks.deliver_webhooks.name)
    assert list(queued.values_list("args", "queueing_lock")) == [
        ({"lg_code": AIZU, "client_id": client_id}, tasks.lane(AIZU, client_id))
    ]


def _worker(tmp_path) -> subprocess.Popen:
    """``yakuba worker`` with its default four slots, allowed to reach the loopback receivers."""
    from tests.platform.test_cli import BIN

    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "YAKUBA_SHARDS")}
    env.update(
        DATABASE_URL=_database_url(),
        YAKUBA_VAR=str(tmp_path / "var"),
        YAKUBA_SECRET_KEY=settings.SECRET_KEY,
        YAKUBA_WEBHOOK_ALLOW_HOSTS=Receiver.HOST,
    )
    worker = subprocess.Popen(
        [str(BIN), "worker"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    ready, _, _ = select.select([worker.stdout], [], [], 60)
    assert ready and "ワーカーを起動します" in worker.stdout.readline().decode(), "worker did not start"
    time.sleep(1)  # listening for new jobs
    return worker


def _delay(receiver: Receiver, n: int, timeout: float = 30) -> float:
    """Seconds from committing one event to its arrival at ``receiver`` (the n-th it gets)."""
    _emit()
    committed = time.monotonic()
    while len(receiver.arrived) < n:
        assert time.monotonic() - committed < timeout, "not delivered"
        time.sleep(0.01)
    return receiver.arrived[n - 1] - committed


@pytest.mark.slow
def test_one_clients_hanging_receivers_do_not_delay_another_client(aizu, local_receivers, tmp_path):
    hanging, quick = Receiver(delay=60), Receiver()
    worker = None
    try:
        _subscribe("slow-vendor", hanging.url, 7)  # subscribed first: their jobs come first
        _subscribe("quick-vendor", quick.url, 1)
        worker = _worker(tmp_path)
        # While the seven hang: at once, and again when their first attempts time out and retry.
        delays = [_delay(quick, 1)]
        time.sleep(safeurl.READ_TIMEOUT + 1)
        delays.append(_delay(quick, 2))
        print(f"delays of the other client's deliveries: {', '.join(f'{d:.2f} s' for d in delays)}")
        # Stuck behind a hanging receiver, a delivery would wait at least READ_TIMEOUT (10 s).
        # Below that is the worker noticing the job: at once by NOTIFY, or at its next poll
        # (5 s) when a loaded machine missed the notification (CI saw 5.03 s once).
        assert max(delays) < safeurl.READ_TIMEOUT, delays
        with tenant_context(AIZU):
            slow = Subscription.objects.exclude(url=quick.url)
            assert any(s.attempts for s in slow)  # the hanging ones were tried meanwhile
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGKILL)  # the hanging jobs need not finish
            worker.wait()
        hanging.close()
        quick.close()


def test_a_stalled_delivery_job_does_not_stop_the_next_worker_from_starting(aizu):
    """A killed worker leaves its client's job ``doing``; when the next worker starts, the
    client's delivery already waits again under the same queueing lock (``queue_all_backlogs``
    runs first), so the stalled job cannot go back to waiting beside it."""
    import asyncio

    from procrastinate.contrib.django import app

    from yakuba.platform import worker

    tasks._defer_delivery(AIZU, 1)
    with connections["default"].cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET status = 'doing'")  # its worker was killed
    tasks._defer_delivery(AIZU, 1)
    with app.replace_connector(app.connector.get_worker_connector()):
        assert asyncio.run(worker._retry_stalled(app)) == 1
    jobs = ProcrastinateJob.objects.order_by("id").values_list("status", "queueing_lock")
    assert list(jobs) == [("failed", tasks.lane(AIZU, 1)), ("todo", tasks.lane(AIZU, 1))]
