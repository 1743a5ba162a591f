"""Synthetic population generation (``yakuba generate``): rows/s and peak memory.

Ours: ``generate_population(BENCH_SCALE)`` into a fresh municipality (福島市 072010), end to end —
building persons and households, 個人番号 encryption, search keys, COPY into temp tables and the
RLS-checked ``INSERT … SELECT`` into the indexed registry tables, history, 異動 and 世帯 included.

Baseline, measured in the same run on the same server: the same number of ``registry_resident``
rows, already built (exported from what we just generated), COPYed with raw psycopg into a plain
copy of the table (``CREATE TEMP TABLE x (LIKE registry_resident)``: no indexes, no RLS). The
ratio says what the realism, the history rows and the indexes cost over a bare bulk load.
"""

from __future__ import annotations

import resource
import tempfile
import time
from datetime import date

import psycopg

from bench.harness import Context, Result

LG = "072010"  # 福島市 (bench_audit uses 072028)
AS_OF = date(2026, 1, 1)


def _peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def run(ctx: Context) -> list[Result]:
    from django.db import connections

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry.generate import generate_population

    register_municipality(LG)
    n = ctx.scale
    with bind_actor(SYSTEM), tenant_context(LG):
        summary = generate_population(n, seed=1, as_of=AS_OF, progress=True)
    own_mb, worker_mb = _peak_rss_mb()
    resident_rows = summary.residents + summary.removed
    all_rows = resident_rows + summary.history_rows + summary.moves + summary.households + summary.protections

    with tempfile.TemporaryFile() as dump:
        with tenant_context(LG) as tenant:
            raw = connections[tenant.alias].connection
            with (
                raw.cursor() as cursor,
                cursor.copy("COPY (SELECT * FROM registry_resident) TO STDOUT") as copy,
            ):
                for block in copy:
                    dump.write(block)
        size = dump.tell()
        with psycopg.connect(ctx.database_url, autocommit=True) as conn:
            conn.execute("CREATE TEMP TABLE raw_resident (LIKE registry_resident)")
            dump.seek(0)
            start = time.perf_counter()
            with conn.cursor() as cursor, cursor.copy("COPY raw_resident FROM STDIN") as copy:
                while block := dump.read(1 << 20):
                    copy.write(block)
            raw_seconds = time.perf_counter() - start
            copied = conn.execute("SELECT count(*) FROM raw_resident").fetchone()[0]
    assert copied == resident_rows

    extra = {
        "residents": summary.residents,
        "removed": summary.removed,
        "history_rows": summary.history_rows,
        "moves": summary.moves,
        "households": summary.households,
        "all_rows": all_rows,
        "all_rows_per_second": round(all_rows / summary.seconds),
        "seconds": round(summary.seconds, 1),
        "peak_rss_mb": round(own_mb, 1),
        "peak_rss_worker_mb": round(worker_mb, 1),
        "copy_bytes": size,
    }
    return [
        Result(
            f"generate {n:,} residents (registry_resident rows/s, end to end)",
            "rows/s",
            resident_rows / summary.seconds,
            "raw COPY of the same rows into a plain copy of the table",
            resident_rows / raw_seconds,
            target="1,000,000 residents < 5 min on 2 cores, RSS < 500 MB",
            extra=extra,
        ),
    ]
