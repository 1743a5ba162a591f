"""pytest plugin: real PostgreSQL for the test suite, started before Django is configured.

Without ``DATABASE_URL`` two embedded servers are started under ``var/``: the directory
server and a second one exposed as shard ``shard2``, so routing across servers is tested
for real. With ``DATABASE_URL`` (a CI PostgreSQL), set ``YAKUBA_SHARDS`` yourself to test
sharding; the two-server test is skipped otherwise.

Every process of a test run logs in as the runtime role with one password: the role belongs
to the whole server, and commands run as subprocesses with a secret key of their own would
otherwise set a password the test process no longer knows (docs/operations.md "Database roles").
"""

from __future__ import annotations

import os

from yakuba.platform.database import APP_PASSWORD_ENV, start_embedded, var_dir


def _bootstrap() -> None:
    if os.environ.get("YAKUBA_TEST_BOOTSTRAPPED"):
        return
    os.environ["YAKUBA_TEST_BOOTSTRAPPED"] = "1"
    os.environ.setdefault("YAKUBA_TEST_DB_SUFFIX", f"_{os.getpid()}")
    os.environ.setdefault(APP_PASSWORD_ENV, "yakuba-test-runtime-role")
    if not os.environ.get("DATABASE_URL"):
        base = var_dir()
        os.environ["DATABASE_URL"] = start_embedded(base / "test-pgdata")
        os.environ.setdefault("YAKUBA_SHARDS", "shard2=" + start_embedded(base / "test-pgdata-shard2"))


_bootstrap()
