"""``yakuba worker``: the background job runner (procrastinate on the same PostgreSQL).

On start it first catches up on anything a crash left behind — webhook subscriptions with a
backlog get a delivery job, jobs of workers that stopped sending heartbeats are retried — and
then processes jobs until stopped (SIGTERM/SIGINT finish the running jobs first).
"""

from __future__ import annotations

import asyncio
import logging

logger = logging.getLogger("yakuba.worker")

STALLED_AFTER_SECONDS = 30


async def _retry_stalled(app) -> int:
    async with app.open_async():
        stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_SECONDS)
        for job in stalled:
            await app.job_manager.retry_job(job)
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
