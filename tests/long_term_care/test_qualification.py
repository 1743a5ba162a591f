"""介護 第1号 資格 driven by the registry: the feed consumer's dates and 事由, the 65歳到達 job (the
day before the birthday), the events, the CLI — and the shared consumer checks
(tests/residence_qualification.py: resume after a kill, queries per page, a year's replay)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import TODAY, days_ago, move_body, person, registry  # noqa: F401 (fixture)
from tests.residence_qualification import *  # noqa: F403 (the shared tests run here)
from tests.residence_qualification import Domain, born_aged
from yakuba.long_term_care import codes
from yakuba.long_term_care import services as kaigo
from yakuba.long_term_care.codes import AcquiredReason, LostReason
from yakuba.long_term_care.events import ACQUIRED, LOST
from yakuba.long_term_care.services import qualification
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def domain() -> Domain:
    return Domain(kaigo, qualification.KAIGO, codes)


@pytest.fixture
def family(registry, system_actor):  # noqa: F811
    """A 世帯 moved in 30 days ago: 70, 64 (65th birthday in 5 days) and 40 years old."""
    birthday = TODAY + timedelta(days=5)
    moved = registry.move_in(
        person("介護 一郎", "カイゴ イチロウ", born_aged(70), 1),
        person("介護 花子", "カイゴ ハナコ", birthday.replace(year=birthday.year - 65).isoformat(), 2, "妻"),
        person("介護 次郎", "カイゴ ジロウ", born_aged(40), 1, "子"),
        move_date=days_ago(30),
    )
    return [p["atena_no"] for p in moved["persons"]], birthday


def test_a_move_in_at_65_acquires_and_a_move_out_loses_the_next_day(family, registry, domain):  # noqa: F811
    (old, wife, young), _birthday = family
    kaigo.follow(AIZU)
    assert domain.rows() == [(old, "acquired", TODAY - timedelta(days=30), AcquiredReason.MOVE_IN)]
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": old}, {"atena_no": young}],
            household={"new_head": wife},
            move_date=days_ago(2),
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
        )
    )
    kaigo.follow(AIZU)
    assert domain.rows()[1:] == [(old, "lost", TODAY - timedelta(days=1), LostReason.MOVE_OUT)]
    with tenant_context(AIZU):
        types = set(Event.objects.filter(subject=old).values_list("type", flat=True))
    assert {ACQUIRED, LOST} <= types


def test_65_is_reached_the_day_before_the_birthday(family, domain):
    (_old, wife, _young), birthday = family
    kaigo.follow(AIZU)
    reached = birthday - timedelta(days=1)
    assert kaigo.age_events(AIZU, reached - timedelta(days=1)) == 0
    assert kaigo.age_events(AIZU, birthday) == 0  # not the birthday itself
    assert kaigo.age_events(AIZU, reached) == 1
    assert kaigo.age_events(AIZU, reached) == 0
    assert domain.rows()[-1] == (wife, "acquired", reached, AcquiredReason.AGE)


def test_the_cli_follows_and_runs_the_age_job(family, capsys):
    from yakuba.cli import main

    _ids, birthday = family
    assert main(["insurance", "kaigo", "follow", AIZU, "--until-caught-up"]) == 0
    assert "処理したイベント: 累計 3 件（資格の変更 1 件）" in capsys.readouterr().out
    reached = (birthday - timedelta(days=1)).isoformat()
    assert main(["insurance", "kaigo", "age-events", AIZU, "--date", reached]) == 0
    assert "1 人が介護保険の資格を取得" in capsys.readouterr().out
