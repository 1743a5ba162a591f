"""The 印鑑登録 door against real PostgreSQL (docs/seal_registration.md): same-day registration,
the 照会書 and its 回答書, the refusals with the clerk's messages, 廃止届 and 亡失届, and the
seal's image read only with an audit row."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.seal_registration.conftest import TODAY, application, image_of, in_town
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.seal_registration.codes import Applicant, Identity, Procedure, Status
from yakuba.seal_registration.models import Inquiry, Registration, RegistrationChange
from yakuba.seal_registration.rules import applicant as applicant_rules
from yakuba.seal_registration.rules import impression, procedure
from yakuba.seal_registration.services import registrations as door
from yakuba.seal_registration.services.registrations import InquirySent, Refused, Registered

pytestmark = pytest.mark.django_db


def refused(app) -> list[tuple[str, str]]:
    with pytest.raises(Refused) as caught:
        in_town(door.apply_registration, app)
    return caught.value.errors


def test_same_day_with_a_photo_id(family, system_actor):
    done = in_town(door.apply_registration, application(family["山田 太郎"]))
    assert isinstance(done, Registered) and done.procedure == Procedure.SAME_DAY
    assert done.registered_on == TODAY and len(done.registration_no) == 8 and len(done.card_no) == 8
    with tenant_context(AIZU):
        row = Registration.objects.get(registration_no=done.registration_no)
        assert bytes(row.image) == image_of("山田")
        assert row.image_sha256 == hashlib.sha256(image_of("山田")).hexdigest()
        assert row.checks["seal"] == [] and row.status == Status.REGISTERED
        assert list(RegistrationChange.objects.values_list("status", flat=True)) == ["registered"]
        assert AuditEntry.objects.filter(action="create", resource="seal_registration").count() == 1


def test_fifteen_today_may_fifteen_tomorrow_may_not(family, system_actor):
    assert isinstance(in_town(door.apply_registration, application(family["山田 一郎"], "一郎")), Registered)
    errors = refused(application(family["山田 次郎"], "次郎"))
    assert [f for f, _m in errors] == ["birth_date"]
    assert errors[0][1].startswith("15歳未満の方は印鑑登録ができません")


def test_every_refusal_at_once_with_the_clerk_s_messages(family, system_actor):
    errors = refused(application(family["山田 太郎"], "税理士山田", "30", image=b"GIF89a", deformable=True))
    assert errors == [
        ("image", door.BAD_IMAGE),
        ("text", impression.OTHER_MATTER),
        ("deformable", impression.DEFORMABLE),
        ("size", "印影が一辺25mmの正方形に収まらない大きさです（大きすぎます）"),
    ]
    assert refused(application("999999999999999")) == [
        ("atena_no", "宛名番号 999999999999999 の住民は見つかりません")
    ]
    with tenant_context(AIZU):
        assert not Registration.objects.exists()


def test_an_adult_ward_with_the_legal_representative(family, system_actor):
    assert refused(application(family["山田 太郎"], adult_ward=True)) == [
        ("guardian_present", applicant_rules.WARD_WITHOUT_GUARDIAN)
    ]
    app = application(family["山田 太郎"], adult_ward=True, guardian_present=True)
    assert isinstance(in_town(door.apply_registration, app), Registered)


def test_one_registration_per_person_and_not_a_household_member_s_seal(family, system_actor):
    taro = in_town(door.apply_registration, application(family["山田 太郎"]))
    assert refused(application(family["山田 太郎"], "太郎")) == [
        (
            "atena_no",
            f"すでに印鑑登録があります（印鑑登録番号 {taro.registration_no}）。新しい印鑑は、廃止届の後に登録してください",
        )
    ]
    # 花子 brings the 山田 seal her husband registered (another image of the same seal, 0.3 mm off)
    other_image = image_of("山田") + b"-another-scan"
    assert refused(application(family["山田 花子"], "山田", "15.3", image=other_image)) == [
        ("seal", impression.SAME_AS_HOUSEHOLD)
    ]
    assert isinstance(in_town(door.apply_registration, application(family["山田 花子"], "花子")), Registered)


def test_a_guarantor_who_is_a_registrant_allows_the_same_day(family, system_actor):
    taro = in_town(door.apply_registration, application(family["山田 太郎"]))
    assert refused(application(family["山田 花子"], "花子", identity=Identity.GUARANTOR)) == [
        ("guarantor", procedure.GUARANTOR_NOT_REGISTERED)
    ]
    app = application(
        family["山田 花子"],
        "花子",
        identity=Identity.GUARANTOR,
        guarantor_registration_no=taro.registration_no,
    )
    assert in_town(door.apply_registration, app).procedure == Procedure.SAME_DAY


def test_without_an_id_the_inquiry_then_the_reply_registers(family, system_actor):
    sent = in_town(door.apply_registration, application(family["山田 太郎"], identity=Identity.NONE))
    assert isinstance(sent, InquirySent)
    assert sent.deadline == TODAY + timedelta(days=30) and sent.address.endswith("東栄町3番46号")
    with tenant_context(AIZU):
        assert not Registration.objects.exists()
    done = in_town(door.answer_inquiry, sent.inquiry_no)
    assert done.procedure == Procedure.INQUIRY and done.atena_no == family["山田 太郎"]
    with tenant_context(AIZU):
        inquiry = Inquiry.objects.get(inquiry_no=sent.inquiry_no)
        assert (inquiry.status, inquiry.registration.registration_no) == ("answered", done.registration_no)
    with pytest.raises(Refused, match="回答済み"):
        in_town(door.answer_inquiry, sent.inquiry_no)


def test_a_late_reply_lapses_the_application(family, system_actor):
    sent = in_town(door.apply_registration, application(family["山田 太郎"], identity=Identity.NONE))
    with tenant_context(AIZU):
        Inquiry.objects.filter(inquiry_no=sent.inquiry_no).update(deadline=TODAY - timedelta(days=1))
    with pytest.raises(Refused) as caught:
        in_town(door.answer_inquiry, sent.inquiry_no)
    assert caught.value.errors[0][0] == "replied_on" and "を過ぎているため" in caught.value.errors[0][1]
    with tenant_context(AIZU):
        assert not Registration.objects.exists()


def test_an_agent_needs_the_power_of_attorney_and_gets_the_inquiry(family, system_actor):
    agent = {"applicant": Applicant.AGENT, "identity": Identity.PHOTO_ID}
    assert refused(application(family["山田 太郎"], **agent)) == [
        ("power_of_attorney", procedure.NO_POWER_OF_ATTORNEY)
    ]
    sent = in_town(door.apply_registration, application(family["山田 太郎"], power_of_attorney=True, **agent))
    assert isinstance(sent, InquirySent)


def test_abolition_and_the_lost_card(family, system_actor):
    taro = in_town(door.apply_registration, application(family["山田 太郎"]))
    ended = in_town(door.abolish, taro.registration_no)
    assert (ended.status, ended.end_reason, ended.ended_on) == (Status.ABOLISHED, "abolition", TODAY)
    with pytest.raises(Refused, match="すでに廃止されています"):
        in_town(door.abolish, taro.registration_no)
    again = in_town(door.apply_registration, application(family["山田 太郎"], "太郎"))
    lost = in_town(door.report_lost, again.card_no)
    assert (lost.status, lost.end_reason) == (Status.ABOLISHED, "lost")
    assert in_town(door.registration_of, family["山田 太郎"]).registration_no == again.registration_no
    with pytest.raises(Refused, match="印鑑登録証の番号 00000000"):
        in_town(door.report_lost, "00000000")


def test_every_read_of_the_image_is_audited(family, system_actor):
    taro = in_town(door.apply_registration, application(family["山田 太郎"]))
    assert in_town(door.seal_image, taro.registration_no) == image_of("山田")
    with tenant_context(AIZU):
        reads = list(AuditEntry.objects.filter(action="read", resource="seal_registration"))
    assert len(reads) == 1 and reads[0].subject_ids == [family["山田 太郎"]]
    assert reads[0].purpose == "印影の参照"


def test_the_check_writes_nothing(family, system_actor):
    app = application(family["山田 次郎"], "次郎", "7")
    assert [f for f, _m in in_town(door.check_registration, app)] == ["birth_date", "size"]
    assert in_town(door.check_registration, application(family["山田 太郎"])) == []
    with tenant_context(AIZU):
        assert not Registration.objects.exists() and not AuditEntry.objects.filter(
            resource="seal_registration"
        )


def _seal_events() -> list[tuple[str, str, dict]]:
    with tenant_context(AIZU):
        rows = Event.objects.filter(type__startswith="jp.yakuba.seal_registration.").order_by("seq")
        return [(row.type.split(".")[-2], row.subject, row.data) for row in rows]


def test_registered_and_ended_events_for_every_path(family, system_actor):
    """REGISTERED for a same-day registration and for a 回答書, ENDED for a 廃止届 and a 亡失届:
    the 宛名番号 as subject, the number and days as data, no seal and no 氏名 (events.py)."""
    taro = in_town(door.apply_registration, application(family["山田 太郎"]))
    sent = in_town(door.apply_registration, application(family["山田 花子"], "花子", identity=Identity.NONE))
    hanako = in_town(door.answer_inquiry, sent.inquiry_no)
    in_town(door.abolish, taro.registration_no)
    in_town(door.report_lost, hanako.card_no)
    day = TODAY.isoformat()
    assert _seal_events() == [
        ("registered", family["山田 太郎"], {"registration_no": taro.registration_no, "registered_on": day, "procedure": "same-day"}),
        ("registered", family["山田 花子"], {"registration_no": hanako.registration_no, "registered_on": day, "procedure": "inquiry"}),
        ("ended", family["山田 太郎"], {"registration_no": taro.registration_no, "status": "abolished", "reason": "abolition", "ended_on": day}),
        ("ended", family["山田 花子"], {"registration_no": hanako.registration_no, "status": "abolished", "reason": "lost", "ended_on": day}),
    ]  # fmt: skip
    # a refusal emits nothing
    refused(application(family["山田 次郎"], "次郎"))
    assert len(_seal_events()) == 4
