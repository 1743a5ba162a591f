"""The monthly tables of the small town: 町字 and 世帯, single years of age, and the 異動 of a
period — the same counts as the 住基年報, cut another way."""

from __future__ import annotations

import json

from tests.conftest import AIZU
from tests.statistics.conftest import TODAY, D
from yakuba.cli import main
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.services import year_before
from yakuba.statistics.services import monthly, population


def test_population_and_households_by_town_area(small_town, capsys):
    assert main(["report", "monthly", AIZU, "--as-of", D.isoformat(), "--table", "town"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert table["rows"] == [
        # 青木 (3), 佐藤 and his wife (複数国籍), the sisters 長寿, 山田 (転出予定), 伊藤
        {
            "town_area": "東栄町",
            "households": 5,
            "male": 4,
            "female": 5,
            "total": 9,
            "japanese": 8,
            "foreign": 1,
        },
        # SMITH alone, 職権 五郎 alone
        {
            "town_area": "栄町",
            "households": 2,
            "male": 2,
            "female": 0,
            "total": 2,
            "japanese": 1,
            "foreign": 1,
        },
    ]
    assert table["total"] == {
        "households": 7,
        "male": 6,
        "female": 5,
        "total": 11,
        "japanese": 9,
        "foreign": 2,
    }
    assert (table["table"], table["as_of"]) == ("town", D.isoformat())


def test_single_years_of_age(small_town, system_actor):
    with tenant_context(AIZU):
        table = monthly.age_table(AIZU, D)
    ages = {r["age"]: r for r in table["rows"]}
    assert len(ages) == 101 and list(ages)[-1] == "100+"
    assert ages["100+"]["female"] == 1 and ages["99"]["female"] == 1 and ages["0"]["female"] == 1
    assert table["total"] == {"male": 6, "female": 5, "total": 11}
    assert sum(r["total"] for r in table["rows"]) == 11


def test_movements_of_a_period_are_the_reports(small_town, system_actor):
    first, last = year_before(D)
    with tenant_context(AIZU):
        table = monthly.movements_table(AIZU, first, last)
        report = population.population_report(AIZU, D).json
    rows = {r["flow"]: r for r in table["rows"]}
    assert list(rows) == [
        "move_in_domestic", "move_in_abroad", "birth", "other_recorded",
        "move_out_domestic", "move_out_abroad", "death", "other_removed",
    ]  # fmt: skip
    for section in ("japanese", "foreign", "total"):
        t = report["tables"][section]
        assert rows["move_in_abroad"][section]["total"] == t["recorded"]["move_in_abroad"]
        assert rows["other_removed"][section]["total"] == t["removed"]["other"]
    # by sex too: the 外国人 転出 (国外) is a woman
    assert rows["move_out_abroad"]["foreign"] == {"male": 0, "female": 1, "total": 1}


def test_a_month_is_counted_to_its_end(small_town, capsys, tmp_path):
    month = TODAY.strftime("%Y-%m")
    out = tmp_path / "movements.csv"
    argv = ["report", "monthly", AIZU, "--month", month, "--table", "movements", "--format", "csv"]
    assert main([*argv, "--out", str(out)]) == 0
    lines = out.read_bytes().decode("utf-8").split("\r\n")
    assert lines[0] == "全国地方公共団体コード,期間開始日,期間終了日,区分,項目,男,女,計"
    assert lines[1].startswith(f"{AIZU},{month}-01,") and len(lines) == 1 + 3 * 8 + 1


def test_a_bad_month_is_one_line(aizu, capsys):
    assert main(["report", "monthly", AIZU, "--month", "2026-13"]) == 2
    assert "エラー: --month: 年月は西暦の YYYY-MM で指定してください" in capsys.readouterr().err
    assert main(["report", "monthly", AIZU, "--as-of", "2026-01-01", "--table", "movements"]) == 2
    assert "--as-of は町字別・年齢別の表だけに指定できます" in capsys.readouterr().err
