"""The municipality's 印鑑条例 settings (civil-facts §2, pitfall 6): each number the rules use is
the 条例's, set from a day by the 管理者 and never rewritten; every registration is checked under
the version in force that day."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.conftest import AIZU
from tests.seal_registration.conftest import TODAY, application, in_town
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.seal_registration.codes import Identity
from yakuba.seal_registration.rules import applicant as applicant_rules
from yakuba.seal_registration.rules import impression, procedure
from yakuba.seal_registration.rules.ordinance import DEFAULT
from yakuba.seal_registration.services import ordinance
from yakuba.seal_registration.services import registrations as door
from yakuba.seal_registration.services.registrations import Refused

pytestmark = pytest.mark.django_db


def _set(day=TODAY, **changes):
    return in_town(ordinance.set_from, day, **changes)


def _refused(fn, *args, **kwargs) -> list[tuple[str, str]]:
    with pytest.raises(Refused) as caught:
        in_town(fn, *args, **kwargs)
    return caught.value.errors


def test_the_defaults_until_a_version_and_each_version_from_its_day(aizu, system_actor):
    assert in_town(ordinance.in_force, TODAY) == DEFAULT and in_town(ordinance.history) == []
    _set(reply_days=14)
    later = _set(TODAY + timedelta(days=10), min_age=16)
    assert in_town(ordinance.in_force, TODAY).reply_days == 14
    assert in_town(ordinance.in_force, TODAY).min_age == 15  # the later version is not in force yet
    # a version starts from the one in force on its day: the 14 days are kept
    assert (later.ordinance.min_age, later.ordinance.reply_days) == (16, 14)
    assert in_town(ordinance.in_force, TODAY + timedelta(days=10)) == later.ordinance
    assert [s.effective_from for s in in_town(ordinance.history)] == [TODAY + timedelta(days=10), TODAY]
    with tenant_context(AIZU):
        rows = AuditEntry.objects.filter(resource="seal_registration.ordinance").order_by("id")
        assert [r.detail for r in rows] == [
            {"effective_from": TODAY.isoformat(), "reply_days": "14"},
            {"effective_from": (TODAY + timedelta(days=10)).isoformat(), "min_age": "16"},
        ]


def test_every_bad_setting_at_once_naming_its_field(aizu, system_actor):
    errors = _refused(
        ordinance.set_from,
        TODAY - timedelta(days=1),
        min_age=0,
        min_mm=Decimal("8.25"),
        max_mm=Decimal(8),
        alike_mm=Decimal(6),
        reply_days=0,
    )
    assert errors == [
        ("effective_from", ordinance.PAST),
        ("min_age", "登録できる年齢は1から20までで指定してください"),
        ("min_mm", "印影の大きさの下限（mm）は0.1mm単位で指定してください"),
        ("alike_mm", "類似とする大きさの差（mm）は0から5までで指定してください"),
        ("reply_days", "回答書の期限（日）は1から365までで指定してください"),
        ("max_mm", "印影の大きさの上限（mm）は下限より大きくしてください"),
    ]
    assert _refused(ordinance.set_from, TODAY, colour="red") == [("colour", "設定できない項目です: colour")]
    assert in_town(ordinance.history) == []


def test_the_registration_follows_the_settings(family, system_actor):
    """The age, the sizes, the 保証書, 成年被後見人 and the 回答書 deadline, each from the 条例."""
    _set(
        min_age=16, max_mm=Decimal(20), guarantor_allowed=False, adult_ward_with_guardian=False, reply_days=14
    )
    [(field, message)] = _refused(door.apply_registration, application(family["山田 一郎"], "一郎"))
    assert field == "birth_date" and message.startswith("16歳未満の方は印鑑登録ができません")
    assert _refused(door.apply_registration, application(family["山田 太郎"], size="21")) == [
        ("size", "印影が一辺20mmの正方形に収まらない大きさです（大きすぎます）")
    ]
    assert _refused(
        door.apply_registration, application(family["山田 太郎"], identity=Identity.GUARANTOR)
    ) == [("identity", procedure.GUARANTOR_NOT_ALLOWED)]
    ward = application(family["山田 太郎"], adult_ward=True, guardian_present=True)
    assert _refused(door.apply_registration, ward) == [("adult_ward", applicant_rules.WARD_BARRED)]
    sent = in_town(door.apply_registration, application(family["山田 太郎"], identity=Identity.NONE))
    assert sent.deadline == TODAY + timedelta(days=14)


def test_reading_the_settings_is_one_query(aizu, system_actor, django_assert_num_queries):
    _set(reply_days=20)
    with tenant_context(AIZU), django_assert_num_queries(1):
        assert ordinance.in_force(TODAY).reply_days == 20


def test_a_seal_in_kana_reads_the_registry_s_furigana(family, system_actor):
    """「はなこ」 for 山田 花子 (フリガナ ヤマダ ハナコ in the registry) — refused where the 条例
    does not accept kana (佐久市)."""
    assert in_town(door.check_registration, application(family["山田 花子"], "はなこ")) == []
    _set(kana_allowed=False)
    assert in_town(door.check_registration, application(family["山田 花子"], "はなこ")) == [
        ("text", impression.NOT_NAME)
    ]
