"""投票区 by address (civil-facts §1.5): a plan's CSV, all or nothing with every bad line named;
a run places each new entry by its address under the plan in force on the 登録日, an address no
line covers is left "" and listed (never guessed); a new 告示 moves the open entries, one history
line each; ``elections precincts load|show``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.elections.conftest import TODAY, ago, file_move_in
from tests.registry.conftest import ADDRESS_2
from yakuba.cli import main
from yakuba.elections import services
from yakuba.elections.models import EntryChange, PrecinctPlan
from yakuba.elections.services import precincts
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

HEADER = "町字,番地から,番地まで,投票区コード,投票区名,投票所\r\n"
# 東栄町 split inside the 町字 (昭島市's 告示 splits a 丁目 by 番, civil-facts §1.5); no 栄町 line.
FIRST = HEADER + "東栄町,1,10,01,第1投票区,東栄公民館\r\n東栄町,11,,02,第2投票区,第二小学校\r\n"
SECOND = (
    HEADER
    + "東栄町,1,5,01,第1投票区,東栄公民館\r\n東栄町,6,,03,第3投票区,北公民館\r\n栄町,,,02,第2投票区,第二小学校\r\n"
)
EAST_3 = {"postal_code": "9650872", "town_area": "東栄町", "block": "3番46号", "extra": ""}
EAST_12 = {"postal_code": "9650872", "town_area": "東栄町", "block": "１２番地", "extra": ""}


def tohyoku() -> dict[str, str]:
    with tenant_context(AIZU):
        return {e.atena_no: e.tohyoku for e in services.roll(AIZU, TODAY).entries}


def test_a_run_places_by_address_and_a_new_plan_moves_the_open_entries(registry, system_actor):
    low = file_move_in(registry, "投票 東三", "1970-01-01", moved=ago(400), notified=ago(400), address=EAST_3)
    high = file_move_in(
        registry, "投票 東十二", "1970-01-02", moved=ago(400), notified=ago(400), address=EAST_12
    )
    other = file_move_in(
        registry, "投票 栄", "1970-01-03", moved=ago(400), notified=ago(400), address=ADDRESS_2
    )
    with tenant_context(AIZU):
        loaded = precincts.load(FIRST.encode(), ago(300), "告示第1号")
        services.register("election", ago(200), ago(183))
    assert (loaded.lines, loaded.precincts, loaded.moved, loaded.unplaced) == (2, 2, 0, 0)
    assert tohyoku() == {low: "第1投票区", high: "第2投票区", other: ""}
    with tenant_context(AIZU):
        assert precincts.unplaced() == [other]
        loaded = precincts.load(SECOND.encode(), ago(5), "告示第2号")
        lines = {
            c.entry.atena_no: (c.on, c.detail)
            for c in EntryChange.objects.filter(change="moved").select_related("entry")
        }
        shown = precincts.show(TODAY)
        before = precincts.show(ago(6))
    assert (loaded.moved, loaded.unplaced) == (2, 0)
    assert tohyoku() == {low: "第1投票区", high: "第3投票区", other: "第2投票区"}
    assert lines == {
        high: (ago(5), {"reason": "plan", "from": "第2投票区", "to": "第3投票区"}),
        other: (ago(5), {"reason": "plan", "from": "", "to": "第2投票区"}),
    }
    assert (shown.effective_from, shown.notice, shown.unplaced) == (ago(5), "告示第2号", [])
    assert [(p["code"], p["name"], p["polling_place"], len(p["lines"])) for p in shown.precincts] == [
        ("01", "第1投票区", "東栄公民館", 1),
        ("02", "第2投票区", "第二小学校", 1),
        ("03", "第3投票区", "北公民館", 1),
    ]
    assert before.effective_from == ago(300)


def test_a_run_places_with_the_plan_in_force_on_its_registration_day(registry, system_actor):
    voter = file_move_in(
        registry, "投票 告示前", "1970-01-01", moved=ago(400), notified=ago(400), address=EAST_3
    )
    with tenant_context(AIZU):
        precincts.load((HEADER + "東栄町,,,05,第5投票区,\r\n").encode(), ago(300))
        precincts.load((HEADER + "東栄町,,,07,第7投票区,\r\n").encode(), ago(2))
        services.register("election", ago(100), ago(83))  # 登録日 ago(100): the first plan
    assert tohyoku() == {voter: "第5投票区"}


def test_a_bad_file_or_a_plan_ahead_of_its_day_changes_nothing(registry, system_actor):
    bad = HEADER + "東栄町,1,10,01,第1投票区,\r\n東栄町,5,,02,第2投票区,\r\n栄町,,,01,別の名前,\r\n"
    with tenant_context(AIZU):
        with pytest.raises(precincts.RangeFileRejected) as rejected:
            precincts.load(bad.encode(), ago(1))
        with pytest.raises(
            precincts.RangeFileRejected, match="--effective-from: 施行日以後に取り込んでください"
        ):
            precincts.load(FIRST.encode(), TODAY + timedelta(days=1))
        assert not PrecinctPlan.objects.exists()
        assert precincts.show(TODAY).precincts[0]["name"] == "第1投票区"  # no plan: the one 投票区
    assert rejected.value.errors == [
        "4行目 投票区名: コード 01 は 2行目で「第1投票区」です",
        "3行目 番地から: 東栄町 の番地が 2行目の範囲と重なっています",
    ]


def test_the_commands_load_and_show_a_plan(registry, system_actor, tmp_path, capsys):
    voter = file_move_in(
        registry, "投票 CLI", "1970-01-01", moved=ago(400), notified=ago(400), address=ADDRESS_2
    )
    good, bad = tmp_path / "plan.csv", tmp_path / "bad.csv"
    good.write_text("\ufeff" + FIRST, encoding="utf-8")
    bad.write_text(HEADER + "東栄町,x,,01,第1投票区,\r\n", encoding="utf-8")
    load = ["elections", "precincts", "load", AIZU, "--effective-from", ago(30).isoformat()]
    assert main([*load, str(bad)]) == 1
    assert f"{bad}: 2行目 番地から: 0 から 99999 の整数を入力してください（x）" in capsys.readouterr().err
    with tenant_context(AIZU):
        services.register("election", ago(10), ago(-7))
    assert main([*load, str(good), "--notice", "告示第9号"]) == 0
    assert (
        "2 行、投票区 2、投票区を変更した選挙人 1 人、投票区が決まらない選挙人 1 人"
        in capsys.readouterr().out
    )
    assert main(["elections", "precincts", "show", AIZU]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [f"施行日 {ago(30)} 告示第9号", "01 第1投票区 東栄公民館", "  2行目 東栄町 1〜10"]
    assert out[-2:] == ["投票区が決まらない選挙人（住所がどの行にも当たらない）: 1 人", f"  {voter}"]
