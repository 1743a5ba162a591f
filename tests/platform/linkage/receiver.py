"""A local webhook receiver for tests and benchmarks: records what it gets, can fail on demand.

It listens on loopback over http, which webhooks may reach only where the operator allowed it:
tests that deliver to it set ``settings.WEBHOOK_ALLOW_HOSTS = [Receiver.HOST]`` (the
``local_receivers`` fixture) or ``YAKUBA_WEBHOOK_ALLOW_HOSTS`` for a worker process.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    HOST = "127.0.0.1"

    def __init__(self, *, delay: float = 0.0) -> None:
        self.events: list[dict] = []
        self.headers: list[dict] = []
        self.arrived: list[float] = []  # time.monotonic() of each accepted event
        self.in_flight = self.most_in_flight = 0  # requests being answered at once
        self.status = 200
        self.delay = delay
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - http.server naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                arrived = time.monotonic()
                with receiver.lock:
                    receiver.in_flight += 1
                    receiver.most_in_flight = max(receiver.most_in_flight, receiver.in_flight)
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.in_flight -= 1
                status = receiver.status
                if status < 300:
                    with receiver.lock:
                        receiver.events.append(json.loads(body))
                        receiver.arrived.append(arrived)
                        receiver.headers.append({**dict(self.headers), "_body": body})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((self.HOST, 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{self.HOST}:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def ids(self) -> list[str]:
        with self.lock:
            return [e["id"] for e in self.events]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
