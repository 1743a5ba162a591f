"""The persisted 学齢簿 through real 異動 in the registry (docs/school_enrollment.md): the yearly
編製 (the cohort edges, 2月29日, the end of compulsory schooling), once per year, set-based."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.conftest import days_ago, person, registry  # noqa: F401 (fixture)
from tests.school_enrollment.conftest import TODAY, in_town
from yakuba.platform.tenancy.context import tenant_context
from yakuba.school_enrollment.models import RollChange, RollEntry
from yakuba.school_enrollment.services import book

pytestmark = pytest.mark.django_db


def _open() -> dict[str, RollEntry]:
    with tenant_context(AIZU):
        return {e.name: e for e in RollEntry.objects.filter(closed_on__isnull=True)}


def test_the_first_generation_takes_every_child_of_school_age_and_the_cohort(family):
    generation = in_town(book.generate, 2026, as_of=TODAY)
    roll = _open()
    # 4月1日 enters 2026 with 2月29日; 4月2日 waits for 2027; the 中学3年 stays; the one past 15 does not
    assert sorted(roll) == ["学齢 中三", "学齢 四一", "学齢 閏"]
    assert generation.added == 3
    assert roll["学齢 四一"].entry_year == 2026 and roll["学齢 閏"].entry_year == 2026
    assert roll["学齢 中三"].compulsory_until == date(2027, 3, 31)
    assert roll["学齢 四一"].guardian_atena_no == family["学齢 父"]
    # a year later: the 4月2日 child enters with the next cohort, a year after the 4月1日 child
    in_town(book.generate, 2027, as_of=TODAY)
    assert _open()["学齢 四二"].entry_year == 2027
    with tenant_context(AIZU):
        assert RollChange.objects.filter(change="added").count() == 4


def test_a_29_february_birth_reaches_6_on_28_february_of_a_common_year(family):
    # born 2020-02-29: 満6歳 on 2026-02-28 (民法143条), so enters 2026-04-01 with its cohort; its
    # compulsory schooling ends 2035-03-31
    in_town(book.generate, 2026, as_of=TODAY)
    child = _open()["学齢 閏"]
    assert (child.entry_year, child.compulsory_until) == (2026, date(2035, 3, 31))


def test_a_generation_is_once_per_year_and_all_or_nothing(family):
    in_town(book.generate, 2026, as_of=TODAY)
    with pytest.raises(book.AlreadyGenerated, match="2026年入学の学齢簿は .*に編製済み"):
        in_town(book.generate, 2026, as_of=TODAY)
    with pytest.raises(book.GenerationRefused, match="2025年入学は編製できません"):
        in_town(book.generate, 2025, as_of=TODAY)
    # a cohort whose 基準日 (2027-10-01) is still ahead of the day asked
    with pytest.raises(book.GenerationRefused, match="2028年入学の学齢簿は基準日（2027年10月1日）以後の日"):
        in_town(book.generate, 2028, as_of=TODAY)
    assert len(_open()) == 3


def test_the_end_of_compulsory_schooling_closes_the_entry(family):
    in_town(book.generate, 2026, as_of=TODAY)
    # the 2036 編製 (基準日 2035-10-01): the 2027 (中三) child ended 2027-03-31
    in_town(book.generate, 2036, as_of=date(2035, 10, 1))
    with tenant_context(AIZU):
        ended = RollEntry.objects.get(atena_no=family["学齢 中三"])
    assert (ended.closed_on, ended.closed_reason) == (date(2027, 4, 1), "graduated")


def test_the_schools_follow_the_districts(family, districts):
    in_town(book.generate, 2026, as_of=TODAY)
    roll = _open()
    # 東栄町3番46号: 番地 3 → the 1–10 line
    assert (roll["学齢 四一"].elementary_code, roll["学齢 四一"].junior_code) == ("E01", "J01")
    assert (roll["学齢 四一"].town_area, roll["学齢 四一"].banchi) == ("東栄町", 3)


def test_the_generation_is_a_fixed_number_of_queries(registry, family):  # noqa: F811
    registry.move_in(
        *[
            person(f"多数 {n}", "タスウ", f"2018-{5 + n % 7:02d}-{1 + n:02d}", 1, "子" if n else "世帯主")
            for n in range(20)
        ],
        move_date=days_ago(1),
    )
    with tenant_context(AIZU), CaptureQueriesContext(connection) as captured:
        generation = book.generate(2026, as_of=TODAY)
    assert generation.added == 23
    assert len(captured) <= 20
