"""Registry search latency (p50/p95) on a generated town of BENCH_SCALE residents, beside the
same index lookups as raw SQL. Aim: p95 < 30 ms at 1,000,000 residents."""

from __future__ import annotations

import random
import statistics
import time

import psycopg
from tqdm import tqdm

from bench.harness import Context, Result

LG = "131016"  # 千代田区: a second municipality, so the bench shares the database with others
QUERIES = 300


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(ctx: Context) -> list[Result]:
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry.generate import generate_population
    from yakuba.registry.models import Resident
    from yakuba.registry.services import SearchQuery, search

    register_municipality(LG)
    with bind_actor(SYSTEM), tenant_context(LG):
        generate_population(ctx.scale, seed=11, progress=True)
        sample = list(
            Resident.objects.order_by("?").values_list("kana_key", "birth_sort_date", "town_area")[:QUERIES]
        )
    with psycopg.connect(ctx.database_url, autocommit=True) as conn:
        conn.execute("ANALYZE registry_resident")  # as autovacuum would soon after a bulk load
    rng = random.Random(5)
    cases = []
    for kana, birth, town in sample:
        kind = rng.choice(["kana", "birth", "address", "kana+birth"])
        cases.append((kind, kana[: rng.randint(2, 4)], birth, town))

    def query_for(kind, kana, birth, town) -> SearchQuery:
        return {
            "kana": SearchQuery(name_kana=kana),
            "birth": SearchQuery(birth_date=birth.isoformat()),
            "address": SearchQuery(address=town),
            "kana+birth": SearchQuery(name_kana=kana, birth_date=birth.isoformat()),
        }[kind]

    ours = []
    with bind_actor(SYSTEM):
        for case in tqdm(cases, desc="search", leave=False):
            start = time.perf_counter()
            with tenant_context(LG):
                search(query_for(*case))
            ours.append((time.perf_counter() - start) * 1000)

    raw_sql = {
        "kana": "kana_key LIKE %(kana)s",
        "birth": "birth_sort_date = %(birth)s",
        "address": "(address LIKE %(town)s OR town_area LIKE %(town)s)",
        "kana+birth": "kana_key LIKE %(kana)s AND birth_sort_date = %(birth)s",
    }
    raw = []
    with psycopg.connect(ctx.database_url, autocommit=True) as conn:
        for kind, kana, birth, town in cases:
            start = time.perf_counter()
            conn.execute(
                f"SELECT * FROM registry_resident WHERE lg_code = %(lg)s AND {raw_sql[kind]}"
                " ORDER BY kana_key, birth_sort_date, atena_no LIMIT 50",
                {"lg": LG, "kana": kana + "%", "birth": birth, "town": town + "%"},
            ).fetchall()
            raw.append((time.perf_counter() - start) * 1000)
    target = "p95 < 30 ms at 1M"
    return [
        Result(
            f"search p50 ({ctx.scale:,} residents; tenant_context + RLS + 支援措置 filter)",
            "ms",
            statistics.median(ours),
            "raw SELECT on the same indexes p50",
            statistics.median(raw),
            higher_is_better=False,
        ),
        Result(
            f"search p95 ({ctx.scale:,} residents)",
            "ms",
            _percentile(ours, 95),
            "raw SELECT p95",
            _percentile(raw, 95),
            higher_is_better=False,
            target=target,
        ),
    ]
