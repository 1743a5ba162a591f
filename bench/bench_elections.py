"""選挙人名簿: the 定時登録 of a generated town of BENCH_SCALE residents, beside a raw-SQL baseline of
the same selection measured in the same run. Aim (issue 18): 1,000,000 residents < 30 s.

- Ours: ``services.register("teiji", 2025-12-01)`` on an empty roll, with a 投票区 plan loaded
  (every 町字 of the town, each 丁目 split at 番 15: the placing of each address is measured) —
  the registry's events caught up, everyone registered at the end of the 基準日 streamed through
  the registry's door, each voter placed in a 投票区, the entries written by COPY with one
  history line each, audit rows. Its REGISTERED events (``services.announce``: pages of 20,000,
  one INSERT … SELECT into the outbox each) are timed apart, as ``registered_events_seconds``.
- Baseline: one ``CREATE TEMPORARY TABLE … AS SELECT`` over the registry's history — each
  person's row of the 基準日, present, 住民種別 1, 18 by the 年齢期限日, three months from the
  届出年月日 (or the 住民となった年月日) — no 投票区, no history lines, no events, no audit.
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


CHOME = "一二三四五"


def plan_csv(lg_code: str) -> bytes:
    """A 投票区 plan over every 町字 of the town: a 丁目 of a 住居表示 町 split at 番 15 into two
    投票区, any other 町字 whole — forty 投票区 in turn."""
    from yakuba.address import services as address

    lines, n = ["町字,番地から,番地まで,投票区コード,投票区名"], 0
    for town in address.postal_town_areas(lg_code):
        ranges = (
            [(f"{town.name}{c}丁目", lo, hi) for c in CHOME for lo, hi in ((1, 15), (16, ""))]
            if town.addressing == address.Addressing.RESIDENCE
            else [(town.name, "", "")]
        )
        for name, lo, hi in ranges:
            code = n % 40 + 1
            lines.append(f"{name},{lo},{hi},{code:02d},第{code}投票区")
            n += 1
    return ("\r\n".join(lines) + "\r\n").encode()


def run(ctx: Context) -> list[Result]:
    from django.db import connections

    from yakuba.elections import services
    from yakuba.elections.rules.dates import teiji_run
    from yakuba.elections.services import precincts
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context

    generated_town(ctx, LG, KIJUN)
    with bind_actor(SYSTEM), tenant_context(LG):
        precincts.load(plan_csv(LG), date(2020, 4, 1), "ベンチマーク")
    made = {}

    def ours():
        with bind_actor(SYSTEM), tenant_context(LG):
            made["run"] = services.register("teiji", KIJUN, announce_events=False)

    def announce():
        with bind_actor(SYSTEM), tenant_context(LG):
            made["events"] = services.announce()

    def baseline():
        with bind_actor(SYSTEM), tenant_context(LG), connections["default"].cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_voters")
            cursor.execute(BASELINE_SQL, {"day": KIJUN, "deadline": teiji_run(KIJUN).age_deadline})
            made["rows"] = cursor.rowcount

    baseline()  # warm-up: the registry's rows into the cache for both (not timed)
    seconds = timed(ours)
    announce_seconds = timed(announce)
    baseline_seconds = min(timed(baseline) for _ in range(3))
    added = made["run"].added
    assert added == made["rows"] == made["events"], (added, made["rows"], made["events"])
    with bind_actor(SYSTEM), tenant_context(LG):
        unplaced = len(precincts.unplaced())
    return [
        Result(
            f"定時登録（{ctx.scale:,} 人の町、登録 {added:,} 人）",
            "人/s",
            ctx.scale / seconds,
            "生SQL（同じ選挙人を CREATE TEMPORARY TABLE AS SELECT する1文）",
            ctx.scale / baseline_seconds,
            target="100万人 < 30秒",
            extra={
                "seconds": round(seconds, 3),
                "baseline_seconds": round(baseline_seconds, 3),
                "unplaced": unplaced,
                "registered_events_seconds": round(announce_seconds, 3),
            },
        )
    ]
