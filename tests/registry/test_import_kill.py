"""SIGKILL during an import of 1,000,000 rows: the database is unchanged and the re-run succeeds.

The import is one transaction, so a killed process can only leave what PostgreSQL rolls back.
The command runs as a real process against the test database; it is killed while it is
writing the registry rows (the 登録 stage, after reading and validating everything).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import pytest
from django.conf import settings

from tests.conftest import AIZU
from tests.platform.linkage.test_webhooks import _database_url
from tests.registry.import_samples import write_large
from tests.registry.test_import import _counts
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.models import NumberCounter

# Two loads of a million rows: longer than the suite's default per-test timeout on 2 busy cores.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.timeout(1800)]
ROWS = 1_000_000


def _start(tmp_path, path) -> tuple[subprocess.Popen, list[str]]:
    from tests.platform.test_cli import BIN

    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "YAKUBA_SHARDS")}
    env.update(
        DATABASE_URL=_database_url(), YAKUBA_VAR=str(tmp_path / "var"), YAKUBA_SECRET_KEY=settings.SECRET_KEY
    )
    process = subprocess.Popen(
        [str(BIN), "import", "residents", AIZU, str(path)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    seen: list[str] = []

    def follow():  # the progress bar: stages show in its description
        for chunk in iter(lambda: process.stderr.read1(4096), b""):
            seen.append(chunk.decode(errors="replace"))

    threading.Thread(target=follow, daemon=True).start()
    return process, seen


def test_sigkill_during_a_million_row_import_leaves_nothing(aizu, tmp_path):
    path = tmp_path / "million.csv"
    write_large(path, ROWS)
    before = _counts()
    with tenant_context(AIZU):
        counters = list(NumberCounter.objects.values_list("kind", "last"))

    process, seen = _start(tmp_path, path)
    deadline = time.monotonic() + 900
    while "住民記録を登録" not in "".join(seen):
        assert process.poll() is None, "".join(seen)[-2000:]
        assert time.monotonic() < deadline, "the import never reached the 登録 stage"
        time.sleep(0.2)
    time.sleep(1)  # inside the INSERTs of the registry rows
    assert process.poll() is None, "the import finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    assert _counts() == before
    with tenant_context(AIZU):
        assert list(NumberCounter.objects.values_list("kind", "last")) == counters

    again, seen = _start(tmp_path, path)
    assert again.wait(timeout=1200) == 0, "".join(seen)[-2000:]
    assert "1,000,000 人（500,000 世帯）を取り込みました" in again.stdout.read().decode()
    assert _counts()[0] == ROWS
