"""出国時申請 and 在外公館申請 through real registry 異動 and a real 選挙人名簿 run (civil-facts §1.4):
the window from the 転出届 to the 転出予定日, the person on the roll or qualified by the 予定日, the
registering municipality, and the 国外転出 work items the registry consumer raises."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.elections.conftest import born_for_birthday
from tests.overseas_electors.conftest import (
    ABROAD,
    MISSION,
    PLANNED,
    TODAY,
    follow_registry,
    in_town,
    move_abroad,
    resident,
    run_roll,
)
from tests.registry.conftest import registry  # noqa: F401 (fixture)
from yakuba.overseas_electors import services
from yakuba.overseas_electors.codes import Basis, LeadStatus, Status
from yakuba.overseas_electors.models import DepartureLead
from yakuba.overseas_electors.rules.eligibility import months_on
from yakuba.overseas_electors.services import queries
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


def errors_of(atena_no: str, applied_on=TODAY) -> dict:
    return dict(in_town(services.check_departure, services.DepartureIn(atena_no, applied_on)))


def test_a_voter_applies_from_the_move_out_notice_to_the_planned_day(registry, system_actor):  # noqa: F811
    voter = resident(registry, "在外 出国")
    run_roll()
    move_abroad(registry, voter)
    assert errors_of(voter, TODAY - timedelta(days=1)).keys() == {"applied_on"}  # before the 転出届
    assert errors_of(voter, PLANNED + timedelta(days=1)).keys() == {"applied_on"}  # after the 予定日
    assert errors_of(voter, PLANNED) == {}
    app = in_town(services.apply_departure, services.DepartureIn(voter, TODAY))
    assert (app.status, app.basis, app.planned_move_out_on, app.overseas_address) == (
        Status.PENDING,
        Basis.LAST_ADDRESS,
        PLANNED,
        ABROAD,
    )
    assert app.moved_out_filed_on == TODAY and app.name == "在外 出国"
    # A second application while the first is pending is refused.
    assert "受理済み" in errors_of(voter)["atena_no"]


def test_the_window_opens_on_the_move_out_notice_day_as_filed(registry, system_actor):  # noqa: F811
    """The 転出届's 届出日 (entered two days later from the paper form) opens the window, not the
    day it was processed."""
    voter = resident(registry, "在外 届出日")
    run_roll()
    filed = TODAY - timedelta(days=2)
    registry.move(
        {"kind": "move_out", "move_date": PLANNED.isoformat(), "destination": "abroad", "destination_address": ABROAD,
         "persons": [{"atena_no": voter}], "notified_date": filed.isoformat(),
         "notifier": {"kind": "self", "identity_document": "my_number_card"}}
    )  # fmt: skip
    assert errors_of(voter, filed) == {}
    assert errors_of(voter, filed - timedelta(days=1)).keys() == {"applied_on"}
    app = in_town(services.apply_departure, services.DepartureIn(voter, filed))
    assert app.moved_out_filed_on == filed


def test_a_trustee_applies_with_the_persons_statement(registry, system_actor):  # noqa: F811
    voter = resident(registry, "在外 委任")
    run_roll()
    move_abroad(registry, voter)
    without = services.DepartureIn(voter, TODAY, agent_name="代理 花子")
    assert dict(in_town(services.check_departure, without)).keys() == {"statement"}
    app = in_town(services.apply_departure, services.DepartureIn(voter, TODAY, "代理 花子", statement=True))
    assert app.agent_name == "代理 花子"


def test_a_domestic_move_out_or_a_resident_staying_cannot_apply(registry, system_actor):  # noqa: F811
    staying = resident(registry, "在外 残留")
    run_roll()
    assert "国外への転出届" in errors_of(staying)["atena_no"]
    assert "見つかりません" in errors_of("999999999999999")["atena_no"]


def test_not_on_the_roll_but_qualified_by_the_planned_day(registry, system_actor):  # noqa: F811
    """外務省・坂出市: 転出予定日までに登録資格を得る方を含む — three months from the 転入届 and 18."""
    in_time = resident(registry, "在外 期限内", notified=months_on(PLANNED, -3))
    late = resident(registry, "在外 期限後", notified=months_on(PLANNED, -3) + timedelta(days=1))
    eighteen = resident(registry, "在外 十八", born_for_birthday(PLANNED + timedelta(days=1)))
    too_young = resident(registry, "在外 十七", born_for_birthday(PLANNED + timedelta(days=2)))
    run_roll()
    for atena_no in (in_time, late, eighteen, too_young):
        move_abroad(registry, atena_no)
    assert errors_of(in_time) == {}
    assert errors_of(eighteen) == {}
    assert "登録資格も得ません" in errors_of(late)["atena_no"]
    assert "登録資格も得ません" in errors_of(too_young)["atena_no"]


def test_the_registry_consumer_raises_a_work_item_for_each_move_abroad(registry, system_actor):  # noqa: F811
    voter = resident(registry, "在外 案内")
    child = resident(registry, "在外 子", born_for_birthday(PLANNED + timedelta(days=2)))
    domestic = resident(registry, "在外 国内")
    run_roll()
    move_abroad(registry, voter)
    move_abroad(registry, child)  # not 18 by the 予定日: no item
    registry.move(
        {"kind": "move_out", "move_date": PLANNED.isoformat(), "destination": "domestic",
         "destination_address": "東京都千代田区千代田1番1号", "persons": [{"atena_no": domestic}],
         "notifier": {"kind": "self", "identity_document": "my_number_card"}}
    )  # fmt: skip
    assert follow_registry().changes == 1
    assert follow_registry().changes == 0  # followed again: nothing doubled
    leads = in_town(queries.open_leads, TODAY)
    assert [(x.atena_no, x.filed_on, x.planned_on) for x in leads] == [(voter, TODAY, PLANNED)]
    assert in_town(queries.open_leads, PLANNED + timedelta(days=1)) == []  # the window has closed
    in_town(services.apply_departure, services.DepartureIn(voter, TODAY))
    assert in_town(lambda: DepartureLead.objects.get().status) == LeadStatus.APPLIED


def test_a_canceled_move_abroad_withdraws_its_work_item(registry, system_actor):  # noqa: F811
    followed, same_page = resident(registry, "在外 取消一"), resident(registry, "在外 取消二")
    run_roll()
    first = move_abroad(registry, followed)
    assert follow_registry().changes == 1
    registry.move({"kind": "cancel", "cancel_move_id": first["move_id"]})
    # A 国外転出 and its 取消し in one page: no item at all.
    registry.move({"kind": "cancel", "cancel_move_id": move_abroad(registry, same_page)["move_id"]})
    follow_registry()
    assert in_town(queries.open_leads, TODAY) == []
    with tenant_context(AIZU):
        assert list(DepartureLead.objects.values_list("atena_no", "status")) == [
            (followed, LeadStatus.CANCELED)
        ]


def mission(**given):
    fields = dict(
        applied_on=TODAY,
        name="在外 公館",
        birth_date=TODAY.replace(year=TODAY.year - 40),
        domicile="福島県会津若松市東栄町3番",
        mission=MISSION,
        overseas_address=ABROAD,
        arrived_on=months_on(TODAY, -3),
    )
    return services.MissionIn(**(fields | given))


def test_mission_applications_and_the_registering_municipality(registry, system_actor):  # noqa: F811
    never = in_town(services.apply_mission, mission())
    assert (never.basis, never.domestic_address) == (Basis.DOMICILE, "福島県会津若松市東栄町3番")
    left_before = dict(
        in_town(services.check_mission, mission(left_japan_on=TODAY.replace(year=1994, month=4, day=30)))
    )
    assert left_before == {}
    left_after = dict(
        in_town(services.check_mission, mission(left_japan_on=TODAY.replace(year=1994, month=5, day=1)))
    )
    assert "最終住所地" in left_after["atena_no"]
    here = resident(registry, "在外 在住")
    assert "国内に住民票" in dict(in_town(services.check_mission, mission(atena_no=here)))["atena_no"]
    blank = dict(
        in_town(services.check_mission, mission(name=" ", mission="", birth_date=None, arrived_on=None))
    )
    assert blank.keys() == {"name", "mission", "birth_date", "arrived_on"}


def test_a_former_resident_applies_at_the_mission_with_the_registrys_last_address(registry, system_actor):  # noqa: F811
    gone = resident(registry, "在外 既出国")
    registry.move(
        {"kind": "move_out", "move_date": (TODAY - timedelta(days=200)).isoformat(), "destination": "abroad",
         "destination_address": ABROAD, "persons": [{"atena_no": gone}],
         "notified_date": (TODAY - timedelta(days=200)).isoformat(),
         "notifier": {"kind": "self", "identity_document": "my_number_card"}}
    )  # fmt: skip
    app = in_town(services.apply_mission, mission(atena_no=gone, name="", birth_date=None))
    assert (app.basis, app.left_japan_on, app.name) == (
        Basis.LAST_ADDRESS,
        TODAY - timedelta(days=200),
        "在外 既出国",
    )
    assert app.domestic_address.startswith("福島県") and app.birth_date.year == 1980


def test_a_page_of_events_takes_the_same_queries_whatever_its_size(registry, system_actor):  # noqa: F811
    """No query per event: the roll is asked when a person applies, not when the 転出 is read."""
    people = [resident(registry, f"在外 頁{i}") for i in range(6)]
    follow_registry()  # the consumer's cursor row, made once
    counts = []
    for batch in (people[:1], people[1:6]):
        for atena_no in batch:
            move_abroad(registry, atena_no)
        with CaptureQueriesContext(connection) as queries_made:
            assert follow_registry().changes == len(batch)
        counts.append(len(queries_made))
    assert counts[0] == counts[1]
