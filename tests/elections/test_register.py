"""Registration runs through real registry 異動: the boundary days of civil-facts §1.3, and 表示 then
抹消 four months after a 転出, 抹消 on the day of a death — each visible in the roll as of a day."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.elections.conftest import TODAY, ago, born_for_birthday, file_death, file_move_in, file_move_out
from tests.registry.conftest import move_body
from yakuba.elections import services
from yakuba.elections.models import EntryChange
from yakuba.elections.rules.dates import add_months, struck_off_from
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

KIJUN = ago(10)
ELECTION_DAY = KIJUN + timedelta(days=17)
CUTOFF = add_months(KIJUN, -3)  # the latest qualifying 転入届 (civil-facts §1.3)
LONG_AGO = ago(400)


def statuses(as_of) -> dict[str, tuple[str, str | None]]:
    with tenant_context(AIZU):
        made = services.roll(AIZU, as_of)
    return {e["atena_no"]: (e["status"], e["moved_out_on"]) for e in made.json["entries"]}


def test_age_and_residence_boundary_days(registry, system_actor):
    day_after = file_move_in(
        registry,
        "選挙 翌日",
        born_for_birthday(ELECTION_DAY + timedelta(days=1)),
        moved=LONG_AGO,
        notified=LONG_AGO,
    )
    two_after = file_move_in(
        registry,
        "選挙 翌々日",
        born_for_birthday(ELECTION_DAY + timedelta(days=2)),
        moved=LONG_AGO,
        notified=LONG_AGO,
    )
    on_cutoff = file_move_in(registry, "選挙 期限", "1980-01-01", moved=CUTOFF, notified=CUTOFF)
    after_cutoff = file_move_in(
        registry, "選挙 期限後", "1980-01-02", moved=CUTOFF, notified=CUTOFF + timedelta(days=1)
    )
    # Moved in (異動日) well before the cutoff but filed the 転入届 a day after it: the 届出年月日 counts.
    late_notice = file_move_in(
        registry,
        "選挙 遅届",
        "1980-01-03",
        moved=CUTOFF - timedelta(days=5),
        notified=CUTOFF + timedelta(days=1),
    )
    with tenant_context(AIZU):
        run = services.register("election", KIJUN, ELECTION_DAY)
    assert run.age_deadline == ELECTION_DAY + timedelta(days=1)
    on_roll = statuses(KIJUN)
    assert on_roll[day_after] == ("registered", None)
    assert on_roll[on_cutoff] == ("registered", None)
    assert two_after not in on_roll
    assert after_cutoff not in on_roll
    assert late_notice not in on_roll
    assert run.added == 2
    # Not on the roll the day before the registration.
    assert statuses(KIJUN - timedelta(days=1)) == {}


def test_moved_out_is_marked_then_struck_off_after_four_months_and_death_at_once(registry, system_actor):
    leaver = file_move_in(registry, "選挙 転出", "1970-05-05", moved=LONG_AGO, notified=LONG_AGO)
    recent = file_move_in(registry, "選挙 最近転出", "1970-05-06", moved=LONG_AGO, notified=LONG_AGO)
    dead = file_move_in(registry, "選挙 死亡", "1930-05-05", moved=LONG_AGO, notified=LONG_AGO)
    first = ago(300)
    with tenant_context(AIZU):
        services.register("election", first, first + timedelta(days=17))
    moved_out, recently, died = ago(200), ago(40), ago(150)
    file_move_out(registry, leaver, moved_out)
    file_move_out(registry, recent, recently)
    file_death(registry, dead, died)
    with tenant_context(AIZU):
        run = services.register("election", KIJUN, ELECTION_DAY)
        changes = sorted(EntryChange.objects.values_list("change", "on"))
    assert (run.added, run.marked, run.struck_off) == (0, 2, 2)
    gone = struck_off_from(moved_out)
    assert statuses(moved_out - timedelta(days=1))[leaver] == ("registered", None)
    assert statuses(moved_out)[leaver] == ("marked_moved_out", moved_out.isoformat())
    assert statuses(gone - timedelta(days=1))[leaver] == ("marked_moved_out", moved_out.isoformat())
    assert leaver not in statuses(gone)
    assert statuses(died - timedelta(days=1))[dead] == ("registered", None)
    assert dead not in statuses(died)
    assert statuses(TODAY)[recent] == ("marked_moved_out", recently.isoformat())
    assert changes.count(("struck_off", gone)) == 1 and changes.count(("struck_off", died)) == 1


def test_a_run_is_once_per_kind_and_kijun_and_names_bad_input(registry, system_actor):
    with tenant_context(AIZU):
        services.register("election", KIJUN, ELECTION_DAY)
        with pytest.raises(services.RegisterRefused, match="選挙時登録（基準日 .*）は登録済みです"):
            services.register("election", KIJUN, ELECTION_DAY)
        with pytest.raises(services.RegisterRefused, match=f"基準日 {KIJUN} の登録があります"):
            services.register("election", KIJUN - timedelta(days=1), ELECTION_DAY)
        with pytest.raises(services.RegisterRefused) as refused:
            services.register("election", TODAY + timedelta(days=1), None)
    message = str(refused.value)
    assert "--kijun-date: 基準日が未来の日です" in message
    assert "--election-day: 選挙時登録には選挙期日を指定してください" in message


def test_a_run_reads_the_registry_in_a_fixed_number_of_queries(
    registry, system_actor, django_assert_max_num_queries
):
    for n in range(6):
        file_move_in(registry, f"選挙 数{n}", f"1960-01-0{n + 1}", moved=LONG_AGO, notified=LONG_AGO)
    # The registry's events caught up first (the consumer: about a dozen, none per person), the
    # run, then its REGISTERED events (a dozen a page of 20,000).
    with tenant_context(AIZU), django_assert_max_num_queries(60):
        run = services.register("election", KIJUN, ELECTION_DAY)
    assert run.added == 6


def test_a_person_under_protection_is_registered_and_marked_like_anyone(registry, system_actor, token_for):
    from yakuba.registry import services as door

    voter = file_move_in(registry, "選挙 保護", "1980-02-02", moved=LONG_AGO, notified=LONG_AGO)
    with tenant_context(AIZU):
        door.set_measure(voter, starts_on=ago(350))
        services.register("election", ago(300), ago(283))
    file_move_out(
        registry,
        voter,
        ago(30),
        token=token_for(AIZU, ["registry:read", "registry:write", "registry:protected"]),
    )
    with tenant_context(AIZU):
        run = services.register("election", KIJUN, ELECTION_DAY)
    assert run.marked == 1
    assert statuses(TODAY)[voter] == ("marked_moved_out", ago(30).isoformat())


def test_a_move_within_the_town_does_not_restart_the_three_months(registry, system_actor):
    """The three months run from the 転入届 (civil-facts §1.3); a 転居 a month before the 基準日
    leaves the 届出年月日 as it was, so the person is registered."""
    from tests.seal_registration.conftest import ADDRESS_2
    from yakuba.registry import services as registry_door

    settled = file_move_in(registry, "選挙 転居", "1980-02-01", moved=LONG_AGO, notified=LONG_AGO)
    with tenant_context(AIZU):
        setai = registry_door.get_resident(settled).setai_no
    registry.move(
        move_body(
            "move_within",
            [{"atena_no": settled}],
            household={"setai_no": setai, "address": ADDRESS_2},
            move_date=(KIJUN - timedelta(days=30)).isoformat(),
        )
    )
    with tenant_context(AIZU):
        services.register("election", KIJUN, ELECTION_DAY)
    assert statuses(KIJUN)[settled] == ("registered", None)


def test_the_registered_events_follow_the_run_a_page_at_a_time_once(registry, system_actor, monkeypatch):
    from yakuba.elections import events

    module = importlib.import_module("yakuba.elections.services.register")  # the package exports the function
    from yakuba.platform.linkage.models import Event

    voters = {
        file_move_in(registry, f"選挙 通知{n}", f"1960-02-0{n + 1}", moved=LONG_AGO, notified=LONG_AGO)
        for n in range(5)
    }
    monkeypatch.setattr(module, "ANNOUNCE_PAGE", 2)
    with tenant_context(AIZU):
        services.register("election", KIJUN, ELECTION_DAY, announce_events=False)
        assert not Event.objects.filter(type=events.REGISTERED).exists()
        pages = []
        assert services.announce(progress=pages.append) == 5
        assert pages == [2, 2, 1] and services.announce() == 0
        subjects = list(Event.objects.filter(type=events.REGISTERED).values_list("subject", flat=True))
    assert sorted(subjects) == sorted(voters)
