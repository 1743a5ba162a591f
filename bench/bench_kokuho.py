"""国民健康保険: the 本算定 of a generated town (BENCH_SCALE residents; everyone under 75 enrolled on
3月1日 by ``seed_insured``, the tax app's 当初課税 run first) — every 国保世帯 walked in keyset
pages, each member's 資格 history for the 月割, the 所得 through the tax app's door and the 生年月日
through the registry's, the engine per 世帯 on two forked workers, written with its 納期, its
event and an audit row, one transaction per page — beside a raw-SQL baseline over the same rows
(one statement: each insured person with a month to charge and their latest assessment, a flat 10 % of the 所得 above 43万円
summed per 世帯 and written to a table).
"""

from __future__ import annotations

import time
from datetime import date

import psycopg
from tqdm import tqdm

from bench.harness import Context, Result, rss_mb
from yakuba.health_insurance.demo import RATES  # the demo's sample rates: plausible, with R8's parts

LG = "072028"
YEAR = 2026

BASELINE_SQL = """
CREATE TEMPORARY TABLE bench_kokuho_baseline ON COMMIT DROP AS
SELECT m.setai_no, sum(greatest(coalesce(a.total_income, 0) - 430000, 0)) / 10 AS total
  FROM health_insurance_member m
  LEFT JOIN (SELECT DISTINCT ON (atena_no) atena_no, total_income FROM tax_assessment
              WHERE fiscal_year = %s ORDER BY atena_no, version DESC) a ON a.atena_no = m.atena_no
 JOIN registry_resident r ON r.atena_no = m.atena_no
 WHERE m.insured AND r.birth_date >= %s  -- 75 after April: a month to charge (seeded: no 喪失 yet)
 GROUP BY m.setai_no
"""


def run(ctx: Context) -> list[Result]:
    from django.db import connections

    from yakuba.health_insurance.services import annual, seed_insured
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry.generate import generate_population
    from yakuba.tax.services import assessment, income_generate

    register_municipality(LG)
    with bind_actor(SYSTEM), tenant_context(LG):
        generate_population(ctx.scale, seed=1, as_of=date(YEAR - 1, 12, 1))
        income_generate.generate(YEAR)
    with bind_actor(SYSTEM):
        assessment.run_initial(LG, YEAR, workers=2)
        seed_insured(LG, date(YEAR, 3, 1))
    with psycopg.connect(ctx.database_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")  # as autovacuum would, before the clock starts
    with bind_actor(SYSTEM), tenant_context(LG):
        total, _walked = annual.households_total(YEAR)

    before = rss_mb()
    start = time.perf_counter()
    with bind_actor(SYSTEM), tqdm(total=total, desc="本算定", unit="世帯", leave=False) as bar:
        status = annual.run_annual(LG, YEAR, rates=RATES, progress=bar.update, workers=2)
    ours = time.perf_counter() - start
    growth = rss_mb() - before

    with bind_actor(SYSTEM), tenant_context(LG), connections["default"].cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(BASELINE_SQL, [YEAR, date(YEAR - 75, 5, 1)])
        cursor.execute("SELECT count(*) FROM bench_kokuho_baseline")
        (baseline_rows,) = cursor.fetchone()
        raw = time.perf_counter() - start
    assert baseline_rows == status.done and status.rejected == 0, (baseline_rows, status)

    return [
        Result(
            f"国保 本算定 {status.done:,} 世帯（{ctx.scale:,} 人の町）",
            "世帯/s",
            status.done / ours,
            "生SQL（同じ行の集計と書き込み1文）",
            baseline_rows / raw,
            target="100万人の町 < 2分（2コア）",
            extra={
                "seconds": round(ours, 1),
                "baseline_seconds": round(raw, 2),
                "memory_growth_mb": round(growth, 1),
            },
        )
    ]
