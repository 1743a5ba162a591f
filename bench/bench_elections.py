"""選挙人名簿: the 定時登録 of a generated town of BENCH_SCALE residents, beside a raw-SQL baseline of
the same selection measured in the same run. Aim (issue 18): 1,000,000 residents < 30 s.

- Ours: ``services.register("teiji", 2025-12-01)`` on an empty roll — everyone registered at the
  end of the 基準日 streamed through the registry's door, the Japanese nationals 18 by the
  年齢期限日 read again in pages for their 届出年月日 (``residents_of``), the entries written by
  COPY with one history line each, audit rows.
- Baseline: one ``CREATE TEMPORARY TABLE … AS SELECT`` over the registry's history — each
  person's row of the 基準日, present, 住民種別 1, 18 by the 年齢期限日, three months from the
  届出年月日 (or the 住民となった年月日) — no history lines, no audit.
"""

from __future__ import annotations

from datetime import date

from bench.harness import Context, Result, generated_town, timed

LG = "072028"
KIJUN = date(2025, 12, 1)

BASELINE_SQL = """
    CREATE TEMPORARY TABLE bench_voters AS
    SELECT h.atena_no
      FROM (SELECT DISTINCT ON (atena_no) * FROM registry_resident_history
             WHERE move_date <= %(day)s ORDER BY atena_no, history_no DESC) h
     WHERE (h.status = 1 OR (h.status = 2 AND h.planned_move_out_on > %(day)s))
       AND h.resident_type = 1
       AND h.birth_date <= (%(deadline)s::date - interval '18 years')
       AND (coalesce(h.notified_on, h.became_resident_on) IS NULL
            OR (coalesce(h.notified_on, h.became_resident_on) + interval '3 months')::date <= %(day)s)
"""


def run(ctx: Context) -> list[Result]:
    from django.db import connections

    from yakuba.elections import services
    from yakuba.elections.rules.dates import teiji_run
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context

    generated_town(ctx, LG, KIJUN)
    made = {}

    def ours():
        with bind_actor(SYSTEM), tenant_context(LG):
            made["run"] = services.register("teiji", KIJUN)

    def baseline():
        with bind_actor(SYSTEM), tenant_context(LG), connections["default"].cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_voters")
            cursor.execute(BASELINE_SQL, {"day": KIJUN, "deadline": teiji_run(KIJUN).age_deadline})
            made["rows"] = cursor.rowcount

    baseline()  # warm-up: the registry's rows into the cache for both (not timed)
    seconds = timed(ours)
    baseline_seconds = min(timed(baseline) for _ in range(3))
    added = made["run"].added
    assert added == made["rows"], (added, made["rows"])
    return [
        Result(
            f"定時登録（{ctx.scale:,} 人の町、登録 {added:,} 人）",
            "人/s",
            ctx.scale / seconds,
            "生SQL（同じ選挙人を CREATE TEMPORARY TABLE AS SELECT する1文）",
            ctx.scale / baseline_seconds,
            target="100万人 < 30秒",
            extra={"seconds": round(seconds, 3), "baseline_seconds": round(baseline_seconds, 3)},
        )
    ]
