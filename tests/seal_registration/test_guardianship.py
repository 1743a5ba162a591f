"""The 法務局's 登記事項通知 of 成年後見 (civil-facts §2.1): a registrant who comes under 成年後見 is
struck off when the notice arrives (where the 条例 says so) and registers again only as a
成年被後見人 with the 法定代理人; a 後見終了 ends that."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.seal_registration.conftest import TODAY, application, in_town
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.seal_registration import events
from yakuba.seal_registration.codes import GuardianshipKind, Status
from yakuba.seal_registration.models import GuardianshipNotice, RegistrationChange
from yakuba.seal_registration.rules import applicant as applicant_rules
from yakuba.seal_registration.services import guardianship, ordinance
from yakuba.seal_registration.services import registrations as door
from yakuba.seal_registration.services.registrations import Refused, Registered

pytestmark = pytest.mark.django_db
STARTED, ENDED = GuardianshipKind.STARTED, GuardianshipKind.ENDED
LAST_WEEK = TODAY - timedelta(days=7)


def _refused(fn, *args, **kwargs) -> list[tuple[str, str]]:
    with pytest.raises(Refused) as caught:
        in_town(fn, *args, **kwargs)
    return caught.value.errors


def test_the_notice_strikes_the_registration_off_and_the_person_registers_again_as_a_ward(
    family, system_actor
):
    taro = family["山田 太郎"]
    done = in_town(door.apply_registration, application(taro))
    received = in_town(guardianship.receive, taro, STARTED, LAST_WEEK)
    assert received.struck_registration_no == done.registration_no and received.received_on == TODAY
    now = in_town(door.registration_of, taro)
    assert (now.status, now.end_reason, now.ended_on) == (Status.STRUCK, "guardianship", TODAY)
    with tenant_context(AIZU):
        assert RegistrationChange.objects.filter(reason="guardianship").count() == 1
        assert GuardianshipNotice.objects.get().registration.registration_no == done.registration_no
        ended = Event.objects.get(type=events.ENDED)
    assert (ended.subject, ended.data["status"], ended.data["reason"]) == (taro, "struck", "guardianship")
    # the notice makes him a 成年被後見人 whatever the application says
    assert _refused(door.apply_registration, application(taro, "太郎")) == [
        ("adult_ward", applicant_rules.NOTIFIED_WARD)
    ]
    ward = application(taro, "太郎", adult_ward=True, guardian_present=True)
    assert isinstance(in_town(door.apply_registration, ward), Registered)


def test_a_notice_of_the_end_lifts_it(family, system_actor):
    hanako = family["山田 花子"]
    in_town(guardianship.receive, hanako, STARTED, LAST_WEEK)
    assert in_town(door.check_registration, application(hanako, "花子"))[0][0] == "adult_ward"
    in_town(guardianship.receive, hanako, ENDED, TODAY)
    assert in_town(door.check_registration, application(hanako, "花子")) == []


def test_a_municipality_whose_ordinance_keeps_the_registration(family, system_actor):
    taro = family["山田 太郎"]
    in_town(door.apply_registration, application(taro))
    in_town(ordinance.set_from, TODAY, strike_on_guardianship=False)
    assert in_town(guardianship.receive, taro, STARTED, LAST_WEEK).struck_registration_no == ""
    assert in_town(door.registration_of, taro).status == Status.REGISTERED
    with tenant_context(AIZU):
        assert GuardianshipNotice.objects.filter(registration=None).count() == 1


def test_bad_notices_are_refused_naming_the_field(family, system_actor):
    tomorrow = TODAY + timedelta(days=1)
    assert _refused(guardianship.receive, "999999999999999", STARTED, tomorrow) == [
        ("atena_no", "宛名番号 999999999999999 の住民は見つかりません"),
        ("registered_on", "登記日に未来の日は指定できません"),
    ]
    assert _refused(guardianship.receive, family["山田 太郎"], STARTED, TODAY, received_on=LAST_WEEK) == [
        ("received_on", guardianship.BEFORE_REGISTERED)
    ]
    with tenant_context(AIZU):
        assert not GuardianshipNotice.objects.exists()
