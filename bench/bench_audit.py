"""Audit log: appending (hash chain under a per-municipality lock) and verifying.

Baselines: the same rows INSERTed into a plain table with no trigger, one per transaction,
with raw psycopg; and a plain sequential read of the same rows.
"""

from __future__ import annotations

import time

import psycopg
from tqdm import tqdm

from bench.harness import Context, Result

LG = "072028"


def run(ctx: Context) -> list[Result]:
    from yakuba.platform.audit.log import SYSTEM, bind_actor, record, verify
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality

    register_municipality(LG)
    n = max(1000, min(ctx.scale // 10, 20000))
    # Benchmarks share one database and may run in any order: earlier ones leave their own
    # audit rows for this municipality, which verify reads too.
    before, _ = verify(LG)

    # Ours: one audited read per transaction, as an API call would do it.
    start = time.perf_counter()
    with bind_actor(SYSTEM):
        for i in tqdm(range(n), desc="audit.record", unit="tx", leave=False):
            with tenant_context(LG):
                record("read", "resident", subjects=[str(i)], purpose="bench")
    ours = n / (time.perf_counter() - start)

    with psycopg.connect(ctx.database_url, autocommit=True) as conn:
        conn.execute(
            "CREATE TEMP TABLE raw_audit (id bigserial primary key, lg_code text, actor_type text, actor text,"
            " action text, resource text, subject_ids text[], purpose text, detail jsonb, recorded_at timestamptz)"
        )
        start = time.perf_counter()
        for i in tqdm(range(n), desc="raw INSERT", unit="tx", leave=False):
            conn.execute(
                "INSERT INTO raw_audit (lg_code, actor_type, actor, action, resource, subject_ids, purpose, detail,"
                " recorded_at) VALUES (%s, 'system', 'system', 'read', 'resident', %s, 'bench', '{}', now())",
                (LG, [str(i)]),
            )
        raw = n / (time.perf_counter() - start)

        start = time.perf_counter()
        rows = len(conn.execute("SELECT * FROM audit_entry").fetchall())
        raw_read = rows / (time.perf_counter() - start)

    start = time.perf_counter()
    count, broken = verify(LG)
    verified = count / (time.perf_counter() - start)
    assert broken is None and count == before + n

    return [
        Result("audit.record (1 row per transaction, ORM + RLS + chain)", "tx/s", ours, "raw INSERT", raw),
        Result("audit verify (recompute chain)", "rows/s", verified, "raw SELECT *", raw_read),
    ]
