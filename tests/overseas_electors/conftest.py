"""在外選挙人名簿 fixtures: persons filed through the registry's API, put on the 選挙人名簿 by a
real registration run, and moved abroad with a 国外転出."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.elections.conftest import ago, file_move_in
from tests.registry.conftest import move_body, registry  # noqa: F401 (fixture)
from yakuba.elections import services as elections
from yakuba.overseas_electors.services import follow
from yakuba.platform.tenancy.context import tenant_context

TODAY = timezone.localdate()
LONG_AGO = ago(400)
PLANNED = TODAY + timedelta(days=7)  # the 転出予定日 of the 国外転出 (filed today)
ABROAD = "アメリカ合衆国ニューヨーク州ニューヨーク市5番街1番地"
MISSION = "在ニューヨーク日本国総領事館"


def in_town(fn, *args, **kwargs):
    with tenant_context(AIZU):
        return fn(*args, **kwargs)


_births = itertools.count()


def resident(registry, name: str, birth: str = "", notified: date = LONG_AGO) -> str:  # noqa: F811
    """A 転入 filed on ``notified``; each person another 生年月日 unless given (the registry asks to
    confirm a second person of the same 氏名 and 生年月日, and the test kana repeat)."""
    birth = birth or (date(1980, 1, 1) + timedelta(days=next(_births))).isoformat()
    return file_move_in(registry, name, birth, moved=notified, notified=notified)


def run_roll() -> None:
    """A 選挙時登録 ten days ago: everyone qualified then is on the roll."""
    kijun = ago(10)
    in_town(elections.register, "election", kijun, kijun + timedelta(days=17))


def move_abroad(registry, atena_no: str, planned: date = PLANNED) -> dict:  # noqa: F811
    """A 国外転出 filed today with its 転出予定日 (the registry's answer: its ``move_id``)."""
    return registry.move(
        move_body(
            "move_out",
            [{"atena_no": atena_no}],
            move_date=planned.isoformat(),
            destination="abroad",
            destination_address=ABROAD,
            notified_date=TODAY.isoformat(),
        )
    )


def follow_registry():
    return follow.follow(AIZU)


@pytest.fixture
def on_day(monkeypatch):
    """Make "today" another day (a registration cannot be dated in the future); the registry's
    dates with an argument are left alone."""
    real = timezone.localdate

    def set_today(day: date) -> None:
        monkeypatch.setattr(
            timezone, "localdate", lambda value=None, tz=None: day if value is None else real(value, tz)
        )

    return set_today
