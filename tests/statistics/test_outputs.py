"""The reports as files and from the command line: the XLSX read back with openpyxl (headers,
merged cells, totals), the CSV under the 機械可読性ルール, the JSON equal to the service's, bad
input one Japanese line with exit status 2, and every report an audit row."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from tests.conftest import AIZU
from tests.statistics.conftest import TODAY, D
from yakuba.cli import main
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context


def _cells(ws) -> dict[str, object]:
    """Text of each non-empty cell → the values to its right on the same row."""
    found = {}
    for row in ws.iter_rows(values_only=True):
        for i, value in enumerate(row):
            if isinstance(value, str) and value not in found:
                found[value] = [v for v in row[i + 1 :] if v is not None]
    return found


def test_the_xlsx_is_laid_out_like_the_survey(small_town, tmp_path, capsys):
    out = tmp_path / "nenpo.xlsx"
    assert (
        main(["report", "population", AIZU, "--as-of", D.isoformat(), "--format", "xlsx", "--out", str(out)])
        == 0
    )
    book = load_workbook(out)
    assert book.sheetnames == ["総計", "日本人住民", "外国人住民"]
    total = book["総計"]
    assert total["A1"].value == "住民基本台帳に基づく人口、人口動態及び世帯数（総計）"
    assert "072028 福島県会津若松市" in total["A2"].value and f"{D.year}年" in total["A2"].value
    merged = {str(r) for r in total.merged_cells.ranges}
    rows = list(total.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "人口")
    assert rows[header][:4] == ("人口", None, None, "世帯数") and rows[header + 1][:3] == ("男", "女", "計")
    assert (
        f"A{header + 1}:C{header + 1}" in merged and f"D{header + 1}:G{header + 1}" in merged
    )  # 人口, 世帯数
    # 人口 6/5/11; 世帯数 7 = 日本人のみ 5 + 外国人のみ 1 + 複数国籍 1
    assert rows[header + 2][:7] == (6, 5, 11, 7, 5, 1, 1)
    flows = next(i for i, r in enumerate(rows) if r[0] == "住民票記載数")
    assert rows[flows + 1][0] == "転入者数（国内）" and rows[flows + 1][10:12] == (None, None)
    assert rows[flows + 2][:12] == (8, 2, 1, 1, 12, 1, 1, 1, 1, 4, 0, 8)
    cells = _cells(total)
    assert cells["100歳以上"] == [0, 1, 1] and cells["総数"] == [6, 5, 11]  # the bands' total row
    assert _cells(book["外国人住民"])["総数"] == [1, 1, 2]
    assert str(out) in capsys.readouterr().err


def test_the_csv_is_machine_readable(small_town, capsys):
    assert main(["report", "population", AIZU, "--as-of", D.isoformat(), "--format", "csv"]) == 0
    raw = capsys.readouterr().out
    assert not raw.startswith("\ufeff") and raw.count("\r\n") == 1 + 3 * 35
    rows = list(csv.reader(io.StringIO(raw)))
    assert rows[0] == [
        "全国地方公共団体コード", "基準日", "人口動態期間開始日", "人口動態期間終了日", "区分", "項目", "男", "女", "計"
    ]  # fmt: skip
    lead = [AIZU, D.isoformat(), rows[1][2], TODAY.isoformat()]
    assert rows[1] == [*lead, "総計", "人口", "6", "5", "11"]
    assert rows[2] == [*lead, "総計", "世帯数", "", "", "7"]
    assert [*lead, "外国人住民", "転入者数（国外）", "", "", "2"] in rows
    assert [*lead, "日本人住民", "100歳以上", "0", "1", "1"] in rows
    assert all(len(r) == 9 for r in rows)


def test_json_on_stdout_is_the_contract(small_town, capsys):
    assert main(["report", "population", AIZU, "--as-of", D.isoformat()]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["tables"]["total"]["population"] == {"male": 6, "female": 5, "total": 11}
    with tenant_context(AIZU):
        rows = list(
            AuditEntry.objects.filter(resource="statistics.population").values_list("detail", flat=True)
        )
    assert [r["format"] for r in rows] == ["json"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--as-of", (TODAY + timedelta(days=2)).isoformat()], "エラー: --as-of: 基準日は"),
        (["--as-of", "2026-13-01"], "日付は YYYY-MM-DD で指定してください"),
        (["--as-of", D.isoformat(), "--format", "xlsx"], "エラー: --format xlsx には --out FILE"),
    ],
)
def test_bad_input_is_one_line(aizu, capsys, argv, message):
    code = main(["report", "population", AIZU, *argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


def test_an_unregistered_municipality_is_one_line(db, capsys):
    assert main(["report", "population", "131016", "--as-of", "2026-01-01"]) == 2
    assert "団体コード 131016 はこのシステムに登録されていません" in capsys.readouterr().err
