"""就学: the 学齢簿 of a generated town of BENCH_SCALE residents, each beside a raw-SQL baseline
measured in the same run. Aim (issue 17): 1,000,000 residents < 30 s.

- The on-demand roll of the children entering 小学校 on 2026-04-01 (born 2019-04-02 – 2020-04-01),
  registered on the 基準日, JSON made — beside a read of the same rows (each candidate's row of
  that day from the history by the current 生年月日, present on the day, with its 世帯主: one
  statement, no 支援措置, no audit, no JSON).
- The persisted 学齢簿's yearly 編製 (``services/book.generate``, with a 通学区域 of two lines per
  町字 loaded first, so every child is placed): the first one, which takes every
  child of compulsory-school age (ten cohorts, about a tenth of the town), then the next year's,
  which adds one cohort — each beside the same rows written by one ``CREATE TEMPORARY TABLE … AS SELECT``
  over the registry's tables (the children registered on the 基準日 and still today, with today's
  row and 世帯主; no 通学区域, no history lines, no audit).
"""

from __future__ import annotations

from datetime import date

from bench.harness import Context, Result, generated_town, timed

LG = "072028"
DAY = date(2025, 10, 1)  # 施行規則 第31条's 基準日 for 入学 on 2026-04-01
ENTRY_YEAR = 2026

BASELINE_SQL = """
    SELECT h.atena_no, h.setai_no, h.name, h.name_kana, h.birth_date, h.address, hh.head_atena_no
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


def _districts() -> None:
    """A 通学区域 for every 町字 of the town (two lines each: 番地 1–20 and 21–), so that the 編製
    places every child as in a real town (not timed)."""
    from django.db import connections

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.school_enrollment.services import districts

    with bind_actor(SYSTEM), tenant_context(LG):
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT town_area FROM registry_household WHERE town_area <> '' ORDER BY 1"
            )
            towns = [t for (t,) in cursor.fetchall()]
        lines = ["町字,番地から,番地まで,小学校コード,小学校名,中学校コード,中学校名"]
        for n, town in enumerate(towns):
            lines += [f"{town},0,20,E{n % 9},第{n % 9}小学校,J{n % 4},第{n % 4}中学校",
                      f"{town},21,,E{(n + 1) % 9},第{(n + 1) % 9}小学校,J{n % 4},第{n % 4}中学校"]  # fmt: skip
        districts.load("\r\n".join(lines).encode())


def _result(name: str, baseline_name: str, scale: int, seconds: float, baseline_seconds: float) -> Result:
    """Residents per second of the town, ours beside the baseline (issue 17's aim)."""
    return Result(
        name,
        "人/s",
        scale / seconds,
        baseline_name,
        scale / baseline_seconds,
        target="100万人 < 30秒",
        extra={"seconds": round(seconds, 3), "baseline_seconds": round(baseline_seconds, 3)},
    )


def run(ctx: Context) -> list[Result]:
    from django.db import connections
    from django.utils import timezone

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.school_enrollment.rules.cohort import cohort
    from yakuba.school_enrollment.services import book, roll

    generated_town(ctx, LG, DAY)
    _districts()
    today = timezone.localdate()
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
    results = [
        _result(
            f"学齢簿（{ctx.scale:,} 人の町、就学予定者 {children:,} 人、JSON）",
            "生SQL（コホートの人のその日の行と世帯主を読む1文）",
            ctx.scale,
            seconds,
            baseline_seconds,
        )
    ]
    for label, year, first_year, day in (
        ("初回（義務教育年齢の全員）", ENTRY_YEAR, ENTRY_YEAR - 9, DAY),
        ("翌年（1学年）", ENTRY_YEAR + 1, ENTRY_YEAR + 1, book.base_day(ENTRY_YEAR + 1)),
    ):

        def generation(year=year, day=day):
            with bind_actor(SYSTEM), tenant_context(LG):
                made["generation"] = book.generate(year, as_of=day)

        def generation_baseline(year=year, first_year=first_year, day=day):
            with bind_actor(SYSTEM), tenant_context(LG), connections["default"].cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS bench_school_roll")
                # as the 編製 after its 基準日: registered on the 基準日 and still today, today's row
                then_sql = BASELINE_SQL.replace("ORDER BY h.atena_no", "")
                now_sql = then_sql.replace("%(day)s", "%(today)s")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE bench_school_roll AS WITH t AS MATERIALIZED ({then_sql}),"
                    f" n AS MATERIALIZED ({now_sql}) SELECT n.* FROM n JOIN t USING (atena_no)",
                    {"day": day, "today": today, "first": cohort(first_year)[0], "last": cohort(year)[1]},
                )
                made["baseline_rows"] = cursor.rowcount

        seconds = timed(generation)
        baseline_seconds = timed(generation_baseline)
        added = made["generation"].added
        assert added == made["baseline_rows"], (added, made["baseline_rows"])
        results.append(
            _result(
                f"学齢簿の編製 {label}（{ctx.scale:,} 人の町、記載 {added:,} 人）",
                "生SQL（同じ子どもと世帯主を CREATE TEMPORARY TABLE AS SELECT する1文）",
                ctx.scale,
                seconds,
                baseline_seconds,
            )
        )
    return results
