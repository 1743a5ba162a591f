#!/usr/bin/env python3
"""A Yakuba linkage client, as an outside vendor would write it (Python 3.11+, stdlib + requests).

Two modes:

``follow``  — follow the pull feed ``GET /api/v1/{lg_code}/events`` with a durable cursor kept in
              a local file, so a restart resumes where it stopped. Delivery is at-least-once:
              events already handled are recognised by their ``id`` and skipped.

    python examples/linkage_client.py follow --base-url http://127.0.0.1:8000 \\
        --lg-code 072028 --token yk_… [--cursor-file state.json] [--type jp.yakuba.registry.] [--once]

``receive`` — a small webhook receiver: checks ``X-Yakuba-Signature`` (HMAC-SHA256 over
              ``"<t>." + body`` with the subscription's secret, at most 5 minutes old), answers
              204, and ignores events whose ``id`` it has already handled.

    python examples/linkage_client.py receive --secret … [--host 127.0.0.1] [--port 8088]

The token comes from ``yakuba token create LG_CODE --client NAME --scopes events:read``; the
webhook secret is printed once by ``yakuba webhook subscribe`` or ``POST …/webhooks``.
Replace ``handle`` with your own processing, and make it idempotent: after a crash the last
page (or the last webhook) may come again.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import hmac
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

SIGNATURE_HEADER = "X-Yakuba-Signature"
EVENT_ID_HEADER = "X-Yakuba-Event-Id"
TOLERANCE_SECONDS = 300
REMEMBERED_IDS = 10_000  # how many handled event ids to remember for de-duplication


class FatalError(Exception):
    """A problem retrying will not fix (bad token, wrong municipality, rejected cursor …)."""


def print_event(event: dict) -> None:
    print(f"{event['type']}\t{event.get('subject', '')}\t{event['id']}", flush=True)


# --- durable state ---------------------------------------------------------------------------


class State:
    """The cursor and the ids handled recently, saved atomically to a JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cursor = ""
        self.recent: collections.deque[str] = collections.deque(maxlen=REMEMBERED_IDS)
        if path.exists():
            saved = json.loads(path.read_text(encoding="utf-8"))
            self.cursor = saved.get("cursor", "")
            self.recent.extend(saved.get("recent_ids", []))
        self._seen = set(self.recent)

    def seen(self, event_id: str) -> bool:
        return event_id in self._seen

    def remember(self, event_id: str) -> None:
        if len(self.recent) == self.recent.maxlen:
            self._seen.discard(self.recent[0])
        self.recent.append(event_id)
        self._seen.add(event_id)

    def save(self) -> None:
        # Write a temporary file next to the real one, then rename: a crash leaves either the
        # old state or the new one, never half a file.
        payload = json.dumps({"cursor": self.cursor, "recent_ids": list(self.recent)})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


# --- pull feed -------------------------------------------------------------------------------


def describe_problem(response: requests.Response) -> str:
    """One line from an RFC 9457 problem+json answer (or whatever the server sent)."""
    try:
        problem = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: {response.text[:200]}"
    text = problem.get("detail") or problem.get("title") or ""
    fields = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in problem.get("errors") or [])
    request_id = problem.get("request_id")
    return (
        f"HTTP {response.status_code} {text}"
        + (f" ({fields})" if fields else "")
        + (f" [request_id {request_id}]" if request_id else "")
    )


def _fatal_message(response: requests.Response, lg_code: str) -> str:
    problem = describe_problem(response)
    if response.status_code == 401:
        return f"token rejected — check --token (issue one with `yakuba token create`): {problem}"
    if response.status_code == 403:
        return f"the token lacks the events:read scope: {problem}"
    if response.status_code == 404:
        return (
            f"municipality {lg_code} not found for this token (a token works only for the "
            f"municipality it was issued for): {problem}"
        )
    if response.status_code == 422:
        return f"request rejected (a damaged cursor file? delete it to start over): {problem}"
    return problem


def fetch_page(
    session: requests.Session,
    url: str,
    params: dict,
    lg_code: str,
    *,
    max_retries: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict:
    """GET one page; network errors, 429 and 5xx are retried with exponential backoff."""
    attempt = 0
    while True:
        try:
            response = session.get(url, params=params, timeout=(5, 60))
        except requests.RequestException as exc:
            problem = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code == 200:
                return response.json()
            if response.status_code != 429 and response.status_code < 500:
                raise FatalError(_fatal_message(response, lg_code))
            problem = describe_problem(response)
        attempt += 1
        if max_retries is not None and attempt > max_retries:
            raise FatalError(f"giving up after {attempt} attempts: {problem}")
        delay = min(60.0, 2.0 ** (attempt - 1)) * random.uniform(0.8, 1.2)
        print(f"retrying in {delay:.1f} s: {problem}", file=sys.stderr, flush=True)
        sleep(delay)


def follow(
    base_url: str,
    lg_code: str,
    token: str,
    cursor_file: str | Path,
    *,
    handle: Callable[[dict], None] = print_event,
    type_prefix: str = "",
    limit: int = 100,
    once: bool = False,
    poll_interval: float = 5.0,
    max_retries: int | None = None,
    session: requests.Session | None = None,
) -> int:
    """Follow the feed, calling ``handle`` once per new event; returns how many were handled.

    With ``once`` it stops when caught up; otherwise it polls every ``poll_interval`` seconds.
    The cursor is saved after every page, so a restart resumes after the last saved page.
    """
    state = State(Path(cursor_file))
    url = f"{base_url.rstrip('/')}/api/v1/{lg_code}/events"
    session = session or requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    session.headers["Accept"] = "application/json"
    handled = 0
    while True:
        params = {"after": state.cursor, "limit": limit}
        if type_prefix:
            params["type"] = type_prefix
        page = fetch_page(session, url, params, lg_code, max_retries=max_retries)
        try:
            for event in page["events"]:
                if state.seen(event["id"]):
                    continue  # at-least-once: this one was handled already
                handle(event)
                state.remember(event["id"])
                handled += 1
        except BaseException:
            state.save()  # keep the ids handled so far (the cursor stays before this page)
            raise
        if page["events"] or page["next"] != state.cursor:
            state.cursor = page["next"]
            state.save()
        if not page["events"]:  # caught up
            if once:
                return handled
            time.sleep(poll_interval)


# --- webhook receiver ------------------------------------------------------------------------


def verify_signature(
    secret: str, body: bytes, header: str, *, tolerance: int = TOLERANCE_SECONDS, now: float | None = None
) -> bool:
    """``header`` is ``t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>``."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (ValueError, KeyError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False  # too old (or from the future): a replay, or a clock problem
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)


class WebhookReceiver:
    """Checks signatures, drops duplicates, hands each new event to ``handle``; answers 204."""

    def __init__(
        self,
        secret: str,
        *,
        handle: Callable[[dict], None] = print_event,
        host: str = "127.0.0.1",
        port: int = 8088,
    ) -> None:
        self.secret = secret
        self.handle = handle
        self.recent: collections.deque[str] = collections.deque(maxlen=REMEMBERED_IDS)
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: Yakuba reuses its connection

            def do_POST(self):  # noqa: N802 - http.server naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = receiver.accept(body, self.headers.get(SIGNATURE_HEADER, ""))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}/"

    def accept(self, body: bytes, signature: str) -> int:
        """The HTTP status to answer: 401 bad signature, 400 not an event, else 204."""
        if not verify_signature(self.secret, body, signature):
            return 401
        try:
            event = json.loads(body)
            event_id = event["id"]  # from the signed body, not the unsigned header
        except (ValueError, KeyError, TypeError):
            return 400
        with self.lock:
            if event_id in self.recent:
                return 204  # a retry of something already handled: acknowledge, do nothing
            self.handle(event)  # raise to answer 500 and have Yakuba retry later
            self.recent.append(event_id)
        return 204

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def start(self) -> WebhookReceiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- command line ----------------------------------------------------------------------------


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Yakuba linkage client (pull feed / webhook receiver)")
    sub = parser.add_subparsers(dest="mode", required=True)
    f = sub.add_parser("follow", help="follow the pull feed with a durable cursor")
    f.add_argument("--base-url", required=True, help="e.g. https://yakuba.example.lg.jp")
    f.add_argument("--lg-code", required=True, help="団体コード (6 digits)")
    f.add_argument("--token", default=os.environ.get("YAKUBA_TOKEN"), help="bearer token (or $YAKUBA_TOKEN)")
    f.add_argument("--cursor-file", default="yakuba-cursor.json", help="where the cursor is kept")
    f.add_argument("--type", default="", help="event type prefix, e.g. jp.yakuba.registry.")
    f.add_argument("--limit", type=int, default=100, help="events per page (1–1000)")
    f.add_argument("--poll-interval", type=float, default=5.0, help="seconds between polls when caught up")
    f.add_argument("--once", action="store_true", help="stop when caught up")
    r = sub.add_parser("receive", help="run a webhook receiver that checks signatures")
    r.add_argument(
        "--secret", default=os.environ.get("YAKUBA_WEBHOOK_SECRET"), help="(or $YAKUBA_WEBHOOK_SECRET)"
    )
    r.add_argument("--host", default="127.0.0.1")
    r.add_argument("--port", type=int, default=8088)
    args = parser.parse_args(argv)

    try:
        if args.mode == "follow":
            if not args.token:
                raise FatalError("--token (or $YAKUBA_TOKEN) is required")
            follow(
                args.base_url,
                args.lg_code,
                args.token,
                args.cursor_file,
                type_prefix=args.type,
                limit=args.limit,
                once=args.once,
                poll_interval=args.poll_interval,
            )
        else:
            if not args.secret:
                raise FatalError("--secret (or $YAKUBA_WEBHOOK_SECRET) is required")
            receiver = WebhookReceiver(args.secret, host=args.host, port=args.port)
            print(f"listening on {receiver.url}", file=sys.stderr, flush=True)
            receiver.serve_forever()
    except FatalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
