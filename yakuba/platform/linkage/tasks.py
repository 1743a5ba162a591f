"""Background jobs of the linkage (procrastinate, on the same PostgreSQL).

- ``dispatch(lg_code)`` — after a commit that emitted events: queue a delivery per subscription
  with a backlog.
- ``deliver_webhooks(lg_code, subscription_id)`` — one delivery run; re-queues itself while
  events remain, or at the retry time after a failure.
- ``sweep`` (every minute) — catches up whatever a crash between commit and dispatch left, so
  nothing waits for the next event to be noticed.

Queueing locks keep at most one waiting job per subscription; the row lock in ``deliver``
keeps at most one running.
"""

from __future__ import annotations

import logging

from django.db import close_old_connections, connections
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.contrib.django.settings import settings as procrastinate_settings
from procrastinate.exceptions import AlreadyEnqueued

from yakuba.platform.linkage import webhooks
from yakuba.platform.prepared import prepared_cursor
from yakuba.platform.tenancy.context import tenant_context
from yakuba.platform.tenancy.models import Municipality

logger = logging.getLogger("yakuba.linkage")
QUEUE = "linkage"


def _defer_delivery(lg_code: str, subscription_id: int, *, schedule_at=None) -> None:
    options = {"queueing_lock": f"webhook:{lg_code}:{subscription_id}"}
    if schedule_at is not None:
        options["schedule_at"] = schedule_at
    try:
        deliver_webhooks.configure(**options).defer(lg_code=lg_code, subscription_id=subscription_id)
    except AlreadyEnqueued:
        pass  # one waiting job per subscription is enough


BACKLOG_SQL = """
SELECT s.id FROM linkage_subscription s
 WHERE s.active AND EXISTS (
   SELECT 1 FROM linkage_commit c JOIN linkage_event e ON e.lg_code = c.lg_code AND e.txid = c.txid
    WHERE c.lg_code = s.lg_code AND c.position >= s.cursor_position
      AND (c.position, e.seq) > (s.cursor_position, s.cursor_seq))
 ORDER BY s.id
"""


def subscriptions_with_backlog(lg_code: str) -> list[int]:
    """Active subscriptions of ``lg_code`` whose cursor is behind the feed."""
    with tenant_context(lg_code) as tenant, connections[tenant.alias].cursor() as cursor:
        cursor.execute(BACKLOG_SQL)
        return [row[0] for row in cursor.fetchall()]


@app.task(queue=QUEUE, retry=RetryStrategy(max_attempts=3, wait=5))
def dispatch(lg_code: str) -> None:
    close_old_connections()
    for subscription_id in subscriptions_with_backlog(lg_code):
        _defer_delivery(lg_code, subscription_id)


@app.task(queue=QUEUE)
def deliver_webhooks(lg_code: str, subscription_id: int) -> None:
    close_old_connections()
    report = webhooks.deliver(lg_code, subscription_id)
    if report.more:
        _defer_delivery(lg_code, subscription_id)
    elif report.failed and report.retry_at is not None:
        _defer_delivery(lg_code, subscription_id, schedule_at=report.retry_at)


def queue_all_backlogs() -> int:
    """Queue a delivery for every subscription, of every municipality, that is behind."""
    queued = 0
    for lg_code in Municipality.objects.using("default").values_list("lg_code", flat=True):
        for subscription_id in subscriptions_with_backlog(lg_code):
            _defer_delivery(lg_code, subscription_id)
            queued += 1
    return queued


@app.periodic(cron="* * * * *")
@app.task(queue=QUEUE, queueing_lock="sweep")
def sweep(timestamp: int) -> None:
    close_old_connections()
    queue_all_backlogs()


# A job still waiting under this queueing lock (procrastinate's own partial unique index).
WAITING_SQL = "SELECT EXISTS (SELECT FROM procrastinate_jobs WHERE queueing_lock = %s AND status = 'todo')"


def schedule_dispatch(lg_code: str) -> None:
    """Queue ``dispatch`` for ``lg_code`` (called after commit; duplicates collapse).

    A dispatch still waiting in the queue reads the feed after this commit, so it covers this
    commit's events too. Looking for one first costs one indexed read, where a second job refused
    by the queueing lock costs a failed INSERT and an exception — after nearly every commit while
    the worker is behind.
    """
    lock = f"dispatch:{lg_code}"
    with prepared_cursor(procrastinate_settings.DATABASE_ALIAS) as cursor:
        cursor.execute(WAITING_SQL, [lock])
        if cursor.fetchone()[0]:
            return
    try:
        dispatch.configure(queueing_lock=lock).defer(lg_code=lg_code)
    except AlreadyEnqueued:
        pass


@app.periodic(cron="0 1 * * *")  # every night at 01:00: the 差分 since the previous file
@app.task(queue=QUEUE, queueing_lock="linkage_files")
def nightly_files(timestamp: int) -> None:
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.linkage.files import produce, producers

    close_old_connections()
    for lg_code in Municipality.objects.using("default").values_list("lg_code", flat=True):
        for producer in producers():
            with bind_actor(SYSTEM), tenant_context(lg_code):
                produce(producer.domain, "diff")
