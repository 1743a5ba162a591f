"""就学 fixtures: a 世帯 of children around the cohort edges, filed through the registry's API, and
a 通学区域 file."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import days_ago, move_body, person, registry  # noqa: F401 (fixture)
from yakuba.platform.tenancy.context import tenant_context

TODAY = timezone.localdate()

DISTRICTS = (
    "町字,番地から,番地まで,小学校コード,小学校名,中学校コード,中学校名\r\n"
    "東栄町,1,10,E01,東栄小学校,J01,第一中学校\r\n"
    "東栄町,11,,E02,栄北小学校,J01,第一中学校\r\n"
    "栄町,,,E02,栄北小学校,J02,第二中学校\r\n"
)


@pytest.fixture
def family(registry, system_actor):  # noqa: F811
    """A 世帯 at 東栄町3番46号 with a child on each side of the 2026 cohort's edges and a 中学生,
    filed 30 days ago."""
    people = [
        person("学齢 父", "ガクレイ チチ", "1985-05-05", 1, "世帯主"),
        person("学齢 四一", "ガクレイ シイチ", "2020-04-01", 1, "子"),  # enters 2026
        person("学齢 四二", "ガクレイ シニ", "2020-04-02", 2, "子"),  # enters 2027
        person("学齢 閏", "ガクレイ ウルウ", "2020-02-29", 2, "子"),  # enters 2026
        person("学齢 中三", "ガクレイ チュウサン", "2011-06-01", 1, "子"),  # 2018 → 中学3年 in 2026
        person("学齢 卒業", "ガクレイ ソツギョウ", "2010-04-01", 1, "子"),  # 2017 → ended 2026-03-31
    ]
    filed = registry.move_in(*people, move_date=days_ago(30))
    return {p["name"]: f["atena_no"] for p, f in zip(people, filed["persons"], strict=True)}


@pytest.fixture
def districts(aizu, system_actor):
    from yakuba.school_enrollment.services import districts as service

    with tenant_context(AIZU):
        service.load(DISTRICTS.encode())


def in_town(fn, *args, **kwargs):
    with tenant_context(AIZU):
        return fn(*args, **kwargs)


def move_out(registry, atena_no: str, move_date: str) -> None:  # noqa: F811
    """A 転出 of one child through the registry's API (to 千代田区)."""
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": atena_no}],
            move_date=move_date,
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
        )
    )
