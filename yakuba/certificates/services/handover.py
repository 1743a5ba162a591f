"""The signed PDF of a certificate just issued, handed to the clerk's printer once.

The signed PDF is not stored — the 交付履歴 keeps its digest — so the bytes wait in the clerk's
session, once, for ten minutes (rendering them again would give other bytes than those the
ledger's digest names). Every app that issues through this machinery hands over the same way.
"""

from __future__ import annotations

import base64
import time

SESSION_KEY = "certificates_pdf"
TTL = 10 * 60  # seconds a signed PDF waits in the session for the printer


def keep(session, number: str, pdf: bytes) -> None:
    """Keep the signed bytes for ``take`` (other waiting PDFs past their time are dropped)."""
    now = time.time()
    waiting = {n: v for n, v in session.get(SESSION_KEY, {}).items() if now - v["at"] < TTL}
    waiting[number] = {"pdf": base64.b64encode(pdf).decode(), "at": now}
    session[SESSION_KEY] = waiting


def waiting(session, number: str) -> bool:
    return number in session.get(SESSION_KEY, {})


def take(session, number: str) -> bytes | None:
    """The bytes once; None when taken before or past their time."""
    pending = dict(session.get(SESSION_KEY, {}))
    entry = pending.pop(number, None)
    session[SESSION_KEY] = pending
    if entry is None or time.time() - entry["at"] >= TTL:
        return None
    return base64.b64decode(entry["pdf"])
