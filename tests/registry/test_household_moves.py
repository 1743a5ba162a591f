"""世帯分離・世帯合併・世帯変更・世帯主変更, 職権, 誤記修正, 旧氏・通称, 異動の取消し."""

from __future__ import annotations

import pytest

from tests.registry.conftest import ADDRESS, ADDRESS_2, days_ago, move_body, person
from tests.registry.test_move_rules import family

pytestmark = pytest.mark.django_db


def members(registry, setai):
    return [(m["name"], m["relationship"]) for m in registry.get(f"households/{setai}").json()["members"]]


def test_household_split_forms_a_new_household_at_the_same_address(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    result = registry.move(move_body("household_split", [{"atena_no": ichiro, "relationship": "世帯主"}]))
    new = result["setai_no"]
    assert new and new != setai
    assert members(registry, new) == [("青木 一郎", "世帯主")]
    assert members(registry, setai) == [("青木 太郎", "世帯主"), ("青木 花子", "妻")]
    assert (
        registry.get(f"households/{new}").json()["address"]
        == registry.get(f"households/{setai}").json()["address"]
    )


def test_household_split_without_a_head_for_the_new_household_is_refused(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    errors = registry.errors(move_body("household_split", [{"atena_no": ichiro, "relationship": "子"}]))
    assert errors == ["新しい世帯: 世帯主がいません"]


def test_household_merge_moves_everyone_and_closes_the_old_household(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    other = registry.move_in(
        person("青木 祖母", "アオキ ソボ", "1930-01-01", 2, "世帯主"), move_date=days_ago(9)
    )
    grandma = other["persons"][0]["atena_no"]
    registry.move(
        move_body(
            "household_merge", [{"atena_no": grandma, "relationship": "母"}], household={"setai_no": setai}
        )
    )
    assert members(registry, setai) == [
        ("青木 太郎", "世帯主"),
        ("青木 花子", "妻"),
        ("青木 一郎", "子"),
        ("青木 祖母", "母"),
    ]
    assert registry.get(f"households/{other['setai_no']}").json()["active"] is False


def test_household_merge_of_a_different_address_must_be_a_move_within(registry):
    setai, _ = family(registry)
    other = registry.move_in(
        person("佐藤 花", "サトウ ハナ", "1950-01-01", 2), address=ADDRESS_2, move_date=days_ago(9)
    )
    errors = registry.errors(
        move_body(
            "household_merge",
            [{"atena_no": other["persons"][0]["atena_no"], "relationship": "同居人"}],
            household={"setai_no": setai},
        )
    )
    assert errors == ["住所が異なる世帯には移れません（転居として処理してください）"]


def test_head_change_sets_every_relationship_again(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    registry.move(
        {
            "kind": "head_change",
            "move_date": days_ago(1),
            "household": {"setai_no": setai, "new_head": hanako, "relationships": {taro: "夫", ichiro: "子"}},
        }
    )
    assert members(registry, setai) == [("青木 花子", "世帯主"), ("青木 太郎", "夫"), ("青木 一郎", "子")]
    history = registry.get(f"residents/{taro}/history").json()["history"]
    assert [(h["history_no"], h["relationship"], h["move_kind"]) for h in history] == [
        (1, "世帯主", "move_in"),
        (2, "夫", "head_change"),
    ]


def test_moving_within_part_of_a_household_needs_a_head_for_those_who_move(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    result = registry.move(
        move_body(
            "move_within", [{"atena_no": ichiro, "relationship": "世帯主"}], household={"address": ADDRESS_2}
        )
    )
    assert result["setai_no"] != setai
    resident = registry.get(f"residents/{ichiro}").json()
    assert resident["address"] == "福島県会津若松市栄町1番1号" and resident["address_set_on"] == days_ago(1)


def test_correction_adds_a_history_row_and_never_rewrites_history(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    registry.move(
        move_body("correction", [{"atena_no": taro, "name": "青木 太朗", "name_kana": "アオキ タロウ"}])
    )
    history = registry.get(f"residents/{taro}/history").json()["history"]
    assert [h["name"] for h in history] == ["青木 太郎", "青木 太朗"]


def test_correction_cannot_change_the_address(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    errors = registry.errors(move_body("correction", [{"atena_no": taro, "former_surname": "山田"}]))
    assert errors == ["この異動では変更できない項目です"]


def test_former_surname_only_for_japanese_and_alias_only_for_foreign(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    registry.move(
        move_body(
            "former_surname",
            [{"atena_no": hanako, "former_surname": "佐藤", "former_surname_kana": "サトウ"}],
        )
    )
    assert registry.get(f"residents/{hanako}").json()["former_surname"] == "佐藤"
    errors = registry.errors(
        move_body("alias", [{"atena_no": hanako, "alias": "ハナ", "alias_kana": "ハナ"}])
    )
    assert errors == ["通称は外国人住民にのみ記載します"]
    foreigner = registry.move_in(
        person("SMITH JOHN", "スミス ジョン", resident_type=2, nationality="米国", residence_status="永住者"),
        address=ADDRESS_2,
        origin="abroad",
    )
    smith = foreigner["persons"][0]["atena_no"]
    registry.move(
        move_body(
            "alias",
            [{"atena_no": smith, "alias": "須美須 譲", "alias_kana": "スミス ジョウ"}],
            move_date=days_ago(0),
        )
    )
    found = registry.get("residents?name_kana=ｽﾐｽ%20ｼﾞｮｳ").json()["residents"]
    assert [r["atena_no"] for r in found] == [smith]  # the 通称 reading is searchable too
    errors = registry.errors(
        move_body("former_surname", [{"atena_no": smith, "former_surname": "X"}], move_date=days_ago(0))
    )
    assert errors == ["旧氏は日本人住民にのみ記載します"]


def test_ex_officio_record_and_remove(registry):
    recorded = registry.move(
        move_body(
            "ex_officio_record",
            [person(previous_address="")],
            household={"address": ADDRESS},
            move_date=days_ago(2),
        )
    )
    atena = recorded["persons"][0]["atena_no"]
    registry.move({"kind": "ex_officio_remove", "move_date": days_ago(1), "persons": [{"atena_no": atena}]})
    removed = registry.get(f"residents/{atena}").json()
    assert (removed["status"], removed["removal_reason"], removed["removed_on"]) == (
        3,
        "ex_officio",
        days_ago(1),
    )
    assert registry.get(f"households/{recorded['setai_no']}").json()["active"] is False


def test_cancel_restores_the_previous_state_of_every_person(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    moved = registry.move(
        move_body(
            "move_within",
            [{"atena_no": a} for a in (taro, hanako, ichiro)],
            household={"setai_no": setai, "address": ADDRESS_2},
        )
    )
    canceled = registry.move({"kind": "cancel", "cancel_move_id": moved["move_id"]})
    assert [p["history_no"] for p in canceled["persons"]] == [3, 3, 3]
    taro_now = registry.get(f"residents/{taro}").json()
    assert taro_now["address"] == "福島県会津若松市東栄町3番46号" and taro_now["move_kind"] == "cancel"
    assert registry.get(f"households/{setai}").json()["address"] == "福島県会津若松市東栄町3番46号"
    errors = registry.errors({"kind": "cancel", "cancel_move_id": moved["move_id"]})
    assert errors == ["この異動はすでに取り消されています"]


def test_only_the_latest_change_of_a_person_can_be_canceled(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    moved = registry.move(
        move_body(
            "move_within",
            [{"atena_no": a} for a in (taro, hanako, ichiro)],
            household={"setai_no": setai, "address": ADDRESS_2},
            move_date=days_ago(2),
        )
    )
    registry.move(
        {"kind": "correction", "move_date": days_ago(1), "persons": [{"atena_no": taro, "name": "青木 太朗"}]}
    )
    errors = registry.errors({"kind": "cancel", "cancel_move_id": moved["move_id"]})
    assert errors == [f"青木 太朗（{taro}）にはこの後の異動があるため取り消せません"]


def test_canceling_a_move_in_removes_the_persons_again(registry):
    result = registry.move_in(person())
    atena = result["persons"][0]["atena_no"]
    registry.move({"kind": "cancel", "cancel_move_id": result["move_id"]})
    resident = registry.get(f"residents/{atena}").json()
    assert (resident["status"], resident["removal_reason"]) == (3, "canceled")
