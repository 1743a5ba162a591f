"""At the counter: 届出人 and 本人確認, the 異動番号, the duplicate-person check and idempotent
retries over the API — each with the message the clerk or the client sees.

Sources: 住民基本台帳法 第6条・第7条 (one 住民票 per person), 第26条 (世帯主・世帯員 file for
the others), 第27条 (本人確認); the Idempotency-Key convention of docs/reference/contract.md.
"""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import days_ago, move_body, move_in_body, person
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.models import Move, Resident

pytestmark = pytest.mark.django_db


def _post(registry, body: dict, key: str | None = None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return registry.client.post(
        f"/api/v1/{AIZU}/registry/moves",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {registry.token}",
        **headers,
    )


def _count(model) -> int:
    with tenant_context(AIZU):
        return model.objects.count()


# --- 届出人・本人確認 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notifier", "field", "message"),
    [
        (
            {"identity_document": "passport"},
            "notifier.kind",
            "届出人の区分（本人・世帯主・世帯員・代理人）を選んでください",
        ),
        (
            {"kind": "agent", "identity_document": "passport"},
            "notifier.name",
            "届出人の氏名を入力してください",
        ),
        (
            {"kind": "agent", "name": "鈴木 一郎", "identity_document": "driver_license"},
            "notifier.power_of_attorney",
            "代理人による届出には委任状が必要です",
        ),
        (
            {"kind": "self"},
            "notifier.identity_document",
            "本人確認書類を選んでください（住民基本台帳法 第27条）",
        ),
        (
            {"kind": "self", "identity_document": "passport", "channel": "post"},
            "notifier.channel",
            "郵送で届け出られるのは転出届だけです。窓口での届出を記録してください",
        ),
    ],
)
def test_notifier_rules(registry, notifier, field, message):
    response = _post(registry, {**move_in_body(person()), "notifier": notifier})
    assert response.status_code == 422
    assert {"field": field, "message": message} in response.json()["errors"]


def test_an_agent_with_a_power_of_attorney_is_recorded_with_the_move(registry):
    notifier = {
        "kind": "agent",
        "name": "鈴木 一郎",
        "relation": "知人",
        "address": "東京都千代田区千代田1番1号",
        "power_of_attorney": True,
        "identity_document": "driver_license",
    }
    result = registry.move({**move_in_body(person()), "notifier": notifier})
    assert not [w for w in result["warnings"] if "届出人" in w]
    with tenant_context(AIZU):
        filed = Move.objects.get(move_no=result["move_no"]).request["notifier"]
    assert filed["name"] == "鈴木 一郎" and filed["power_of_attorney"] is True
    assert filed["identity_document"] == "driver_license" and filed["channel"] == "counter"


def test_a_move_out_may_come_by_post(registry):
    moved = registry.move_in(person())
    atena = moved["persons"][0]["atena_no"]
    out = registry.move(
        move_body(
            "move_out",
            [{"atena_no": atena}],
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
            notifier={"kind": "self", "identity_document": "passport", "channel": "post"},
        )
    )
    assert out["warnings"] == []


def test_a_notification_without_its_notifier_is_recorded_with_a_warning(registry):
    body = move_in_body(person())
    del body["notifier"]
    assert (
        "届出人が記録されていません（届出人と本人確認書類を記録してください）"
        in registry.move(body)["warnings"]
    )


# --- 異動番号 ---------------------------------------------------------------------------------


def test_move_numbers_are_the_year_and_a_serial_without_gaps(registry):
    first = registry.move_in(person())["move_no"]
    _post(registry, {**move_in_body(person("青木 次郎", "アオキ ジロウ")), "notifier": {}})  # refused
    second = registry.move_in(person("青木 三郎", "アオキ サブロウ"))["move_no"]
    year, serial = first.split("-")
    assert year == str(timezone.localdate().year) and len(serial) == 6
    assert second == f"{year}-{int(serial) + 1:06d}"


# --- 二重登録 ---------------------------------------------------------------------------------


def test_a_second_identical_move_in_is_held_until_the_clerk_confirms(registry):
    first = registry.move_in(person(), person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"))
    taro = first["persons"][0]["atena_no"]
    response = _post(
        registry, move_in_body(person(), person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"))
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0] == {
        "field": "persons[0].name",
        "message": f"氏名・生年月日が同じ住民がいます（宛名番号 {taro}、昭和35年1月7日生、福島県会津若松市東栄町3番46号）。"
        "同一人でないことを確認したうえで「同一人でないことを確認済み」を指定してください",
    }
    assert [e["field"] for e in errors] == ["persons[0].name", "persons[1].name"]
    confirmed = registry.move({**move_in_body(person()), "confirm_duplicates": True})
    assert confirmed["warnings"][-1] == (
        f"氏名・生年月日が同じ住民（宛名番号 {taro}、昭和35年1月7日生、福島県会津若松市東栄町3番46号）と同一人でないことを確認して記載しました"
    )


def test_the_same_person_twice_in_one_move_is_refused(registry):
    response = _post(registry, move_in_body(person(), person(rel="子")))
    assert {"field": "persons[1].name", "message": "1人目と同じ人が入力されています"} in response.json()[
        "errors"
    ]


def test_a_match_by_kana_alone_counts(registry):
    registry.move_in(person())
    response = _post(registry, move_in_body(person(name="青木 太朗")))
    assert (
        response.status_code == 422
        and "氏名・生年月日が同じ住民がいます" in response.json()["errors"][0]["message"]
    )


def test_twins_are_not_duplicates(registry):
    parents = registry.move_in(person())
    twins = [
        person("青木 一郎", "アオキ イチロウ", days_ago(2), 1, "子", previous_address=""),
        person("青木 二郎", "アオキ ジロウ", days_ago(2), 1, "子", previous_address=""),
    ]
    born = registry.move(
        move_body("birth", twins, household={"setai_no": parents["setai_no"]}, move_date=days_ago(2))
    )
    assert len(born["persons"]) == 2


def test_a_protected_resident_is_never_named_as_a_duplicate(registry, aizu):
    from yakuba.registry import services

    atena = registry.move_in(person())["persons"][0]["atena_no"]
    with bind_actor(SYSTEM), tenant_context(AIZU):
        services.set_measure(atena, starts_on=timezone.localdate(), kind="dv")
    response = _post(registry, move_in_body(person()))
    assert response.status_code == 201
    assert atena not in response.content.decode()


# --- Idempotency-Key --------------------------------------------------------------------------


def test_the_same_key_twice_registers_one_family(registry):
    body = move_in_body(person(), person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"))
    first = _post(registry, body, key="retry-1")
    again = _post(registry, dict(reversed(list(body.items()))), key="retry-1")  # same body, other order
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert _count(Resident) == 2 and _count(Move) == 1


def test_the_same_key_with_another_body_is_refused(registry):
    first = _post(registry, move_in_body(person()), key="retry-2").json()
    other = _post(
        registry, move_in_body(person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻")), key="retry-2"
    )
    assert other.status_code == 422
    assert other.json()["errors"] == [
        {
            "field": "Idempotency-Key",
            "message": f"この Idempotency-Key は別の内容の異動（異動番号 {first['move_no']}）に使われています",
        }
    ]


def test_a_refused_request_keeps_no_key(registry):
    body = {**move_in_body(person()), "notifier": {}}
    assert _post(registry, body, key="retry-3").status_code == 422
    assert _post(registry, move_in_body(person()), key="retry-3").status_code == 201
