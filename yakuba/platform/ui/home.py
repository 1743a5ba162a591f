"""The day's work on the home screen: each domain registers what its staff should see first.

A clerk who signs in should see what is waiting (異動 filed today, 転出予定 past their date,
支援措置 ending this month, a 住民票コード pool running low) rather than a blank start page.
The platform must not import a business domain (import-linter contract), so, like the menu
(``nav``), this is a small registry filled from each domain's ``AppConfig.ready()``. A source
carries the roles it is meant for; its callable is not even run for anyone else
(住民記録システム標準仕様書 §10.3: 利用者ごとの機能制限).

The callables run on every home page view, inside the staff's tenant context: each should
cost one or two cheap indexed queries (the test of the home page counts them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from yakuba.platform.ui.nav import allowed


class Urgency(StrEnum):
    """How the task is shown: always with a word as well as a colour (never colour alone)."""

    INFO = "info"  # a figure to know (異動 today)
    WARNING = "warning"  # to do soon (a measure ends this month, the pool is low)
    ALERT = "alert"  # blocks work now (the pool is empty)


URGENCY_LABELS = {Urgency.INFO: "", Urgency.WARNING: "要対応", Urgency.ALERT: "至急"}


@dataclass(frozen=True)
class HomeTask:
    """One line of the day's work: ``figure`` is already worded (「12件」), ``url`` may be empty."""

    title: str
    figure: str
    url: str = ""
    urgency: Urgency = Urgency.INFO
    note: str = ""
    link_label: str = "開く"

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS[self.urgency]


TaskSource = Callable[[object], Iterable[HomeTask]]


@dataclass(frozen=True)
class _Source:
    key: str
    func: TaskSource
    roles: frozenset[str] | None
    order: int


_sources: list[_Source] = []


def register(key: str, func: TaskSource, roles: Iterable[str] | None = None, *, order: int = 50) -> None:
    """Add a source of home tasks; ``func(request)`` returns the tasks (idempotent per ``key``:
    ``ready()`` may run more than once in tests)."""
    source = _Source(key, func, frozenset(roles) if roles is not None else None, order)
    for i, existing in enumerate(_sources):
        if existing.key == key:
            _sources[i] = source
            return
    _sources.append(source)


def tasks_for(request) -> list[HomeTask]:
    """The tasks of every source the user's roles (``request.roles``) are allowed, by ``order``."""
    tasks: list[HomeTask] = []
    for source in sorted(_sources, key=lambda s: s.order):
        if allowed(source.roles, request.roles):
            tasks.extend(source.func(request))
    return tasks
