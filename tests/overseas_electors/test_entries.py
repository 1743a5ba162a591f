"""Registering an application, the 表示 of a 国内の住所 and the 抹消 (公職選挙法30条の11; civil-facts
§1.4): each at its boundary day, with its history, its 戸籍の附票 notice, its event and its audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.koseki_annex.conftest import HONSEKI, OTHER_HONSEKI, code
from tests.overseas_electors.conftest import (
    LONG_AGO,
    MISSION,
    PLANNED,
    TODAY,
    in_town,
    move_abroad,
    resident,
    run_roll,
)
from tests.overseas_electors.test_applications import mission
from tests.registry.conftest import move_in_body, person, registry  # noqa: F401 (fixture)
from yakuba.koseki_annex import services as koseki_annex
from yakuba.overseas_electors import events, services
from yakuba.overseas_electors.codes import Change, Status, StruckOff
from yakuba.overseas_electors.models import AnnexNotice, EntryChange
from yakuba.overseas_electors.rules.eligibility import months_on, struck_off_from
from yakuba.overseas_electors.services import queries
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


def registration(app, on, **given):
    return services.Registration(app.pk, on, given.get("mission", MISSION), given.get("overseas_address", ""))


def test_a_departure_application_is_registered_from_the_planned_day(registry, system_actor, on_day):  # noqa: F811
    voter = resident(registry, "在外 登録")
    run_roll()
    move_abroad(registry, voter)
    app = in_town(services.apply_departure, services.DepartureIn(voter, TODAY))
    on_day(PLANNED + timedelta(days=30))  # the 在留届 arrived a month later
    early = dict(in_town(services.check_registration, registration(app, PLANNED - timedelta(days=1))))
    assert "転出予定日" in early["on"]
    entry = in_town(services.register, registration(app, PLANNED))
    assert (entry.card_no, entry.registered_on, entry.atena_no, entry.mission) == (
        "00000001",
        PLANNED,
        voter,
        MISSION,
    )
    with tenant_context(AIZU):
        assert list(EntryChange.objects.values_list("change", "on")) == [(Change.REGISTERED, PLANNED)]
        notice = AnnexNotice.objects.get()
        assert (notice.change, notice.on) == (Change.REGISTERED, PLANNED)
        row = Event.objects.get(type=events.REGISTERED)
        assert row.subject == "00000001" and row.data["atena_no"] == voter and row.data["kind"] == "departure"
        app.refresh_from_db()
        assert app.status == Status.REGISTERED
    # Registered once: the application is no longer pending.
    assert dict(in_town(services.check_registration, registration(app, PLANNED))).keys() == {"application"}


def test_a_mission_application_is_held_until_three_months_in_the_area(aizu, system_actor):
    held = in_town(services.apply_mission, mission(arrived_on=months_on(TODAY, -3) + timedelta(days=1)))
    assert dict(in_town(services.check_registration, registration(held, TODAY))).keys() == {"on"}
    ready = in_town(services.apply_mission, mission(name="在外 満了", arrived_on=months_on(TODAY, -3)))
    assert in_town(services.check_registration, registration(ready, TODAY)) == []
    assert (
        "未来"
        in dict(in_town(services.check_registration, registration(ready, TODAY + timedelta(days=1))))["on"]
    )


def test_marked_then_struck_off_four_months_after_the_domestic_address_day(aizu, system_actor, on_day):
    app = in_town(services.apply_mission, mission())
    entry = in_town(services.register, registration(app, TODAY))
    came_home = TODAY + timedelta(days=3)
    in_town(services.mark_came_home, entry.card_no, came_home)
    first = struck_off_from(came_home)
    with pytest.raises(services.Refused) as refused:
        in_town(services.strike_off, entry.card_no, first - timedelta(days=1), StruckOff.CAME_HOME)
    assert refused.value.errors[0][0] == "on"
    assert in_town(services.strike_off_due, first - timedelta(days=1)) == 0
    assert in_town(services.strike_off_due, first) == 1
    assert in_town(services.strike_off_due, first) == 0  # once
    with tenant_context(AIZU):
        assert [(c.change, c.on) for c in EntryChange.objects.order_by("id")] == [
            (Change.REGISTERED, TODAY),
            (Change.MARKED, came_home),
            (Change.STRUCK_OFF, first),
        ]
        assert [(n.change, n.domicile) for n in AnnexNotice.objects.order_by("id")] == [
            (Change.REGISTERED, "福島県会津若松市東栄町3番"),
            (Change.STRUCK_OFF, "福島県会津若松市東栄町3番"),
        ]
        row = Event.objects.get(type=events.STRUCK_OFF)
        assert row.data == {"atena_no": "", "reason": "came_home", "on": first.isoformat()}
    # Off the book from that day, on it the day before.
    assert [x.card_no for x in in_town(queries.book, first - timedelta(days=1))[0]] == [entry.card_no]
    assert in_town(queries.book, first)[0] == []


def test_death_and_nationality_strike_off_at_once_and_a_struck_off_entry_is_closed(aizu, system_actor):
    first = in_town(services.register, registration(in_town(services.apply_mission, mission()), TODAY))
    second = in_town(
        services.register, registration(in_town(services.apply_mission, mission(name="在外 二")), TODAY)
    )
    in_town(services.strike_off, first.card_no, TODAY, StruckOff.DIED)
    in_town(services.strike_off, second.card_no, TODAY, StruckOff.NATIONALITY_LOST)
    with pytest.raises(services.Refused):
        in_town(services.strike_off, first.card_no, TODAY, StruckOff.WRONG)
    with pytest.raises(services.Refused) as refused:
        in_town(services.strike_off, "00000009", TODAY, "unknown")
    assert refused.value.errors[0][0] == "card_no"


def test_the_book_pages_in_fixed_queries_and_is_audited(aizu, system_actor, django_assert_max_num_queries):
    for i in range(7):
        in_town(
            services.register,
            registration(in_town(services.apply_mission, mission(name=f"在外 頁{i}")), TODAY),
        )
    with tenant_context(AIZU):
        with django_assert_max_num_queries(3):
            lines, after = queries.book(TODAY, limit=5)
        assert [x.card_no for x in lines] == [f"{n:08d}" for n in range(1, 6)] and after == "00000005"
        rest, after = queries.book(TODAY, after=after, limit=5)
        assert [x.card_no for x in rest] == ["00000006", "00000007"] and after == ""
        assert AuditEntry.objects.filter(resource="overseas_electors.entry", action="read").count() == 2


def test_the_annex_note_is_written_here_when_the_honseki_is_here_else_queued(registry, system_actor, on_day):  # noqa: F811
    """住基法17条の2: a 管内本籍人's 附票 gets the note through the 附票 app's door at once; a person
    whose 本籍 is elsewhere leaves a notice to send to that 本籍地."""
    here, elsewhere = code(7001), code(7002)
    people = [
        person("在外 管内", "ザイガイ カンナイ", "1970-03-03", 1, "世帯主", juminhyo_code=here,
               domicile=HONSEKI, domicile_head="在外 管内"),
        person("在外 管外", "ザイガイ カンガイ", "1971-04-04", 1, "世帯主", juminhyo_code=elsewhere,
               domicile=OTHER_HONSEKI, domicile_head="在外 管外"),
    ]  # fmt: skip
    voters = [
        registry.move(move_in_body(p, move_date=str(LONG_AGO), notified_date=str(LONG_AGO)))["persons"][0][
            "atena_no"
        ]
        for p in people
    ]
    run_roll()
    in_town(koseki_annex.follow, AIZU)  # the 附票 of the 管内本籍人
    for voter in voters:
        move_abroad(registry, voter)
    apps = [in_town(services.apply_departure, services.DepartureIn(v, TODAY)) for v in voters]
    on_day(PLANNED)
    for app in apps:
        in_town(services.register, registration(app, PLANNED))
    with tenant_context(AIZU):
        notices = {n.domicile: (n.recorded_here, n.sent_on) for n in AnnexNotice.objects.all()}
        annex = koseki_annex.annex_of_person(
            here, requested=[koseki_annex.Item.OVERSEAS_ELECTOR], purpose="確認"
        )
    assert notices == {HONSEKI: (True, PLANNED), OTHER_HONSEKI: (False, None)}
    [line] = annex.persons[0].elector
    assert (line.change, line.on, line.municipality) == ("registered", PLANNED, "福島県会津若松市")
