"""後期 資格 driven by the registry: the feed consumer's dates and 事由, the 75歳到達 job, the
clerk's 障害認定 and 生活保護, the events, the CLI — and the shared consumer checks
(tests/residence_qualification.py: resume after a kill, queries per page, a year's replay)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import TODAY, days_ago, move_body, person, registry  # noqa: F401 (fixture)
from tests.residence_qualification import *  # noqa: F403 (the shared tests run here)
from tests.residence_qualification import Domain, born_aged
from yakuba.late_elderly_medical import codes
from yakuba.late_elderly_medical import services as kouki
from yakuba.late_elderly_medical.codes import AcquiredReason, LostReason
from yakuba.late_elderly_medical.events import ACQUIRED, LOST
from yakuba.late_elderly_medical.services import qualification
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context

# The feed orders events by commit: the registry's 異動 must really commit for 後期 to read them.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def domain() -> Domain:
    return Domain(kouki, qualification.KOUKI, codes)


@pytest.fixture
def family(registry, system_actor):  # noqa: F811
    """A 世帯 moved in 30 days ago: 80, 74 (75 in 5 days) and 70 years old."""
    turning = (TODAY + timedelta(days=5)).replace(year=TODAY.year - 75)
    moved = registry.move_in(
        person("後期 一郎", "コウキ イチロウ", born_aged(80), 1),
        person("後期 花子", "コウキ ハナコ", turning.isoformat(), 2, "妻"),
        person("後期 次郎", "コウキ ジロウ", born_aged(70), 1, "兄"),
        move_date=days_ago(30),
    )
    return [p["atena_no"] for p in moved["persons"]], TODAY + timedelta(days=5)


def test_a_move_in_at_75_acquires_and_a_death_loses_the_next_day(family, registry, domain):  # noqa: F811
    (old, wife, younger), _birthday = family
    kouki.follow(AIZU)
    assert domain.rows() == [(old, "acquired", TODAY - timedelta(days=30), AcquiredReason.MOVE_IN)]
    registry.move(move_body("death", [{"atena_no": younger}], move_date=days_ago(3)))  # not insured
    registry.move(
        move_body("death", [{"atena_no": old}], household={"new_head": wife}, move_date=days_ago(3))
    )
    kouki.follow(AIZU)
    assert domain.rows()[1:] == [(old, "lost", TODAY - timedelta(days=2), LostReason.DEATH)]
    with tenant_context(AIZU):
        data = {t: d for t, d in Event.objects.filter(subject=old).values_list("type", "data") if "late" in t}
    assert data[ACQUIRED] == {
        "atena_no": old,
        "date": days_ago(30),
        "reason": "move_in",
        "notified_on": "",
    }
    assert data[LOST]["date"] == days_ago(2)


def test_the_75th_birthday_acquires_on_the_day(family, domain):
    (_old, wife, _younger), birthday = family
    kouki.follow(AIZU)
    assert kouki.age_events(AIZU, birthday - timedelta(days=1)) == 0
    assert kouki.age_events(AIZU, birthday) == 1
    assert kouki.age_events(AIZU, birthday) == 0  # twice changes nothing
    assert domain.rows()[-1] == (wife, "acquired", birthday, AcquiredReason.AGE)
    with tenant_context(AIZU):
        assert wife in kouki.insured_on(birthday) and wife not in kouki.insured_on(
            birthday - timedelta(days=1)
        )


def test_disability_certification_from_65_to_74(family, domain):
    (old, _wife, younger), _birthday = family
    kouki.follow(AIZU)
    with tenant_context(AIZU):
        kouki.enrol(younger, TODAY, TODAY)
        assert younger in kouki.insured_on(TODAY)
        with pytest.raises(kouki.QualificationRejected, match="すでに"):
            kouki.enrol(younger, TODAY, TODAY)
        with pytest.raises(kouki.QualificationRejected, match="65歳以上75歳未満"):
            kouki.enrol(old, TODAY, TODAY)
    assert domain.rows()[-1] == (younger, "acquired", TODAY, AcquiredReason.DISABILITY)


def test_welfare_recipients_are_excluded_until_it_ends(registry, system_actor, domain):  # noqa: F811
    moved = registry.move_in(person("保護 一郎", "ホゴ イチロウ", born_aged(78), 1), move_date=days_ago(10))
    (atena_no,) = [p["atena_no"] for p in moved["persons"]]
    kouki.follow(AIZU)
    with tenant_context(AIZU):
        kouki.set_welfare(atena_no, TODAY - timedelta(days=5), receiving=True, notified_on=TODAY)
        assert atena_no not in kouki.insured_on(TODAY - timedelta(days=5))  # 生保開始: the same day
        assert atena_no in kouki.insured_on(TODAY - timedelta(days=6))
    # an excluded person is not enrolled by a later event or the age job
    assert kouki.age_events(AIZU, TODAY) == 0
    with tenant_context(AIZU):
        kouki.set_welfare(atena_no, TODAY, receiving=False, notified_on=TODAY)
    assert [r[3] for r in domain.rows()] == [
        AcquiredReason.MOVE_IN,
        LostReason.WELFARE_STARTED,
        AcquiredReason.WELFARE_ENDED,
    ]


def test_the_cli_follows_and_runs_the_age_job(family, capsys):
    from yakuba.cli import main

    _ids, birthday = family
    assert main(["insurance", "kouki", "follow", AIZU, "--until-caught-up"]) == 0
    assert "処理したイベント: 累計 3 件（資格の変更 1 件）" in capsys.readouterr().out
    assert main(["insurance", "kouki", "age-events", AIZU, "--date", birthday.isoformat()]) == 0
    assert "1 人が後期高齢者医療の資格を取得" in capsys.readouterr().out
    assert main(["insurance", "kouki", "age-events", AIZU, "--date", "2026-13-01"]) == 2
