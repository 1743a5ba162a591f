"""Background jobs of the linkage (procrastinate, on the same PostgreSQL).

- ``dispatch(lg_code)`` — after a commit that emitted events: queue a delivery per client with
  a subscription that has events due.
- ``deliver_webhooks(lg_code, client_id)`` — one delivery run over the client's subscriptions
  (``webhooks.deliver_client``); re-queues itself while events remain, or at the earliest retry
  time after failures.
- ``sweep`` (every minute) — catches up whatever a crash between commit and dispatch left, so
  nothing waits for the next event to be noticed.

Per-client fairness (issue 10, finding 10; before, seven hanging receivers of one client held
all four worker slots and another client's event waited 16–18 s): each client has one delivery
*lane*. Its name is the queueing lock of the client's job (at most one waiting) and, as a
PostgreSQL advisory lock held by the running job's session, lets at most one run deliver for
the client: a job that finds the lane taken ends at once, and the run holding it looks for new
work after letting go. So however many of a client's receivers hang, they hold one worker slot;
a run also yields its slot after ``webhooks.RUN_SECONDS`` and queues behind the other clients'
jobs. An advisory lock rather than procrastinate's job ``lock``: a killed worker's session ends
and frees the lane at once, where a job left ``doing`` would block the client until recovered.
The row lock in ``webhooks.deliver`` still keeps a subscription from being delivered twice at once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

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


def lane(lg_code: str, client_id: int) -> str:
    return f"webhook-client:{lg_code}:{client_id}"


@contextlib.contextmanager
def _hold_lane(name: str) -> Iterator[bool]:
    """True if this session now holds the lane (until the block ends), False if another does."""
    connection = connections[procrastinate_settings.DATABASE_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", [name])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [name])


# The client's waiting job, if it waits for a later time than now needs (a retry, while new
# events arrived for another of its subscriptions), is brought forward.
BRING_FORWARD_SQL = """
UPDATE procrastinate_jobs SET scheduled_at = %(at)s
 WHERE queueing_lock = %(lane)s AND status = 'todo' AND scheduled_at > coalesce(%(at)s, now())
"""


def _defer_delivery(lg_code: str, client_id: int, *, schedule_at=None) -> None:
    name = lane(lg_code, client_id)
    try:
        deliver_webhooks.configure(queueing_lock=name, schedule_at=schedule_at).defer(
            lg_code=lg_code, client_id=client_id
        )
    except AlreadyEnqueued:
        with connections[procrastinate_settings.DATABASE_ALIAS].cursor() as cursor:
            cursor.execute(BRING_FORWARD_SQL, {"at": schedule_at, "lane": name})


# Subscriptions waiting for a retry are left to the job scheduled for it.
BACKLOG_SQL = """
SELECT DISTINCT s.client_id FROM linkage_subscription s
 WHERE s.active AND (%(client)s::bigint IS NULL OR s.client_id = %(client)s)
   AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= now())
   AND EXISTS (
   SELECT 1 FROM linkage_commit c JOIN linkage_event e ON e.lg_code = c.lg_code AND e.txid = c.txid
    WHERE c.lg_code = s.lg_code AND c.position >= s.cursor_position
      AND (c.position, e.seq) > (s.cursor_position, s.cursor_seq))
 ORDER BY s.client_id
"""


def clients_with_backlog(lg_code: str, client_id: int | None = None) -> list[int]:
    """Clients of ``lg_code`` (or just ``client_id``) with an active subscription that has events
    due: its cursor is behind the feed and it is not waiting for a retry."""
    with tenant_context(lg_code) as tenant, connections[tenant.alias].cursor() as cursor:
        cursor.execute(BACKLOG_SQL, {"client": client_id})
        return [row[0] for row in cursor.fetchall()]


@app.task(queue=QUEUE, retry=RetryStrategy(max_attempts=3, wait=5))
def dispatch(lg_code: str) -> None:
    close_old_connections()
    for client_id in clients_with_backlog(lg_code):
        _defer_delivery(lg_code, client_id)


@app.task(queue=QUEUE)
def deliver_webhooks(lg_code: str, client_id: int) -> None:
    close_old_connections()
    with _hold_lane(lane(lg_code, client_id)) as ours:
        if not ours:
            return  # the client's run in progress looks for new work when it ends
        report = webhooks.deliver_client(lg_code, client_id)
    if report.more or clients_with_backlog(lg_code, client_id):
        _defer_delivery(lg_code, client_id)
    elif report.retry_at is not None:
        _defer_delivery(lg_code, client_id, schedule_at=report.retry_at)


def queue_all_backlogs() -> int:
    """Queue a delivery for every client, of every municipality, with events due."""
    queued = 0
    for lg_code in Municipality.objects.using("default").values_list("lg_code", flat=True):
        for client_id in clients_with_backlog(lg_code):
            _defer_delivery(lg_code, client_id)
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
