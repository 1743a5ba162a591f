"""The event-type catalogue: every type a domain may emit, declared in code.

``docs/events.md`` is generated from this catalogue (``yakuba events --write``) and a test
fails when it is stale, so vendors read a list that matches what the system really sends.
A domain declares its types in its own ``events.py`` (imported by its AppConfig.ready).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_TYPE = re.compile(r"^jp\.yakuba\.[a-z_]+(\.[a-z][a-z0-9-]*)+\.v\d+$")


class UnknownEventType(LookupError):
    pass


@dataclass(frozen=True)
class EventType:
    """One event type. ``type`` follows ``jp.yakuba.<domain>.<entity>.<verb>.v<N>``."""

    type: str
    title: str
    description: str
    subject: str = ""
    data: dict[str, str] = field(default_factory=dict)
    # Data keys that hold 個人番号: removed for clients without a 個人番号 scope + zone mynumber.
    restricted: tuple[str, ...] = ()
    # Data minimisation (庁内データ連携 標準: each system receives only what its work needs):
    # a client without ``data_scope`` receives only the ``public`` keys of ``data``.
    data_scope: str = ""
    public: tuple[str, ...] = ()

    @property
    def domain(self) -> str:
        return self.type.split(".")[2]


_CATALOGUE: dict[str, EventType] = {}
COMMITTED_CATALOGUE = Path(__file__).resolve().parents[3] / "docs" / "events.md"


def register(event_type: EventType) -> EventType:
    if not _TYPE.match(event_type.type):
        raise ValueError(
            f"event type {event_type.type!r} does not follow jp.yakuba.<domain>.<entity>.<verb>.vN"
        )
    existing = _CATALOGUE.get(event_type.type)
    if existing is not None and existing != event_type:
        raise ValueError(f"event type {event_type.type} declared twice with different definitions")
    _CATALOGUE[event_type.type] = event_type
    return event_type


def unregister(type_: str) -> None:
    """Remove a type (tests that declare temporary types clean up with this)."""
    _CATALOGUE.pop(type_, None)


def get(type_: str) -> EventType:
    try:
        return _CATALOGUE[type_]
    except KeyError:
        raise UnknownEventType(f"event type {type_!r} is not in the catalogue") from None


def all_types(*, include_test: bool = False) -> list[EventType]:
    return sorted(
        (t for t in _CATALOGUE.values() if include_test or t.domain != "test"), key=lambda t: t.type
    )


def render_markdown() -> str:
    from yakuba.platform.linkage import feed  # the feed builds on the catalogue, not the reverse

    lines = [
        "# Event catalogue",
        "",
        "Generated from the code (`yakuba events --write`); a test fails when this file is stale.",
        "Every event is a CloudEvents 1.0 JSON object with `specversion`, `id`, `source`, `type`,",
        "`subject` (宛名番号 or another key), `time`, `datacontenttype`, `data`, and the extension",
        "attribute `lgcode` (the 団体コード; CloudEvents attribute names allow only a-z and 0-9).",
        "Delivery is at-least-once: use `id` to ignore duplicates.",
        "",
    ]
    types = all_types()
    if not types:
        lines.append("No domain emits events yet.")
    for t in types:
        lines += [f"## `{t.type}` — {t.title}", "", t.description, ""]
        lines += ["- 受信: `events:read` スコープのクライアント（pull フィードと Webhook）"]
        guard = feed.guard_for(t.type)
        if guard is not None:
            lines += [
                f"- 支援措置の対象者についてのイベントは `{guard.scope}` スコープのクライアントにだけ届く"
            ]
        if t.subject:
            lines += [f"- subject: {t.subject}"]
        if t.data_scope:
            lines += [f"- data: `{t.data_scope}` スコープのないクライアントには ✓ の項目だけを送信"]
        for key, desc in t.data.items():
            mark = (
                "（個人番号: 個人番号を参照できるスコープを持つ mynumber ゾーンのクライアントにのみ送信）"
                if key in t.restricted
                else ""
            )
            tick = " ✓" if t.data_scope and key in t.public else ""
            lines += [f"- `data.{key}`{tick}: {desc}{mark}"]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
