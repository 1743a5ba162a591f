"""``elections follow``: the roll follows the registry's events between runs (civil-facts §1.8) —
表示 at the 転出, 抹消 at a death, a 転居 moves the 投票区 without a new three months; each with
its event; a run after it neither marks nor strikes again."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.elections.conftest import TODAY, ago, file_death, file_move_in, file_move_out
from tests.registry.conftest import ADDRESS_2, move_body
from yakuba.elections import events, services
from yakuba.elections.models import Departure, EntryChange
from yakuba.elections.services import precincts
from yakuba.elections.services.follow import follow
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)  # the feed shows committed events only

PLAN = "町字,番地から,番地まで,投票区コード,投票区名\r\n東栄町,,,01,第1投票区\r\n栄町,,,02,第2投票区\r\n"


def sent(event_type: str) -> dict[str, dict]:
    with tenant_context(AIZU):
        return {e.subject: e.data for e in Event.objects.filter(type=event_type)}


def test_moves_deaths_and_moves_within_follow_the_registry(registry, system_actor):
    leaver = file_move_in(registry, "追跡 転出", "1970-01-01", moved=ago(400), notified=ago(400))
    dead = file_move_in(registry, "追跡 死亡", "1950-01-01", moved=ago(400), notified=ago(400))
    mover = file_move_in(registry, "追跡 転居", "1970-01-02", moved=ago(400), notified=ago(400))
    young = file_move_in(registry, "追跡 未登録", "2015-01-01", moved=ago(400), notified=ago(400))
    with tenant_context(AIZU):
        precincts.load(PLAN.encode(), ago(300))
        run = services.register("election", ago(30), ago(13))
    assert run.added == 3 and set(sent(events.REGISTERED)) == {leaver, dead, mover}
    assert sent(events.REGISTERED)[mover] == {
        "registered_on": ago(30).isoformat(), "kind": "election", "basis": "resident", "tohyoku": "第1投票区"
    }  # fmt: skip
    file_move_out(registry, leaver, ago(5))
    file_move_out(registry, young, ago(5))
    file_death(registry, dead, ago(4))
    with tenant_context(AIZU):
        setai = registry_setai(mover)
    registry.move(
        move_body(
            "move_within",
            [{"atena_no": mover}],
            household={"setai_no": setai, "address": ADDRESS_2},
            move_date=ago(3).isoformat(),
        )
    )
    with tenant_context(AIZU):
        done = follow(AIZU)
        roll = {e.atena_no: e for e in services.roll(AIZU, TODAY).entries}
        history = sorted(
            EntryChange.objects.filter(run__isnull=True).values_list("entry__atena_no", "change", "on")
        )
        departures = list(Departure.objects.values_list("atena_no", "left_on"))
    assert done.changes == 4  # 表示, 抹消, 投票区, one 転出者 not on the roll
    assert (roll[leaver].status, roll[leaver].moved_out_on) == ("marked_moved_out", ago(5))
    assert dead not in roll
    assert (roll[mover].tohyoku, roll[mover].registered_on) == ("第2投票区", ago(30))
    assert history == sorted(
        [(leaver, "marked", ago(5)), (dead, "struck_off", ago(4)), (mover, "moved", ago(3))]
    )
    assert departures == [(young, ago(5))]
    assert sent(events.MARKED) == {
        leaver: {"reason": "moved_out", "on": ago(5).isoformat(), "moved_out_on": ago(5).isoformat()}
    }
    assert sent(events.STRUCK_OFF) == {dead: {"reason": "died", "on": ago(4).isoformat()}}
    with tenant_context(AIZU):
        again = services.register("election", ago(1), ago(-16))
        lines = EntryChange.objects.filter(entry__atena_no=leaver, change="marked").count()
    assert (again.added, again.marked, again.struck_off, lines) == (0, 0, 0, 1)


def registry_setai(atena_no: str) -> str:
    from yakuba.registry import services as door

    return door.get_resident(atena_no).setai_no


def test_a_page_reads_and_writes_in_a_fixed_number_of_queries(
    registry, system_actor, django_assert_max_num_queries
):
    voters = [
        file_move_in(registry, f"追跡 数{n}", f"1960-01-0{n + 1}", moved=ago(400), notified=ago(400))
        for n in range(6)
    ]
    with tenant_context(AIZU):
        services.register("election", ago(30), ago(13))
    for atena_no in voters:
        file_move_out(registry, atena_no, ago(2))
    with tenant_context(AIZU), django_assert_max_num_queries(45):  # none per event
        done = follow(AIZU)
    assert done.changes == 6
