"""``yakuba worker``: the background job runner (procrastinate on the same PostgreSQL).

On start it first catches up on anything a crash left behind — every client with webhook
events due gets a delivery job, jobs of workers that stopped sending heartbeats are retried — and
then processes jobs until stopped (SIGTERM/SIGINT finish the running jobs first).
"""

from __future__ import annotations

import asyncio
import logging

from procrastinate import exceptions
from procrastinate.jobs import Status

logger = logging.getLogger("yakuba.worker")

STALLED_AFTER_SECONDS = 30


async def _retry_stalled(app) -> int:
    """Put the jobs of workers that stopped sending heartbeats back in the queue.

    A job whose queueing lock already has a waiting job (a client's webhook delivery, which
    ``run`` has just queued again) is marked failed instead: the waiting job does the same work,
    and a second one would break procrastinate's one-waiting-job-per-lock index — the worker
    used to die on start with UniqueViolation.
    """
    async with app.open_async():
        stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_SECONDS)
        for job in stalled:
            try:
                await app.job_manager.retry_job(job)
            except exceptions.UniqueViolation:
                await app.job_manager.finish_job(job, Status.FAILED, delete_job=False)
    return len(stalled)


def run(*, concurrency: int = 4, wait: bool = True) -> None:
    from procrastinate.contrib.django import app

    from yakuba.platform.linkage.tasks import queue_all_backlogs

    queued = queue_all_backlogs()
    with app.replace_connector(app.connector.get_worker_connector()):
        retried = asyncio.run(_retry_stalled(app))
        print(
            f"ワーカーを起動します（配信待ち {queued} 件を登録、停止ジョブ {retried} 件を再実行）", flush=True
        )
        app.run_worker(
            concurrency=concurrency, wait=wait, delete_jobs="successful", install_signal_handlers=True
        )
