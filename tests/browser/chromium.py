"""Debian's chromium under Playwright, as every browser test uses it.

The flags keep a headless Chromium off the (closed) network: without the background-networking
switches it tries Google's hosts at every start. ``playwright install`` cannot work here, so
the browser is the Debian package, installed by scripts/setup.sh.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=ja-JP",
]

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; scripts/setup.sh)"
)


def _abandoned(request) -> bool:
    """A request the page dropped itself: an htmx check or the tab's icon still loading when the
    clerk moved on to the next page."""
    return request.failure == "net::ERR_ABORTED" and (
        request.resource_type in ("xhr", "fetch") or request.url.endswith("/favicon.svg")
    )


@contextmanager
def thin_client_page(console_with_url: bool = False) -> Iterator[tuple[object, list[str], list[str]]]:
    """(page at 1024×768 in Japanese, console messages, failed request URLs).

    A request the page itself abandoned is not a failure: htmx's as-you-type check still in
    flight when the clerk presses Enter is cancelled by the navigation (``net::ERR_ABORTED``)
    — the submitted form is validated again on the server anyway.
    """
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    console: list[str] = []
    failed: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="ja-JP")
            page = context.new_page()
            if console_with_url:
                page.on("console", lambda m: console.append(f"{m.type}: {m.text} @ {page.url}"))
            else:
                page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on(
                "requestfailed", lambda r: None if _abandoned(r) else failed.append(f"{r.url} {r.failure}")
            )
            yield page, console, failed
        finally:
            browser.close()


def assert_page_clean(console: list[str], failed: list[str]) -> None:
    """No Content-Security-Policy violation, no console error, no failed request."""
    violations = [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert not violations, violations
    assert not [m for m in console if m.startswith("error")], console
    assert not failed, failed
