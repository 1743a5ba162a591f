"""就学: the 学齢簿 of the children entering 小学校 on 2026-04-01 (born 2019-04-02 – 2020-04-01),
registered on the 基準日, of a generated town of BENCH_SCALE residents, JSON made — beside a raw-SQL
read of the same rows measured in the same run (each candidate's row of that day from the
history by the current 生年月日, present on the day, with its 世帯主: one statement, no 支援措置,
no audit, no JSON). Aim (issue 17): 1,000,000 residents < 30 s.
"""

from __future__ import annotations

from datetime import date

from bench.harness import Context, Result, generated_town, timed

LG = "072028"
DAY = date(2025, 10, 1)  # 施行規則 第31条's 基準日 for 入学 on 2026-04-01
ENTRY_YEAR = 2026

BASELINE_SQL = """
    SELECT h.atena_no, h.name, h.birth_date, hh.head_atena_no
      FROM (SELECT DISTINCT ON (atena_no) * FROM registry_resident_history
             WHERE move_date <= %(day)s
               AND atena_no IN (SELECT atena_no FROM registry_resident
                                 WHERE birth_sort_date BETWEEN %(first)s AND %(last)s)
             ORDER BY atena_no, history_no DESC) h
      LEFT JOIN registry_household hh ON hh.setai_no = h.setai_no
     WHERE (h.status = 1 OR (h.status = 2 AND h.planned_move_out_on > %(day)s))
       AND h.birth_date BETWEEN %(first)s AND %(last)s
     ORDER BY h.atena_no
"""


def run(ctx: Context) -> list[Result]:
    from django.db import connections

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.school_enrollment.rules.cohort import cohort
    from yakuba.school_enrollment.services import roll

    generated_town(ctx, LG, DAY)
    first, last = cohort(ENTRY_YEAR)
    made = {}

    def ours():
        with bind_actor(SYSTEM), tenant_context(LG):
            made["json"] = roll.school_roll(LG, ENTRY_YEAR, as_of=DAY).json

    def baseline():
        with bind_actor(SYSTEM), tenant_context(LG), connections["default"].cursor() as cursor:
            cursor.execute(BASELINE_SQL, {"day": DAY, "first": first, "last": last})
            made["rows"] = cursor.fetchall()

    ours()  # warm-up: the rows into the cache for both readers (not timed)
    seconds = min(timed(ours) for _ in range(3))
    baseline_seconds = min(timed(baseline) for _ in range(3))
    children = len(made["json"]["children"])
    assert children == len(made["rows"]), (children, len(made["rows"]))
    return [
        Result(
            f"学齢簿（{ctx.scale:,} 人の町、就学予定者 {children:,} 人、JSON）",
            "人/s",
            ctx.scale / seconds,
            "生SQL（コホートの人のその日の行と世帯主を読む1文）",
            ctx.scale / baseline_seconds,
            target="100万人 < 30秒",
            extra={"seconds": round(seconds, 3), "baseline_seconds": round(baseline_seconds, 3)},
        )
    ]
