"""The 異動 file tells the 広域連合 of a 被保険者's 転居 or change of 氏名 (a row 変更), once."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.late_elderly_medical.test_exchange import _rows
from tests.registry.conftest import ADDRESS_2, days_ago, move_body, person, registry  # noqa: F401 (fixture)
from tests.residence_qualification import born_aged
from yakuba.late_elderly_medical import services as kouki
from yakuba.platform.tenancy.context import tenant_context

# The feed orders events by commit: the registry's 異動 must really commit for 後期 to read them.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_move_within_of_an_insured_person_is_one_change_row(registry, system_actor, tmp_path):  # noqa: F811
    moved = registry.move_in(
        person("後期 一郎", "コウキ イチロウ", born_aged(80), 1),
        person("後期 花子", "コウキ ハナコ", born_aged(70), 2, "妻"),
        move_date=days_ago(30),
    )
    old, younger = (p["atena_no"] for p in moved["persons"])
    kouki.follow(AIZU)
    with tenant_context(AIZU):
        first = kouki.export_idou(str(tmp_path / "1.csv"))
    assert first.rows == 1 and _rows(tmp_path / "1.csv")[0]["異動区分"] == "取得"
    household = {"setai_no": moved["setai_no"], "address": ADDRESS_2}
    registry.move(move_body("move_within", [{"atena_no": old}, {"atena_no": younger}], household=household))
    kouki.follow(AIZU)
    with tenant_context(AIZU):
        second = kouki.export_idou(str(tmp_path / "2.csv"))
        third = kouki.export_idou(str(tmp_path / "3.csv"))
    (row,) = _rows(tmp_path / "2.csv")  # the 70-year-old is not insured: nothing about her
    assert (row["宛名番号"], row["異動区分"], row["異動事由"], row["異動日"]) == (
        old,
        "変更",
        "氏名・住所等の変更",
        days_ago(1),
    )
    assert "栄町1番1号" in row["住所"] and row["郵便番号"] == "9650871"
    assert (second.rows, third.rows) == (1, 0)
    assert second.after_id == second.through_id == first.through_id  # no 資格 row between
