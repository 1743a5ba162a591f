"""Shared benchmark machinery: a scratch database, timing, results files.

A benchmark module ``bench/bench_*.py`` defines ``run(ctx) -> list[Result]``. Each Result holds
our figure and a raw-PostgreSQL baseline measured in the same run on the same server, so the
ratio means something on a noisy 2-core machine; absolute numbers alone do not.
"""

from __future__ import annotations

import fcntl
import json
import os
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
BENCH_DB = "yakuba_bench"
TEMPLATE_DB = "yakuba_bench_migrated"
_admin_url = ""
_lock = None  # the open lock file, held until the process ends


@dataclass
class Result:
    name: str
    unit: str
    value: float
    baseline_name: str
    baseline_value: float
    higher_is_better: bool = True
    target: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        if not self.baseline_value:
            return 0.0
        return self.value / self.baseline_value


@dataclass
class Context:
    scale: int
    database_url: str


def generated_town(ctx: Context, lg_code: str, as_of: date) -> None:
    """A generated town of ``ctx.scale`` residents (seed 1) registered as of ``as_of``, then
    VACUUM (ANALYZE) as after a migration load, before any clock starts."""
    import psycopg

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry.generate import generate_population

    register_municipality(lg_code)
    with bind_actor(SYSTEM), tenant_context(lg_code):
        generate_population(ctx.scale, seed=1, as_of=as_of)
    with psycopg.connect(ctx.database_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def prepare_database() -> str:
    """A fresh ``yakuba_bench`` database (embedded server under var/ unless DATABASE_URL)."""
    import psycopg

    global _admin_url, _lock
    from yakuba.platform.database import start_embedded, var_dir

    # Each run drops and recreates the bench databases: a second run on the same server would
    # kill the first one's connections mid-measure. One run at a time, refused at once.
    var_dir().mkdir(parents=True, exist_ok=True)
    _lock = open(var_dir() / "bench.lock", "w")  # noqa: SIM115 (held for the whole run)
    try:
        fcntl.flock(_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise SystemExit(
            f"別のベンチマークが実行中です（{var_dir() / 'bench.lock'}）。終わってから実行してください"
        ) from None
    _admin_url = os.environ.get("DATABASE_URL") or start_embedded(
        var_dir() / "bench-pgdata", dbname="postgres"
    )
    with psycopg.connect(_admin_url, autocommit=True) as conn:
        for name in (BENCH_DB, TEMPLATE_DB):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    info = psycopg.conninfo.conninfo_to_dict(_admin_url)
    info["dbname"] = BENCH_DB
    host = info.get("host", "")
    port = info.get("port", "")
    auth = info.get("user", "postgres") + (f":{info['password']}" if info.get("password") else "")
    return f"postgresql://{auth}@/{BENCH_DB}?host={host}" + (f"&port={port}" if port else "")


def keep_migrated() -> None:
    """Keep the migrated, still empty ``yakuba_bench`` as the template of every benchmark's
    database (``fresh_database``)."""
    _recreate(TEMPLATE_DB, BENCH_DB)


def fresh_database() -> None:
    """Give the next benchmark a database of its own, copied from the migrated template.

    Benchmarks generate towns under fixed 団体コード and leave their rows behind; sharing one
    database, a later one found residents already there (``generate_population`` refuses a
    populated town) or measured on someone else's leftovers. A template copy takes a second.
    """
    _recreate(BENCH_DB, TEMPLATE_DB)


def _recreate(name: str, template: str) -> None:
    import psycopg
    from django.db import connections

    from yakuba.platform.tenancy.context import forget_alias

    connections.close_all()
    forget_alias()
    with psycopg.connect(_admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def write_results(results: list[Result], module: str, scale: int) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{module}.json"
    payload = {
        "module": module,
        "scale": scale,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "results": [asdict(r) | {"ratio": round(r.ratio, 3)} for r in results],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def summary_markdown(results_dir: Path = RESULTS_DIR) -> str:
    """The summary of every results file present, not only of the benchmarks just run: a run of
    one benchmark replaces its own file and leaves the others' figures in the summary. Each file
    keeps the scale it was measured at, so the scale is a column."""
    lines = [
        "# Benchmark summary",
        "",
        "The latest run of each benchmark (bench/results/*.json), each at its own BENCH_SCALE.",
        "",
        "| benchmark | scale | ours | baseline (raw PostgreSQL, same run) | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for path in sorted(results_dir.glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        for r in payload["results"]:
            lines.append(
                f"| {payload['module']}: {r['name']} | {payload['scale']:,} | {r['value']:,.1f} {r['unit']} "
                f"| {r['baseline_name']}: {r['baseline_value']:,.1f} {r['unit']} | {r['ratio']:.2f} | {r['target']} |"
            )
    return "\n".join(lines) + "\n"


def rss_mb() -> float:
    """This process's peak resident memory in MB (Linux reports ru_maxrss in KB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
