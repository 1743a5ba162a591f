"""The 学齢簿 kept current by the registry's events (docs/school_enrollment.md, "Kept current"),
through real 異動: a late 転入 after the 就学時健康診断 is added with a notice to send, a child who
moves out or dies leaves the roll (the entry closed, not deleted), a 転居 moves the school."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS_2, days_ago, move_body, person, registry  # noqa: F401 (fixture)
from tests.school_enrollment.conftest import TODAY, in_town, move_out
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as door
from yakuba.school_enrollment.models import RollChange, RollEntry, Schedule, WorkItem
from yakuba.school_enrollment.services import book, follow, lookup, notices

pytestmark = pytest.mark.django_db(transaction=True)


def _open_names() -> set[str]:
    with tenant_context(AIZU):
        return set(RollEntry.objects.filter(closed_on__isnull=True).values_list("name", flat=True))


def _follow():
    return follow.follow(AIZU)


def test_a_late_move_in_after_the_health_check_is_added_with_a_notice(family, system_actor):
    # The 2027 編製 on its 基準日 2026-10-01: the family filed its 転入 on TODAY-30, after it
    with tenant_context(AIZU):
        Schedule.objects.create(
            lg_code=AIZU, entry_year=2027, health_check_on=date(2026, 11, 1), notice_on=date(2027, 1, 20)
        )
    assert in_town(book.generate, 2027, as_of=date(2026, 10, 1)).added == 0
    _follow()
    assert {"学齢 四二", "学齢 四一", "学齢 閏", "学齢 中三"} == _open_names()
    with tenant_context(AIZU):
        items = {(w.atena_no, w.kind) for w in WorkItem.objects.all()}
        entry = RollEntry.objects.get(atena_no=family["学齢 四二"])
    # 2027's 就学予定者 came after the 健診 of 2026-11-01: the 健診 notice to send
    assert (family["学齢 四二"], "health-check") in items
    # a 1年生 coming mid-year: the 就学通知 (転入学) to the new school
    assert (family["学齢 四一"], "enrolment") in items
    assert (entry.added_reason, entry.added_on.isoformat()) == ("moved-in", days_ago(30))
    # followed again: nothing doubled
    _follow()
    with tenant_context(AIZU):
        assert WorkItem.objects.count() == len(items) and RollEntry.objects.count() == 4
    # the notice: the 健診 day of the schedule, printed for the child, the item done
    with tenant_context(AIZU):
        body, _name = notices.notice_of("health-check", family["学齢 四二"], visibility=door.Visibility())
        assert body.startswith(b"%PDF")
        done = WorkItem.objects.get(atena_no=family["学齢 四二"], kind="health-check")
    assert done.status == "done"


def test_a_move_in_after_the_notice_date_leaves_the_enrolment_notice(family, system_actor):
    with tenant_context(AIZU):
        Schedule.objects.create(
            lg_code=AIZU, entry_year=2027, health_check_on=date(2026, 10, 20), notice_on=date(2026, 11, 1)
        )
    in_town(book.generate, 2027, as_of=date(2026, 10, 1))
    _follow()
    with tenant_context(AIZU):
        kinds = set(WorkItem.objects.filter(atena_no=family["学齢 四二"]).values_list("kind", flat=True))
    assert kinds == {"health-check", "enrolment"}


def test_no_notice_for_a_move_in_before_the_health_check(family, system_actor):
    with tenant_context(AIZU):
        Schedule.objects.create(
            lg_code=AIZU, entry_year=2027, health_check_on=TODAY, notice_on=date(2027, 1, 20)
        )
    in_town(book.generate, 2027, as_of=date(2026, 10, 1))
    _follow()
    with tenant_context(AIZU):
        assert not WorkItem.objects.filter(kind="health-check").exists()


def test_a_child_who_moves_out_or_dies_leaves_the_roll(registry, family, system_actor):  # noqa: F811
    in_town(book.generate, 2026, as_of=TODAY)
    move_out(registry, family["学齢 四一"], days_ago(0))
    registry.move({"kind": "death", "move_date": days_ago(0), "persons": [{"atena_no": family["学齢 閏"]}]})
    _follow()
    # (the 2027 就学予定者 is followed too: its 転入 came after its 基準日 2026-10-01)
    assert _open_names() == {"学齢 中三", "学齢 四二"}
    with tenant_context(AIZU):
        gone = RollEntry.objects.get(atena_no=family["学齢 四一"])
        died = RollEntry.objects.get(atena_no=family["学齢 閏"])
        assert [c.change for c in RollChange.objects.filter(entry=gone).order_by("id")] == ["added", "closed"]
    assert (gone.closed_on, gone.closed_reason) == (TODAY, "moved-out")
    assert died.closed_reason == "died"


def test_a_move_within_the_town_changes_the_address_and_the_school(registry, family, districts, system_actor):  # noqa: F811
    in_town(book.generate, 2026, as_of=TODAY)
    with tenant_context(AIZU):
        setai = door.get_resident(family["学齢 父"]).setai_no
        assert RollEntry.objects.get(atena_no=family["学齢 四一"]).elementary_code == "E01"
    registry.move(
        move_body(
            "move_within",
            [{"atena_no": a} for a in family.values()],
            household={"setai_no": setai, "address": ADDRESS_2},
            move_date=days_ago(0),
        )
    )
    _follow()
    with tenant_context(AIZU):
        moved = RollEntry.objects.get(atena_no=family["学齢 四一"])
        line = RollChange.objects.filter(entry=moved, change="updated").get()
    assert moved.address.endswith("栄町1番1号") and moved.town_area == "栄町"
    assert (moved.elementary_code, moved.junior_code) == ("E02", "J02")
    assert line.detail["address"][1].endswith("栄町1番1号")


def test_a_page_of_events_is_a_fixed_number_of_queries(registry, family, system_actor):  # noqa: F811
    in_town(book.generate, 2026, as_of=TODAY)
    _follow()  # the consumer's row made

    def queries_for(n: int) -> int:
        registry.move_in(
            *[
                person(
                    f"転入 {n}-{i}",
                    "テンニュウ",
                    f"2018-{5 + n % 7:02d}-{1 + i:02d}",
                    1,
                    "子" if i else "世帯主",
                )
                for i in range(n)
            ],
            move_date=days_ago(0),
        )
        with CaptureQueriesContext(connection) as captured:
            _follow()
        return len(captured)

    assert queries_for(2) == queries_for(12) <= 30


def test_events_followed_before_the_generation_are_not_lost(registry, family, system_actor):  # noqa: F811
    # Before 2026-10-01 a 2027 child moved in (not yet on any 学齢簿) and left again on TODAY-10
    early = registry.move_in(
        person("早期 転入", "ソウキ テンニュウ", "2020-06-01", 1, "世帯主"), move_date="2026-08-01"
    )
    early = early["persons"][0]["atena_no"]
    move_out(registry, early, days_ago(10))
    _follow()  # the consumer runs daily: the family's 転入 (after the 基準日) is followed already
    assert {"学齢 四二", "学齢 四一", "学齢 閏", "学齢 中三"} == _open_names()
    # The 2027 編製 on its 基準日, run later: the family is on the roll once, the child who was
    # there on 2026-10-01 but has left since is not written
    assert in_town(book.generate, 2027, as_of=date(2026, 10, 1)).added == 0
    _follow()
    assert {"学齢 四二", "学齢 四一", "学齢 閏", "学齢 中三"} == _open_names()
    with tenant_context(AIZU):
        assert RollEntry.objects.count() == 4


def test_a_death_cancelled_in_the_same_page_keeps_the_child_on_the_roll(registry, family, system_actor):  # noqa: F811
    in_town(book.generate, 2026, as_of=TODAY)
    died = registry.move(
        {"kind": "death", "move_date": days_ago(0), "persons": [{"atena_no": family["学齢 閏"]}]}
    )
    registry.move({"kind": "cancel", "cancel_move_id": died["move_id"]})
    _follow()  # both events in one page: closed, then added again (記載)
    assert "学齢 閏" in _open_names()
    with tenant_context(AIZU):
        entries = list(RollEntry.objects.filter(atena_no=family["学齢 閏"]).order_by("id"))
    assert [(e.closed_reason, e.added_reason) for e in entries] == [("died", "generated"), ("", "recorded")]


def test_a_move_out_ahead_leaves_the_roll_on_its_day(registry, family, system_actor):  # noqa: F811
    in_town(book.generate, 2026, as_of=TODAY)
    ahead = TODAY + timedelta(days=5)
    move_out(registry, family["学齢 四一"], ahead.isoformat())
    _follow()
    with tenant_context(AIZU):
        today = {x.name for x in lookup.page(visibility=door.Visibility())[0]}
        then = {x.name for x in lookup.page(on=ahead, visibility=door.Visibility())[0]}
        assert RollEntry.objects.get(atena_no=family["学齢 四一"]).closed_on == ahead
    assert "学齢 四一" in today and "学齢 四一" not in then
