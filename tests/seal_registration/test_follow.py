"""Registrations kept true by the registry's events (civil-facts §2.5), through real 異動 filed
on the registry's API: 転出 → 廃止 from the 転出日, 死亡 → 抹消, 転居 → nothing (the address is
read when needed), a 氏 change → 抹消 when the seal shows the old 氏, kept when it shows the 名."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.conftest import days_ago, move_body, registry  # noqa: F401 (fixture)
from tests.seal_registration.conftest import TODAY, application, in_town, move_out, move_within
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.seal_registration import events
from yakuba.seal_registration.codes import Status
from yakuba.seal_registration.models import RegistrationChange
from yakuba.seal_registration.services import follow, registrations

pytestmark = pytest.mark.django_db(transaction=True)


def _register(atena_no: str, text: str):
    return in_town(registrations.apply_registration, application(atena_no, text))


def _now(atena_no: str):
    return in_town(registrations.registration_of, atena_no)


def _follow():
    return follow.follow(AIZU)


def test_a_move_out_abolishes_the_registration_from_the_move_out_day(registry, family, system_actor):  # noqa: F811
    _register(family["山田 花子"], "花子")
    move_out(registry, [family["山田 花子"]], days_ago(0))
    _follow()
    ended = _now(family["山田 花子"])
    assert (ended.status, ended.end_reason, ended.ended_on) == (Status.ABOLISHED, "moved-out", TODAY)
    assert not ended.valid_on(TODAY)
    with tenant_context(AIZU):
        line = RegistrationChange.objects.get(status="abolished")
    assert (line.reason, line.detail) == ("moved-out", {"event": "moved-out"}) and line.source_event
    with tenant_context(AIZU):
        ended_events = list(Event.objects.filter(type=events.ENDED).values_list("subject", "data"))
    assert ended_events == [
        (
            family["山田 花子"],
            {"registration_no": ended.registration_no, "status": "abolished", "reason": "moved-out", "ended_on": TODAY.isoformat()},
        )
    ]  # fmt: skip
    # followed again: nothing doubled
    assert _follow().changes == 0
    with tenant_context(AIZU):
        assert RegistrationChange.objects.count() == 2


def test_a_planned_move_out_keeps_the_registration_until_the_day_before(registry, family, system_actor):  # noqa: F811
    """Applications remain possible until the day before the 転出予定日 (§2.5, 荒川区 要領 第7条)."""
    _register(family["山田 花子"], "花子")
    planned = TODAY + timedelta(days=10)
    move_out(registry, [family["山田 花子"]], planned.isoformat())
    _follow()
    ended = _now(family["山田 花子"])
    assert ended.ended_on == planned and ended.end_reason == "moved-out"
    assert ended.valid_on(planned - timedelta(days=1)) and not ended.valid_on(planned)


def test_a_death_strikes_the_registration_off(registry, family, system_actor):  # noqa: F811
    _register(family["山田 花子"], "花子")
    registry.move({"kind": "death", "move_date": days_ago(0), "persons": [{"atena_no": family["山田 花子"]}]})
    _follow()
    ended = _now(family["山田 花子"])
    assert (ended.status, ended.end_reason, ended.ended_on) == (Status.STRUCK, "died", TODAY)


def test_a_move_within_the_town_changes_nothing(registry, family, system_actor):  # noqa: F811
    _register(family["山田 太郎"], "太郎")
    move_within(registry, family)
    _follow()
    assert _now(family["山田 太郎"]).status == Status.REGISTERED


@pytest.mark.parametrize(
    ("seal", "status"),
    [
        ("山田", Status.STRUCK),
        ("山田花子", Status.STRUCK),
        ("花子", Status.REGISTERED),
        ("花子印", Status.REGISTERED),
    ],
)
def test_a_new_surname_ends_a_seal_of_the_old_one_not_one_of_the_given_name(
    registry,  # noqa: F811
    family,
    system_actor,
    seal,
    status,
):
    _register(family["山田 花子"], seal)
    registry.move(move_body("ex_officio_modify", [{"atena_no": family["山田 花子"], "name": "佐藤 花子"}]))
    _follow()
    now = _now(family["山田 花子"])
    assert now.status == status
    assert now.end_reason == ("name-changed" if status == Status.STRUCK else "")


def test_a_page_of_events_in_a_fixed_number_of_queries(registry, family, system_actor):  # noqa: F811
    for name, seal in (("山田 太郎", "太郎"), ("山田 花子", "花子"), ("山田 一郎", "一郎")):
        _register(family[name], seal)
    move_out(registry, [family["山田 花子"]], days_ago(0))
    with CaptureQueriesContext(connection) as one:
        assert _follow().changes == 1
    move_out(registry, [family[n] for n in ("山田 太郎", "山田 一郎", "山田 次郎")], days_ago(0))
    with CaptureQueriesContext(connection) as three:
        assert _follow().changes == 2
    assert len(three) <= len(one)
    with tenant_context(AIZU):
        assert Event.objects.filter(type=events.ENDED).count() == 3


def test_the_follow_command_applies_the_move_out(registry, family, system_actor, capsys):  # noqa: F811
    """``yakuba seal follow`` is how a deployment runs the consumer (beside the server)."""
    from yakuba.cli import main

    _register(family["山田 花子"], "花子")
    move_out(registry, [family["山田 花子"]], days_ago(0))
    assert main(["seal", "follow", AIZU, "--until-caught-up"]) == 0
    assert _now(family["山田 花子"]).status == Status.ABOLISHED
    assert "（廃止・抹消 1 件）" in capsys.readouterr().out
    assert main(["seal", "follow", "999999", "--until-caught-up"]) == 2
