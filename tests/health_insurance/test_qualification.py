"""国保 資格 driven by the registry: the clerk's 加入届・脱退届 with their events, the feed consumer
(dates and 事由 of each change, no N+1, a killed run resumes to the same checksum), the age job."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.conftest import TODAY, days_ago, move_body, person, registry  # noqa: F401 (fixture)
from yakuba.health_insurance import services as kokuho
from yakuba.health_insurance.codes import AcquiredReason, LostReason, WorkKind
from yakuba.health_insurance.events import ACQUIRED, LOST
from yakuba.health_insurance.models import FeedPosition, Member, Qualification
from yakuba.health_insurance.services import qualification
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context

# The feed orders events by commit: the registry's 異動 must really commit for 国保 to read them.
pytestmark = pytest.mark.django_db(transaction=True)


def _rows() -> list[tuple]:
    with tenant_context(AIZU):
        return list(
            Qualification.objects.order_by("id").values_list("atena_no", "change", "effective_on", "reason")
        )


@pytest.fixture
def family(registry, system_actor):  # noqa: F811
    """A 世帯 of three moved in 30 days ago, enrolled by the clerk on the 転入日 (the 加入届)."""
    moved = registry.move_in(
        person("国保 一郎", "コクホ イチロウ", "1980-04-01", 1),
        person("国保 花子", "コクホ ハナコ", "1982-06-01", 2, "妻"),
        person("国保 次郎", "コクホ ジロウ", "1951-12-31", 1, "父"),
        move_date=days_ago(30),
    )
    ids = [p["atena_no"] for p in moved["persons"]]
    kokuho.follow(AIZU)
    with tenant_context(AIZU):
        assert {w.atena_no for w in kokuho.work_items(WorkKind.ENROLMENT)} == set(ids)
        for atena_no in ids:
            kokuho.enrol(
                atena_no, TODAY - timedelta(days=30), AcquiredReason.MOVE_IN, TODAY - timedelta(days=25)
            )
        assert kokuho.work_items(WorkKind.ENROLMENT) == []
    return moved["setai_no"], ids


def test_enrol_and_withdraw_record_audit_and_emit(family):
    """Fires ACQUIRED (enrol) and LOST (withdraw: 社保加入, 喪失 on the day the clerk gives)."""
    setai_no, (head, wife, _father) = family
    with tenant_context(AIZU):
        kokuho.withdraw(wife, TODAY, LostReason.JOINED_EMPLOYEE_INSURANCE, TODAY)
        data = {t: d for t, d in Event.objects.filter(subject=wife).values_list("type", "data")}
        assert data[ACQUIRED]["date"] == days_ago(30) and data[ACQUIRED]["reason"] == "move_in"
        assert data[LOST] == {
            "atena_no": wife,
            "setai_no": setai_no,
            "date": TODAY.isoformat(),
            "reason": "joined_employee",
            "notified_on": TODAY.isoformat(),
        }
        assert kokuho.insured_on(TODAY - timedelta(days=1)) >= {head, wife}
        assert wife not in kokuho.insured_on(TODAY)
        with pytest.raises(qualification.QualificationRejected, match="被保険者ではありません"):
            kokuho.withdraw(wife, TODAY, LostReason.JOINED_EMPLOYEE_INSURANCE, TODAY)
        with pytest.raises(qualification.QualificationRejected, match="すでに"):
            kokuho.enrol(head, TODAY, AcquiredReason.MOVE_IN, TODAY)
        with pytest.raises(qualification.QualificationRejected, match="取得事由"):
            kokuho.enrol(wife, TODAY, "nonsense", TODAY)


def test_birth_death_and_move_out_from_the_feed(family, registry):  # noqa: F811
    setai_no, (head, wife, father) = family
    baby = registry.move(
        move_body(
            "birth",
            [person("国保 桜", "コクホ サクラ", days_ago(5), 2, "子", previous_address="")],
            household={"setai_no": setai_no},
            move_date=days_ago(5),
        )
    )["persons"][0]["atena_no"]
    registry.move(move_body("death", [{"atena_no": wife}], move_date=days_ago(3)))
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": head}],
            household={"new_head": father, "relationships": {baby: "子の子"}},
            move_date=days_ago(2),
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
        )
    )
    kokuho.follow(AIZU)
    rows = _rows()[3:]
    assert rows == [
        (baby, "acquired", TODAY - timedelta(days=5), AcquiredReason.BIRTH),
        (wife, "lost", TODAY - timedelta(days=2), LostReason.DEATH),  # the day after death
        (head, "lost", TODAY - timedelta(days=1), LostReason.MOVE_OUT),  # the day after 転出
    ]
    with tenant_context(AIZU):
        household = qualification.KokuhoHousehold.objects.get(setai_no=setai_no)
        # the head left: the registry named a new head, who is insured (or a 擬制世帯主 if not)
        assert household.head_atena_no == father
        assert household.pseudo_head == (household.head_atena_no not in kokuho.insured_on(TODAY))


def test_the_75th_birthday_loses_on_the_day_and_the_member_stays_as_special(family):
    _setai, (_head, _wife, father) = family
    birthday = date(2026, 12, 31)
    assert kokuho.age_events(AIZU, birthday - timedelta(days=1)) == 0
    assert kokuho.age_events(AIZU, birthday) == 1
    assert kokuho.age_events(AIZU, birthday) == 0  # twice changes nothing
    assert _rows()[-1] == (father, "lost", birthday, LostReason.LATE_ELDERLY)
    with tenant_context(AIZU):
        member = Member.objects.get(atena_no=father)
        assert (member.insured, member.special_from, member.special_until) == (False, birthday, None)
        assert [w.atena_no for w in kokuho.work_items(WorkKind.AGE_75)] == [father]


def _town(registry):  # noqa: F811
    """Several 世帯 moved in, seeded as insured, then births, deaths and 転出 (30 events)."""
    households = []
    for i, kana in enumerate("アイウエオカ"):
        moved = registry.move_in(
            person(f"町民 {i}", f"チョウミン {kana}", "1985-01-01", 1),
            person(f"町民 妻{i}", f"チョウミン ツマ{kana}", "1987-01-01", 2, "妻"),
            move_date=days_ago(60),
        )
        households.append((moved["setai_no"], [p["atena_no"] for p in moved["persons"]]))
    kokuho.seed_insured(AIZU, TODAY - timedelta(days=40))
    for i, (setai_no, (_head, wife)) in enumerate(households):
        registry.move(
            move_body(
                "birth",
                [
                    person(
                        f"町民 子{i}",
                        f"チョウミン コ{'アイウエオカ'[i]}",
                        days_ago(20),
                        1,
                        "子",
                        previous_address="",
                    )
                ],
                household={"setai_no": setai_no},
                move_date=days_ago(20),
            )
        )
        if i % 2:
            registry.move(move_body("death", [{"atena_no": wife}], move_date=days_ago(10)))
        else:
            registry.move(
                move_body(
                    "move_within",
                    [{"atena_no": wife, "relationship": "世帯主"}],
                    household={
                        "address": {"postal_code": "9650871", "town_area": "栄町", "block": f"{i}番1号"}
                    },
                    move_date=days_ago(8),
                )
            )


def test_a_killed_consumer_resumes_to_the_same_state(registry, system_actor, monkeypatch):  # noqa: F811
    _town(registry)
    with tenant_context(AIZU):
        start = FeedPosition.objects.get().cursor
    kokuho.follow(AIZU, limit=4)
    with tenant_context(AIZU):
        uninterrupted = kokuho.checksum()
        # start again from the seed: only the consumer's rows go (the seeded are kept)
        Qualification.objects.exclude(reason=AcquiredReason.MIGRATION).delete()
        for model in (qualification.WorkItem, qualification.KokuhoHousehold):
            model.objects.all().delete()
        Member.objects.all().update(insured=True)
        Member.objects.exclude(atena_no__in=Qualification.objects.values("atena_no")).delete()
        FeedPosition.objects.update(cursor=start, events=0)
    flushes, real = [], qualification.Ledger.flush

    class Killed(Exception):
        pass

    def dying(self, detail=None):
        flushes.append(1)
        if len(flushes) == 3:  # killed inside the third page's transaction
            raise Killed
        return real(self, detail)

    monkeypatch.setattr(qualification.Ledger, "flush", dying)
    with pytest.raises(Killed):
        kokuho.follow(AIZU, limit=4)
    monkeypatch.setattr(qualification.Ledger, "flush", real)
    with tenant_context(AIZU):
        assert FeedPosition.objects.get().events == 8  # two pages committed, the third rolled back
    kokuho.follow(AIZU, limit=4)
    with tenant_context(AIZU):
        assert kokuho.checksum() == uninterrupted


def test_a_page_costs_the_same_queries_whatever_its_size(registry, system_actor):  # noqa: F811
    _town(registry)
    with tenant_context(AIZU):
        start = FeedPosition.objects.get().cursor
    with CaptureQueriesContext(connections["default"]) as small:
        kokuho.follow(AIZU, limit=6, pages=1)
    with tenant_context(AIZU):
        FeedPosition.objects.update(cursor=start, events=0)
        Qualification.objects.exclude(reason=AcquiredReason.MIGRATION).delete()
    with CaptureQueriesContext(connections["default"]) as large:
        kokuho.follow(AIZU, limit=24, pages=1)
    assert len(large) == len(small) <= 25


def test_the_cli_follows_and_runs_the_age_job(family, capsys):
    from yakuba.cli import main

    assert main(["insurance", "kokuho", "follow", AIZU, "--until-caught-up"]) == 0
    assert "処理したイベント: 累計 3 件" in capsys.readouterr().out
    assert main(["insurance", "kokuho", "age-events", AIZU, "--date", "2026-12-31"]) == 0
    assert "1 人が国民健康保険の資格を喪失" in capsys.readouterr().out
    assert main(["insurance", "kokuho", "age-events", AIZU, "--date", "2026-13-01"]) == 2
