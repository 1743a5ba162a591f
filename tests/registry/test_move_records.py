"""What a clerk reads of a 異動: the 確認 before 更新, each person's history with its 異動,
処理者, 届出人 and changes, one 異動 by its 異動番号, and a 取消し by that number.

Sources: 住民記録システム標準仕様書 §1.2.1 (history keeps every earlier state), §4 (入力 →
確認 → 更新), 住民基本台帳法 第27条 (届出人・本人確認).
"""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS_2, move_body, move_in_body, person
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services
from yakuba.registry.services.changes import MY_NUMBER_CHANGED

pytestmark = pytest.mark.django_db

AGENT = {
    "kind": "agent",
    "name": "鈴木 一郎",
    "relation": "知人",
    "power_of_attorney": True,
    "identity_document": "driver_license",
}


def _family(registry):
    result = registry.move_in(person(), person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"))
    return result, [p["atena_no"] for p in result["persons"]]


def _whole_family_moves(result, taro, hanako) -> dict:
    """The 転居 of the whole 世帯 to ADDRESS_2."""
    return move_body(
        "move_within",
        [{"atena_no": taro}, {"atena_no": hanako}],
        household={"setai_no": result["setai_no"], "address": ADDRESS_2},
    )


def test_the_preview_shows_each_change_and_writes_nothing(registry):
    result, (taro, hanako) = _family(registry)
    body = _whole_family_moves(result, taro, hanako)
    with bind_actor(SYSTEM), tenant_context(AIZU):
        preview = services.preview_move(body)
        after = services.get_resident(taro)
    assert preview.errors == []
    changes = {c.label: (c.before, c.after) for c in preview.persons[0].changes}
    assert changes["住所"] == ("福島県会津若松市東栄町3番46号", "福島県会津若松市栄町1番1号")
    assert changes["方書"] == ("", "コーポ栄101")
    assert after.address == "福島県会津若松市東栄町3番46号"  # nothing written


def test_the_preview_reports_the_rules_as_the_move_would(registry):
    body = move_in_body(person(birth="2999-01-01"))
    with bind_actor(SYSTEM), tenant_context(AIZU):
        preview = services.preview_move(body)
    assert preview.persons == [] and any(f == "persons[0].birth_date" for f, _m in preview.errors)


def test_the_preview_warns_before_the_update_when_no_resident_code_is_left(registry):
    body = move_in_body(person(), origin="abroad")
    with bind_actor(SYSTEM), tenant_context(AIZU):
        preview = services.preview_move(body)
    assert (
        "住民票コードの在庫が足りません。住民票コードなしで記載し、在庫の補充後に記載してください"
        in preview.warnings
    )
    assert [c.label for c in preview.persons[0].changes][:2] == ["氏名", "氏名フリガナ"]
    assert all(c.before is None for c in preview.persons[0].changes)  # 記載: nothing before
    assert {c.label: c.after for c in preview.persons[0].changes}["世帯番号"] == "（新しい世帯）"


def test_history_has_move_numbers_actor_notifier_and_changes(registry):
    result, (taro, hanako) = _family(registry)
    moved = registry.move({**_whole_family_moves(result, taro, hanako), "notifier": AGENT})
    with bind_actor(SYSTEM), tenant_context(AIZU), CaptureQueriesContext(connections["default"]) as queries:
        entries = services.person_history(taro)
    assert len(queries) <= 4  # the 支援措置 check, history rows, their 異動 (one query whatever the length)
    first, second = entries
    assert first.move.move_no == result["move_no"] and second.move.move_no == moved["move_no"]
    assert first.move.kind == "move_in" and first.move.actor == "clerk-app"
    assert second.move.notifier["name"] == "鈴木 一郎" and second.move.notifier["power_of_attorney"] is True
    assert {c.label for c in second.changes} >= {"住所", "方書", "住所を定めた年月日"}
    assert all(c.before is None for c in first.changes)


def test_my_number_changes_are_shown_as_changed_never_as_the_number(registry):
    result = registry.move_in(person(my_number="123456789018"))
    taro = result["persons"][0]["atena_no"]
    with bind_actor(SYSTEM), tenant_context(AIZU):
        (entry,) = services.person_history(taro)
    change = next(c for c in entry.changes if c.label == "個人番号")
    assert change.after == MY_NUMBER_CHANGED and "123456789018" not in repr(entry.changes)


def test_one_move_by_its_number_with_each_persons_changes(registry):
    result, (taro, hanako) = _family(registry)
    moved = registry.move(_whole_family_moves(result, taro, hanako))
    with bind_actor(SYSTEM), tenant_context(AIZU):
        record = services.move_record(moved["move_no"])
        by_uuid = services.move_record(moved["move_id"])
    assert record == by_uuid and record.move.kind == "move_within" and record.hidden == 0
    assert [p.atena_no for p in record.persons] == sorted([taro, hanako])
    assert all(any(c.label == "住所" for c in p.changes) for p in record.persons)
    assert record.move.notifier == {
        **record.move.notifier,
        "kind": "self",
        "identity_document": "my_number_card",
    }


def test_a_move_is_canceled_by_its_number_and_shows_who_canceled_it(registry):
    result, (taro, hanako) = _family(registry)
    moved = registry.move(_whole_family_moves(result, taro, hanako))
    cancel = registry.move({"kind": "cancel", "cancel_move_id": moved["move_no"], "persons": []})
    with bind_actor(SYSTEM), tenant_context(AIZU):
        entries = services.person_history(taro)
        assert services.get_resident(taro).address == "福島県会津若松市東栄町3番46号"
    assert entries[1].move.canceled_by == cancel["move_no"]
    assert entries[2].move.cancels == moved["move_no"]


def test_an_unknown_move_number_is_named(registry):
    errors = registry.errors({"kind": "cancel", "cancel_move_id": "2026-999999", "persons": []})
    assert errors == ["取り消す異動 2026-999999 はありません"]


def test_a_foreign_residents_birth_date_is_shown_in_the_western_calendar(registry):
    from yakuba.registry.ui import change_display

    foreign = person(
        "SMITH JOHN",
        "スミス ジョン",
        "1985-07-04",
        resident_type=2,
        nationality="米国",
        residence_status="永住者",
    )
    body = move_in_body(foreign)
    with bind_actor(SYSTEM), tenant_context(AIZU):
        preview = services.preview_move(body)
    assert preview.errors == []
    (preview,) = preview.persons
    shown = {r["label"]: r["after"] for r in change_display.rows(preview.changes, foreign=preview.foreign)}
    assert preview.foreign and shown["生年月日"] == "1985年7月4日"
