"""The 附票 kept from the registry's events (issue 19): ``yakuba koseki-annex follow`` reading a
year of 異動 **at the feed's pace** — one page per day's worth of events, as a consumer that keeps
up sees them arrive (each page its own transaction, cursor and audit row) — in events/s beside a
raw-SQL read of the same events, and the wall time of one day of them against the day's 24 h.

The town and its year are those of ``bench_insurance_events`` (``generate_population`` as of
2025-01-01, then a year of 転入, 転出 (a third abroad), 転居, 出生 and 死亡 filed through the
registry's door): the generated residents carry a 本籍 (about half in the town, the rest
elsewhere), so a 転居 writes a 附票 row here or queues a 附票記載事項通知 to another 本籍地; the
year's newcomers carry none (nothing to write). The consumer's cursor is taken at the feed's head
before the year, as after a 全件 seed (docs/linkage.md).
"""

from __future__ import annotations

import math
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
    per_day = raw_events / 365
    day_page = math.ceil(per_day)  # a day's events, one page: the pace of the feed
    with bind_actor(SYSTEM):
        start = time.perf_counter()
        followed = annex.follow(LG, limit=day_page)
        seconds = time.perf_counter() - start
    assert followed.events == raw_events, (followed, raw_events)
    with tenant_context(LG):
        rows, notices = Entry.objects.count(), OutgoingNotice.objects.count()
    day_seconds = seconds * per_day / raw_events
    return [
        Result(
            f"附票 follow、1日分ずつ（1年分の異動 {filed:,} 件・住民イベント {raw_events:,} 件、"
            f"1ページ {day_page:,} 件、{ctx.scale:,} 人の町）",
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
                "page_size": day_page,
            },
        ),
        Result(
            f"附票 follow: 1日分の住民イベント（約 {per_day:,.1f} 件）にかかる時間",
            "s/日",
            day_seconds,
            "1日（24時間）",
            24 * 3600.0,
            higher_is_better=False,
            target="1日の異動を1日よりはるかに短い時間で反映（フィードに遅れない）",
            extra={"day_seconds": round(day_seconds, 4), "share_of_day": day_seconds / (24 * 3600)},
        ),
    ]
