"""The 附票 kept from the registry's events (issue 19): ``yakuba koseki-annex follow`` catching up
on a year of 異動, in events/s, beside a raw-SQL read of the same events — and what a day of them
costs at the feed's pace.

The town and its year are those of ``bench_insurance_events`` (``generate_population`` as of
2025-01-01, then a year of 転入, 転出 (a third abroad), 転居, 出生 and 死亡 filed through the
registry's door): the generated residents carry a 本籍 (about half in the town, the rest
elsewhere), so a 転居 writes a 附票 row here or queues a 附票記載事項通知 to another 本籍地; the
year's newcomers carry none (nothing to write). The consumer's cursor is taken at the feed's head
before the year, as after a 全件 seed (docs/linkage.md).
"""

from __future__ import annotations

import time

import psycopg

from bench.bench_insurance_events import D0, LG, _raw_rate, _year_of_moves
from bench.harness import Context, Result


def run(ctx: Context) -> list[Result]:
    from yakuba.koseki_annex import services as annex
    from yakuba.koseki_annex.models import Entry, OutgoingNotice
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry.generate import generate_population

    register_municipality(LG)
    with bind_actor(SYSTEM):
        with tenant_context(LG):
            generate_population(ctx.scale, seed=5, as_of=D0)
        annex.CONSUMER.start_at_head(LG)
        filed, refused = _year_of_moves(ctx.scale)
    with psycopg.connect(ctx.database_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")  # as autovacuum would, before the clocks start
    _raw_rate(ctx.database_url)  # warm-up (not timed)
    raw_events, raw_seconds = _raw_rate(ctx.database_url)
    raw = raw_events / raw_seconds
    with bind_actor(SYSTEM):
        start = time.perf_counter()
        followed = annex.follow(LG)
        seconds = time.perf_counter() - start
    assert followed.events == raw_events, (followed, raw_events)
    with tenant_context(LG):
        rows, notices = Entry.objects.count(), OutgoingNotice.objects.count()
    per_day = raw_events / 365
    return [
        Result(
            f"附票 follow（1年分の異動 {filed:,} 件・住民イベント {raw_events:,} 件、{ctx.scale:,} 人の町）",
            "events/s",
            followed.events / seconds,
            "生SQL（同じイベントの SELECT）",
            raw,
            extra={
                "events": raw_events,
                "moves_filed": filed,
                "moves_refused": refused,
                "seconds": round(seconds, 2),
                "annex_rows": rows,
                "outgoing_notices": notices,
                "events_per_day": round(per_day, 1),
                "seconds_per_day_of_events": round(seconds / 365, 3),
            },
        )
    ]
