"""印鑑登録 fixtures: a 世帯 filed through the registry's API, an impression image, and an
application builder."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS_2, days_ago, move_body, person, registry  # noqa: F401 (fixture)
from yakuba.platform.tenancy.context import tenant_context
from yakuba.seal_registration.services.registrations import Application

TODAY = timezone.localdate()
# A PNG signature and a few bytes: the door checks the type and keeps the bytes as given.
IMAGE = b"\x89PNG\r\n\x1a\n" + b"impression-of-a-seal"


def born_fifteen_years_before(days: int) -> str:
    """The birth date of one whose 15th birthday is ``days`` after today: they reach 15 (and
    may register) on the day before it (年齢計算ニ関スル法律)."""
    day = TODAY + timedelta(days=days)
    return date(day.year - 15, day.month, 28 if (day.month, day.day) == (2, 29) else day.day).isoformat()


@pytest.fixture
def family(registry, system_actor):  # noqa: F811
    """山田 at 東栄町3番46号, filed 30 days ago: {氏名: 宛名番号}."""
    people = [
        person("山田 太郎", "ヤマダ タロウ", "1980-05-05", 1, "世帯主"),
        person("山田 花子", "ヤマダ ハナコ", "1982-07-07", 2, "妻"),
        person("山田 一郎", "ヤマダ イチロウ", born_fifteen_years_before(1), 1, "子"),  # 15 today
        person("山田 次郎", "ヤマダ ジロウ", born_fifteen_years_before(2), 1, "子"),  # 15 tomorrow
    ]
    filed = registry.move_in(*people, move_date=days_ago(30))
    return {p["name"]: f["atena_no"] for p, f in zip(people, filed["persons"], strict=True)}


def image_of(text: str) -> bytes:
    """A scan of the seal showing ``text`` (a seal of other characters is another image)."""
    return IMAGE + text.encode()


def application(atena_no: str, text: str = "山田", size: str = "15", image: bytes | None = None, **extra):
    return Application(atena_no, text, Decimal(size), Decimal(size), image or image_of(text), **extra)


def in_town(fn, *args, **kwargs):
    with tenant_context(AIZU):
        return fn(*args, **kwargs)


def move_out(registry, atena_nos: list[str], move_date: str) -> None:  # noqa: F811
    """A 転出 of some of the 世帯 to 千代田区, through the registry's API."""
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": a} for a in atena_nos],
            move_date=move_date,
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
        )
    )


def move_within(registry, family: dict) -> None:  # noqa: F811
    """The whole 世帯 moves to 栄町1番1号 today (a 転居), through the registry's API."""
    from yakuba.registry import services as registry_door

    with tenant_context(AIZU):
        setai = registry_door.get_resident(next(iter(family.values()))).setai_no
    registry.move(
        move_body(
            "move_within",
            [{"atena_no": a} for a in family.values()],
            household={"setai_no": setai, "address": ADDRESS_2},
            move_date=days_ago(0),
        )
    )
