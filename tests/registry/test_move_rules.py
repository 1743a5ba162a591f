"""Every registry rule, broken on purpose: the exact message the clerk sees.

Sources: 住民記録システム標準仕様書 §4.0.3 (dates), §4.1.3.0.1 (14 days), §1.1.11 (続柄),
§1.1.13 (numbers), registry-facts §2 (foreign residents), common-facts §10 (check digits).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import (
    ADDRESS,
    ADDRESS_2,
    NOTIFIER,
    TODAY,
    days_ago,
    move_body,
    move_in_body,
    person,
)
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def family(registry):
    """青木 family of three: 世帯主, 妻, 子."""
    result = registry.move_in(
        person(),
        person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"),
        person("青木 一郎", "アオキ イチロウ", "1990-05-05", 1, "子"),
        move_date=days_ago(20),
    )
    atena = [p["atena_no"] for p in result["persons"]]
    return result["setai_no"], atena


def test_move_date_after_processing_date_is_refused_except_for_move_out(registry):
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    errors = registry.errors(
        {
            "kind": "move_in",
            "move_date": tomorrow,
            "origin": "domestic",
            "household": {"address": ADDRESS},
            "persons": [person()],
        }
    )
    assert "異動日が処理日より後です（未来日の異動は転出のみ）" in errors
    setai, (taro, hanako, ichiro) = family(registry)
    out = registry.move(
        {
            "kind": "move_out",
            "move_date": tomorrow,
            "notifier": NOTIFIER,
            "destination": "domestic",
            "destination_address": "東京都千代田区千代田1番1号",
            "persons": [{"atena_no": ichiro}],
        }
    )
    resident = registry.get(f"residents/{ichiro}").json()
    assert resident["status"] == 2 and resident["planned_move_out_on"] == tomorrow  # 転出予定
    assert out["warnings"] == []


def test_notified_date_in_the_future_is_refused(registry):
    errors = registry.errors(
        move_body(
            "move_in",
            [person()],
            household={"address": ADDRESS},
            origin="domestic",
            notified_date=(TODAY + timedelta(days=2)).isoformat(),
        )
    )
    assert errors == ["届出日が処理日より後です"]


def test_removed_or_dead_persons_cannot_move(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    registry.move({"kind": "death", "move_date": days_ago(2), "persons": [{"atena_no": ichiro}]})
    errors = registry.errors(
        move_body("move_within", [{"atena_no": ichiro}], household={"address": ADDRESS_2})
    )
    assert errors == [f"青木 一郎（{ichiro}）は消除のため、この異動はできません"]


def test_a_new_household_needs_exactly_one_head(registry):
    errors = registry.errors(move_in_body(person(rel="妻", sex=2, name="青木 花子", kana="アオキ ハナコ")))
    assert errors == ["新しい世帯: 世帯主がいません"]
    errors = registry.errors(move_in_body(person(), person("青木 次郎", "アオキ ジロウ", "1961-02-02")))
    assert errors == ["新しい世帯: 世帯主が2人います（世帯主は1世帯に1人です）"]


def test_joining_a_household_with_a_second_head_is_refused(registry):
    setai, _ = family(registry)
    errors = registry.errors(
        move_body(
            "move_in",
            [person("佐藤 一", "サトウ ハジメ", "1970-01-01")],
            household={"setai_no": setai},
            origin="domestic",
        )
    )
    assert errors == [f"世帯 {setai}: 世帯主が2人います（世帯主は1世帯に1人です）"]


@pytest.mark.parametrize(
    ("relationship", "message"),
    [
        ("孫", "続柄「孫」は使えません。「子の子」と記載してください"),
        ("祖父", "続柄「祖父」は使えません。「父の父」または「母の父」と記載してください"),
        ("子の子の子の子の子", "続柄「子の子の子の子の子」は5世代以上のため「縁故者」と記載してください"),
        ("弟の", "続柄「弟の」の形式が正しくありません"),
    ],
)
def test_relationship_grammar(registry, relationship, message):
    setai, _ = family(registry)
    errors = registry.errors(
        move_body(
            "birth",
            [person("青木 さくら", "アオキ サクラ", days_ago(1), 2, relationship)],
            household={"setai_no": setai},
        )
    )
    assert errors == [message]


def test_household_members_come_in_the_standard_order(registry):
    result = registry.move_in(
        person("青木 一郎", "アオキ イチロウ", "1990-05-05", 1, "子"),
        person("青木 父", "アオキ チチ", "1935-01-01", 1, "父"),
        person("青木 同居", "アオキ ドウキョ", "1980-01-01", 1, "同居人"),
        person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"),
        person("青木 二郎", "アオキ ジロウ", "1988-01-01", 1, "子"),
        person(),
        move_date=days_ago(5),
    )
    members = registry.get(f"households/{result['setai_no']}").json()["members"]
    assert [m["relationship"] for m in members] == ["世帯主", "妻", "子", "子", "父", "同居人"]
    assert [m["name"] for m in members][2:4] == ["青木 二郎", "青木 一郎"]  # children by birth date


def test_foreign_resident_needs_nationality_and_residence_status(registry):
    errors = registry.errors(
        move_in_body(person("SMITH JOHN", "スミス ジョン", resident_type=2), origin="abroad")
    )
    assert errors == [
        "外国人住民は国籍・地域を入力してください",
        "外国人住民は在留資格（法30条の45の区分）を入力してください",
    ]


def test_japanese_resident_has_no_nationality(registry):
    errors = registry.errors(move_in_body(person(nationality="米国")))
    assert errors == ["日本人住民には国籍・地域を記載しません"]


def test_kana_must_be_katakana_and_half_width_is_converted(registry):
    errors = registry.errors(move_in_body(person(kana="aoki taro")))
    assert errors == ["フリガナは全角カタカナで入力してください（aoki taro）"]
    result = registry.move_in(person(kana="ｱｵｷ ﾀﾛｳ"))
    # Stored in full-width katakana, the space between surname and given name included.
    assert (
        registry.get(f"residents/{result['persons'][0]['atena_no']}").json()["name_kana"]
        == "アオキ\u3000タロウ"
    )


def test_my_number_check_digit_and_uniqueness(registry):
    errors = registry.errors(move_in_body(person(my_number="123456789012")))
    assert errors == ["個人番号の桁数または検査数字が正しくありません"]
    registry.move_in(person(my_number="123456789018"))
    response = registry.post(
        move_in_body(person("別人 太郎", "ベツジン タロウ", my_number="123456789018"), address=ADDRESS_2)
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "persons[0].my_number", "message": "この個人番号は他の住民に記載されています"}
    ]


def test_postal_code_must_belong_to_the_municipality(registry):
    errors = registry.errors(move_in_body(person(), address={**ADDRESS, "postal_code": "1000001"}))
    assert errors == ["郵便番号 1000001 はこの市区町村の郵便番号ではありません"]


def test_domestic_move_in_needs_the_previous_address(registry):
    errors = registry.errors(move_in_body(person(previous_address="")))
    assert errors == ["国内からの転入では転入前住所（転出証明書の住所）を入力してください"]


def test_late_move_in_notification_is_accepted_with_a_warning(registry):
    result = registry.move(move_in_body(person(), move_date=days_ago(30), notified_date=days_ago(1)))
    assert result["warnings"][-1] == "届出期間（14日）を過ぎた届出です（住民基本台帳法第22条）"


def test_move_out_filed_more_than_14_days_late_is_processed_ex_officio(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    result = registry.move(
        move_body(
            "move_out",
            [{"atena_no": ichiro}],
            move_date=days_ago(18),
            notified_date=days_ago(0),
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
        )
    )
    assert result["warnings"] == ["転出後14日を過ぎた届出のため、職権で消除しました（住民基本台帳法第24条）"]
    assert registry.get(f"residents/{ichiro}").json()["status"] == 3


def test_move_out_more_than_14_days_ahead_is_refused(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    errors = registry.errors(
        {
            "kind": "move_out",
            "move_date": (TODAY + timedelta(days=20)).isoformat(),
            "destination": "domestic",
            "destination_address": "東京都千代田区千代田1番1号",
            "persons": [{"atena_no": ichiro}],
        }
    )
    assert errors == ["転出届は転出予定日の14日前から受け付けます"]


def test_birth_date_must_equal_the_move_date(registry):
    setai, _ = family(registry)
    errors = registry.errors(
        move_body(
            "birth",
            [person("青木 さくら", "アオキ サクラ", days_ago(2), 2, "子の子")],
            household={"setai_no": setai},
        )
    )
    assert errors == ["出生の異動日は生年月日と同じ日です"]


def test_death_of_the_head_needs_a_new_head_and_new_relationships(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    errors = registry.errors({"kind": "death", "move_date": days_ago(1), "persons": [{"atena_no": taro}]})
    assert errors == ["世帯主が世帯を離れるため、残る世帯員から新しい世帯主を指定してください"]
    errors = registry.errors(
        {
            "kind": "death",
            "move_date": days_ago(1),
            "persons": [{"atena_no": taro}],
            "household": {"setai_no": setai, "new_head": hanako},
        }
    )
    assert errors == ["青木 一郎 の新しい世帯主との続柄を入力してください"]
    result = registry.move(
        {
            "kind": "death",
            "move_date": days_ago(1),
            "persons": [{"atena_no": taro}],
            "household": {"setai_no": setai, "new_head": hanako, "relationships": {ichiro: "子"}},
        }
    )
    # One death, not three: the survivors get events of what happened to them (issue 12 item 6).
    with tenant_context(AIZU):
        events = dict(Event.objects.filter(event_id__in=result["event_ids"]).values_list("subject", "type"))
    assert events == {
        taro: "jp.yakuba.registry.resident.died.v1",
        hanako: "jp.yakuba.registry.resident.head-changed.v1",
        ichiro: "jp.yakuba.registry.resident.relationship-changed.v1",
    }
    household = registry.get(f"households/{setai}").json()
    assert household["head_atena_no"] == hanako
    assert [(m["name"], m["relationship"]) for m in household["members"]] == [
        ("青木 花子", "世帯主"),
        ("青木 一郎", "子"),
    ]


def test_stale_household_version_is_a_conflict(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    version = registry.get(f"households/{setai}").json()["version"]
    registry.move(
        move_body(
            "move_within",
            [{"atena_no": a} for a in (taro, hanako, ichiro)],
            household={"setai_no": setai, "version": version, "address": ADDRESS_2},
        )
    )
    errors = registry.errors(
        {
            "kind": "head_change",
            "move_date": days_ago(1),
            "household": {
                "setai_no": setai,
                "version": version,
                "new_head": hanako,
                "relationships": {taro: "夫", ichiro: "子"},
            },
        },
        status=409,
    )
    assert errors == ["他の職員が先にこの世帯を更新しました。画面を開き直して内容を確認してください"]


def test_unknown_person_and_household(registry):
    errors = registry.errors(
        {"kind": "death", "move_date": days_ago(1), "persons": [{"atena_no": "0000000019"}]}
    )
    assert errors == ["宛名番号 0000000019 の住民はいません"]
    errors = registry.errors(
        move_body("birth", [person(birth=days_ago(1), rel="子")], household={"setai_no": "0000000019"})
    )
    assert errors[0] == "世帯番号 0000000019 の世帯はありません"


def test_every_broken_rule_is_reported_at_once(registry):
    response = registry.post(
        move_body(
            "move_in",
            [person(name="", kana="taro", birth="1960-02-30", rel="孫")],
            household={"address": {"postal_code": "1000001", "town_area": ""}},
            origin="domestic",
        )
    )
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == [
        "household.address.town_area",
        "household.address.postal_code",
        "persons[0].name",
        "persons[0].name_kana",
        "persons[0].birth_date",
        "persons[0].relationship",
    ]


def test_postal_codes_are_checked_from_any_thread():
    import threading

    from yakuba.registry.addresses import _postal_municipalities

    _postal_municipalities.cache_clear()
    results = []
    thread = threading.Thread(target=lambda: results.append(_postal_municipalities("9650871")))
    thread.start()
    thread.join()
    assert results and "07202" in results[0][0]


def test_field_errors_and_two_heads_are_reported_in_one_round(registry):
    """Every broken rule at once (住民記録システム標準仕様書 §4: the clerk fixes the form once):
    a フリガナ that is not katakana and two 世帯主 in the same 転入 come back in one 422."""
    errors = registry.errors(
        {
            "kind": "move_in",
            "move_date": days_ago(3),
            "origin": "domestic",
            "household": {"address": ADDRESS},
            "persons": [
                person(kana="Aoki Taro"),
                person("青木 次郎", "アオキ ジロウ", "1962-03-03", 1, "世帯主"),
            ],
        }
    )
    assert "フリガナは全角カタカナで入力してください（Aoki Taro）" in errors
    assert "新しい世帯: 世帯主が2人います（世帯主は1世帯に1人です）" in errors


def test_every_kind_has_its_request_model_handler_form_and_event():
    """A kind of 異動 (§1.2.2) is known in one table (codes.KINDS) plus its rules and its request
    model: none may be missing, or the API would accept a kind the service cannot apply."""
    from typing import get_args

    from yakuba.registry.codes import KINDS, MoveKind
    from yakuba.registry.events import event_type_for
    from yakuba.registry.services.move_kinds import HANDLERS
    from yakuba.registry.services.move_request import MoveRequest

    models = get_args(get_args(MoveRequest)[0])
    assert {get_args(m.model_fields["kind"].annotation)[0] for m in models} == set(MoveKind.values)
    assert set(HANDLERS) == set(KINDS) == set(MoveKind.values)
    assert all(event_type_for(kind).startswith("jp.yakuba.registry.resident.") for kind in MoveKind.values)


def test_what_the_schema_refuses_is_said_in_japanese_with_the_field_path(registry):
    """The API's own validation (before any rule runs) answers as the rules do: a Japanese
    message and a path such as persons[0].resident_type (docs/reference/contract.md#http)."""
    body = move_in_body(person())
    del body["persons"][0]["resident_type"]
    body["move_date"] = "2026-02-30"
    response = registry.post(body)
    assert response.status_code == 422
    assert sorted((e["field"], e["message"]) for e in response.json()["errors"]) == [
        ("move_date", "日付は YYYY-MM-DD の実在する日付で入力してください（2026-02-30）"),
        ("persons[0].resident_type", "入力してください"),
    ]
    wrong_kind = registry.post({"kind": "teleport"})
    assert wrong_kind.status_code == 422
    [error] = wrong_kind.json()["errors"]
    assert error["field"] == "(body)" and error["message"].startswith("'kind' は次のいずれかです: 'move_in'")
