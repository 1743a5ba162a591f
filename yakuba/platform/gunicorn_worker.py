"""gunicorn's own error answers as problem+json, like every other error of the API.

gunicorn refuses some requests before Django sees them: a request line with raw non-ASCII
bytes (``GET /住所``) or one longer than ``limit_request_line``, malformed or oversized headers,
an unknown ``Transfer-Encoding``. For those it writes a small HTML page itself
(``gunicorn.util.write_error``, called from ``Worker.handle_error``); it has no setting to change
that page. This worker lets gunicorn decide status and logging as before and only replaces
the page it would have sent with a problem document of the same status.

Kept out of ``server.py``: that module is imported on every Django start (the demo hooks), and
gunicorn's worker modules take a tenth of a second to import.
"""

from __future__ import annotations

import re

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from yakuba.platform.api.problems import CONTENT_TYPE, problem_document

# gunicorn's maximum (its default is 4094). The request line is method, URL and HTTP version: a
# search with every criterion at its documented maximum in Japanese, percent-encoded (9 bytes a
# character), is about 4.1 KB.
REQUEST_LINE_LIMIT = 8190

DETAILS = {
    400: "HTTP リクエストの形式が正しくありません。URL やヘッダーの ASCII 以外の文字はパーセントエンコードしてください",
    414: f"リクエスト行（メソッド・URL・HTTP バージョン）が上限の {REQUEST_LINE_LIMIT} バイトを超えています",
    431: "ヘッダーの数または大きさが上限を超えています",
}


_STATUS_LINE = re.compile(rb"HTTP/1\.1 (\d{3}) ([^\r\n]*)")


class _ErrorCapture:
    """The client socket as ``handle_error`` sees it: what gunicorn writes is kept, not sent."""

    def __init__(self, sock):
        self._sock = sock
        self.written = b""

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def sendall(self, data: bytes) -> None:
        self.written += data


class ProblemJsonWorker(ThreadWorker):
    """The ``gthread`` worker whose error answers are ``application/problem+json``."""

    def handle_error(self, req, client, addr, exc):
        capture = _ErrorCapture(client)
        super().handle_error(req, capture, addr, exc)
        status_line = _STATUS_LINE.match(capture.written)
        status, reason = (
            (int(status_line[1]), status_line[2]) if status_line else (500, b"Internal Server Error")
        )
        body = problem_document(status, DETAILS.get(status)).encode()
        head = (
            f"HTTP/1.1 {status} {reason.decode('latin-1')}\r\n"
            "Connection: close\r\n"
            f"Content-Type: {CONTENT_TYPE}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "Cache-Control: no-store\r\n"
            "\r\n"
        )
        try:
            util.write_nonblock(client, head.encode("latin-1") + body)
        except OSError:
            self.log.debug("Failed to send error message.")
