"""Linkage: the outbox (emit), the pull feed over HTTP, webhook delivery, commit-to-visible latency.

Baselines, measured in the same run on the same server:

- emit: the same rows (same columns and indexes as ``linkage_event``) INSERTed with raw psycopg
  into a temp table, 10 per transaction like ours;
- pull feed: a raw keyset ``SELECT … ORDER BY seq LIMIT 1000`` of the same rows with psycopg;
- webhooks: the same JSON bodies POSTed with a bare ``requests.Session`` to the same receiver,
  which isolates our overhead (feed query, signing, cursor commits, audit) from HTTP itself;
- latency: one row INSERTed into a plain table and committed on one connection, polled for with
  a raw SELECT on another.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import requests
from psycopg.types.json import Jsonb
from tqdm import tqdm

from bench.harness import Context, Result

LG = "072028"
EVENT_TYPE = "jp.yakuba.bench.kv.set.v1"
TX_SIZE = 10
PAGE = 1000
LATENCY_ITERATIONS = 300


class FastReceiver:
    """A minimal webhook receiver: HTTP/1.1 keep-alive, reads the body, answers 204."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - http.server naming
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.count += 1
                self.send_response_only(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def run(ctx: Context) -> list[Result]:
    from yakuba.platform.linkage import catalogue

    catalogue.register(
        catalogue.EventType(
            EVENT_TYPE,
            "ベンチマーク: 値の設定",
            "A key set to a value at a version (benchmark only).",
            subject="key",
            data={"key": "key", "value": "value", "version": "version"},
        )
    )
    try:
        return _run(ctx)
    finally:
        catalogue.unregister(EVENT_TYPE)


def _run(ctx: Context) -> list[Result]:
    from django.db import connections

    from yakuba.platform.identity.services import issue_token
    from yakuba.platform.tenancy.services import register_municipality

    register_municipality(LG)
    n = min(max(ctx.scale // 10, 5000), 50000)
    hook_n = min(n, 20000)
    results: list[Result] = []

    receiver = FastReceiver()
    try:
        # Subscribe first: a subscription starts at the head of the feed.
        sub_id = _subscribe(issue_token, receiver.url)
        results.append(_bench_emit(ctx, n))
        results.append(_bench_feed(ctx, n, issue_token))
        results.append(_bench_webhooks(receiver, sub_id, hook_n))
        results.extend(_bench_latency(ctx))
    finally:
        receiver.close()
        connections.close_all()
    return results


def _subscribe(issue_token, url: str) -> int:
    from django.conf import settings

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.linkage import webhooks
    from yakuba.platform.tenancy.context import tenant_context

    client, _ = issue_token(LG, "bench-webhook", ["events:read"], "lgwan")
    # The local receiver is http on loopback: allowed as an operator allows an internal receiver.
    settings.WEBHOOK_ALLOW_HOSTS = [*settings.WEBHOOK_ALLOW_HOSTS, "127.0.0.1"]
    with bind_actor(SYSTEM), tenant_context(LG):
        sub, _secret = webhooks.subscribe(client.id, url, [EVENT_TYPE], 3600)
    return sub.id


# --- a. emit ---------------------------------------------------------------------------------


def _bench_emit(ctx: Context, n: int) -> Result:
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.linkage.outbox import emit
    from yakuba.platform.tenancy.context import tenant_context

    transactions = n // TX_SIZE
    start = time.perf_counter()
    with bind_actor(SYSTEM):
        for t in tqdm(range(transactions), desc="emit", unit="tx", leave=False):
            with tenant_context(LG):
                for j in range(TX_SIZE):
                    i = t * TX_SIZE + j
                    emit(EVENT_TYPE, subject=f"{i:07d}", data={"key": f"k{i}", "value": i, "version": 1})
    ours = transactions * TX_SIZE / (time.perf_counter() - start)

    def raw(table_ddl: str, table: str) -> float:
        with psycopg.connect(ctx.database_url) as conn:
            conn.execute(table_ddl)
            conn.execute(f"CREATE INDEX ON {table} (lg_code, txid, seq)")
            conn.execute(f"CREATE UNIQUE INDEX ON {table} (lg_code, event_id)")
            conn.commit()
            sql = (
                f"INSERT INTO {table} (lg_code, event_id, type, source, subject, time, data)"
                " VALUES (%s, %s, %s, %s, %s, now(), %s)"
            )
            start = time.perf_counter()
            for t in tqdm(range(transactions), desc=f"raw INSERT {table}", unit="tx", leave=False):
                for j in range(TX_SIZE):
                    i = t * TX_SIZE + j
                    conn.execute(
                        sql,
                        (
                            LG,
                            uuid.uuid4(),
                            EVENT_TYPE,
                            f"/yakuba/{LG}/bench",
                            f"{i:07d}",
                            Jsonb({"key": f"k{i}", "value": i, "version": 1}),
                        ),
                    )
                conn.commit()
            rate = transactions * TX_SIZE / (time.perf_counter() - start)
            conn.execute(f"DROP TABLE {table}")
            conn.commit()
            return rate

    columns = (
        "(seq bigserial PRIMARY KEY, lg_code text NOT NULL, event_id uuid NOT NULL,"
        " txid xid8 NOT NULL DEFAULT pg_current_xact_id(), type varchar(120) NOT NULL,"
        " source varchar(120) NOT NULL, subject varchar(40) NOT NULL, time timestamptz NOT NULL,"
        " data jsonb NOT NULL)"
    )
    baseline = raw(f"CREATE TEMP TABLE raw_event {columns}", "raw_event")
    # A temp table is not WAL-logged, so its commits are not flushed: also report a real table.
    permanent = raw(f"CREATE TABLE bench_raw_event {columns}", "bench_raw_event")
    return Result(
        f"emit (outbox, {TX_SIZE} events per transaction, ORM + RLS + dispatch)",
        "events/s",
        ours,
        f"raw INSERT temp table, {TX_SIZE}/tx",
        baseline,
        extra={
            "events": transactions * TX_SIZE,
            "raw_insert_permanent_table_events_per_s": round(permanent, 1),
        },
    )


# --- b. pull feed over HTTP ------------------------------------------------------------------


def _bench_feed(ctx: Context, n: int, issue_token) -> Result:
    from django.test import Client

    _, token = issue_token(LG, "bench-feed", ["events:read"], "lgwan")
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/{LG}/events"

    def follow() -> tuple[int, int]:
        after, seen, pages = "", 0, 0
        with tqdm(total=n, desc="GET /events", unit="ev", leave=False) as bar:
            while True:
                response = client.get(url, {"after": after, "limit": PAGE})
                if response.status_code != 200:
                    raise RuntimeError(f"feed answered {response.status_code}: {response.content[:300]!r}")
                body = json.loads(response.content)
                pages += 1
                if not body["events"]:
                    return seen, pages
                seen += len(body["events"])
                bar.update(len(body["events"]))
                after = body["next"]

    follow()  # warm-up: imports, URL resolution, schema build (not timed)
    start = time.perf_counter()
    seen, pages = follow()
    ours = seen / (time.perf_counter() - start)
    if seen < n:
        raise RuntimeError(f"feed returned {seen} events, expected at least {n}")

    with psycopg.connect(ctx.database_url, autocommit=True) as conn:
        sql = (
            "SELECT seq, txid::text, event_id, type, source, subject, time, data FROM linkage_event"
            " WHERE lg_code = %s AND seq > %s ORDER BY seq LIMIT %s"
        )
        start = time.perf_counter()
        last, raw_seen = 0, 0
        while True:
            rows = conn.execute(sql, (LG, last, PAGE)).fetchall()
            if not rows:
                break
            raw_seen += len(rows)
            last = rows[-1][0]
        raw = raw_seen / (time.perf_counter() - start)
    return Result(
        f"pull feed GET /events (HTTP in-process, limit={PAGE}, audited)",
        "events/s",
        ours,
        f"raw SELECT ORDER BY seq, pages of {PAGE}",
        raw,
        target="≥ 2,000 events/s",
        extra={"events": seen, "pages": pages},
    )


# --- c. webhooks -----------------------------------------------------------------------------


def _bench_webhooks(receiver: FastReceiver, sub_id: int, total: int) -> Result:
    from yakuba.platform.linkage import feed, webhooks
    from yakuba.platform.tenancy.context import tenant_context

    receiver.count = 0
    delivered, calls = 0, 0
    start = time.perf_counter()
    with tqdm(total=total, desc="webhooks.deliver", unit="ev", leave=False) as bar:
        while delivered < total:
            report = webhooks.deliver(LG, sub_id, max_events=min(1000, total - delivered))
            calls += 1
            if report.failed or report.delivered == 0:
                raise RuntimeError(f"delivery stalled after {delivered}: {report}")
            delivered += report.delivered
            bar.update(report.delivered)
    ours = delivered / (time.perf_counter() - start)
    assert receiver.count == delivered, (receiver.count, delivered)

    # The same bodies, as deliver builds them, POSTed bare.
    bodies: list[bytes] = []
    after = feed.START
    with tenant_context(LG):
        while len(bodies) < total:
            page = feed.read(after, type_prefixes=[EVENT_TYPE], limit=feed.MAX_LIMIT)
            if not page.events:
                break
            bodies += [json.dumps(e, ensure_ascii=False, separators=(",", ":")).encode() for e in page.events]
            after = page.next
    bodies = bodies[:total]
    receiver.count = 0
    headers = {"Content-Type": "application/cloudevents+json; charset=utf-8"}
    with requests.Session() as session:
        start = time.perf_counter()
        for body in tqdm(bodies, desc="raw POST", unit="ev", leave=False):
            response = session.post(receiver.url, data=body, headers=headers, timeout=(3, 10))
            response.raise_for_status()
        raw = len(bodies) / (time.perf_counter() - start)
    return Result(
        "webhooks.deliver (signed POST, cursor commit every 50, audited)",
        "events/s",
        ours,
        "raw requests.Session().post",
        raw,
        target="≥ 500 events/s",
        extra={"events": delivered, "deliver_calls": calls},
    )


# --- d. commit-to-visible latency ------------------------------------------------------------


def _bench_latency(ctx: Context) -> list[Result]:
    from django.db import connections

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.linkage import feed
    from yakuba.platform.linkage.outbox import emit
    from yakuba.platform.tenancy.context import tenant_context

    def write_ours(i: int) -> float:
        with bind_actor(SYSTEM), tenant_context(LG):
            emit(EVENT_TYPE, subject=f"L{i:06d}", data={"key": f"l{i}", "value": i, "version": 1})
            t0 = time.perf_counter()  # the commit starts when the block exits
        return t0

    cursor = feed.START
    with tenant_context(LG):
        while True:  # move to the head of the feed
            page = feed.read(cursor, limit=feed.MAX_LIMIT)
            if not page.events:
                break
            cursor = page.next

    # An empty poll at the head of the feed: what every caught-up consumer pays each time.
    head_polls: list[float] = []
    for _ in range(200):
        start = time.perf_counter()
        with tenant_context(LG):
            assert not feed.read(cursor, limit=10).events
        head_polls.append((time.perf_counter() - start) * 1000)

    ours: list[float] = []
    polls = 0
    with ThreadPoolExecutor(max_workers=1) as writer:
        for i in tqdm(range(LATENCY_ITERATIONS), desc="latency (ours)", unit="ev", leave=False):
            future = writer.submit(write_ours, i)
            while True:
                with tenant_context(LG):
                    page = feed.read(cursor, type_prefixes=[EVENT_TYPE], limit=10)
                polls += 1
                if page.events:
                    seen = time.perf_counter()
                    break
            cursor = page.next
            ours.append((seen - future.result()) * 1000)
        writer.submit(connections.close_all).result()

    raw: list[float] = []
    with (
        psycopg.connect(ctx.database_url, autocommit=True) as admin,
        ThreadPoolExecutor(max_workers=1) as writer,
    ):
        admin.execute("DROP TABLE IF EXISTS bench_raw_latency")
        admin.execute(
            "CREATE TABLE bench_raw_latency (seq bigserial PRIMARY KEY, subject text, data jsonb, time timestamptz)"
        )
        write_conn = psycopg.connect(ctx.database_url)
        poll_conn = psycopg.connect(ctx.database_url, autocommit=True)

        def write_raw(i: int) -> float:
            write_conn.execute(
                "INSERT INTO bench_raw_latency (subject, data, time) VALUES (%s, %s, now())",
                (f"L{i:06d}", Jsonb({"key": f"l{i}", "value": i, "version": 1})),
            )
            t0 = time.perf_counter()
            write_conn.commit()
            return t0

        raw_head_polls: list[float] = []
        last = poll_conn.execute("SELECT coalesce(max(seq), 0) FROM bench_raw_latency").fetchone()[0]
        for _ in range(200):
            start = time.perf_counter()
            poll_conn.execute(
                "SELECT seq FROM bench_raw_latency WHERE seq > %s ORDER BY seq LIMIT 10", (last,)
            ).fetchall()
            raw_head_polls.append((time.perf_counter() - start) * 1000)

        for i in tqdm(range(LATENCY_ITERATIONS), desc="latency (raw)", unit="ev", leave=False):
            future = writer.submit(write_raw, i)
            while True:
                rows = poll_conn.execute(
                    "SELECT seq FROM bench_raw_latency WHERE seq > %s ORDER BY seq LIMIT 10", (last,)
                ).fetchall()
                if rows:
                    seen = time.perf_counter()
                    break
            last = rows[-1][0]
            raw.append((seen - future.result()) * 1000)
        write_conn.close()
        poll_conn.close()
        admin.execute("DROP TABLE bench_raw_latency")

    extra = {"iterations": LATENCY_ITERATIONS, "polls_ours": polls, "max_ms": round(max(ours), 2)}
    return [
        Result(
            "feed poll at the head, nothing new (tenant_context + feed.read) p50",
            "ms",
            statistics.median(head_polls),
            "raw SELECT seq > last p50",
            statistics.median(raw_head_polls),
            higher_is_better=False,
            extra={"polls": len(head_polls), "p99_ms": round(_percentile(head_polls, 99), 2)},
        ),
        Result(
            "commit-to-visible latency p50 (emit → feed.read)",
            "ms",
            statistics.median(ours),
            "raw INSERT → raw SELECT p50",
            statistics.median(raw),
            higher_is_better=False,
            extra=extra,
        ),
        Result(
            "commit-to-visible latency p99 (emit → feed.read)",
            "ms",
            _percentile(ours, 99),
            "raw INSERT → raw SELECT p99",
            _percentile(raw, 99),
            higher_is_better=False,
            target="p99 < 1,000 ms",
            extra=extra,
        ),
    ]
