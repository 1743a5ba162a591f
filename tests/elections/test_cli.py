"""``yakuba elections register`` and ``roll`` as the contract writes them (contract §3, §9.7)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import AIZU
from tests.elections.conftest import TODAY, ago, file_move_in
from yakuba.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def last_teiji_kijun() -> date:
    """The latest 3月・6月・9月・12月1日 on or before today."""
    year, month = TODAY.year, TODAY.month
    while month not in (3, 6, 9, 12):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return date(year, month, 1)


def test_register_then_roll_as_json_and_csv(registry, tmp_path, capsys):
    voter = file_move_in(registry, "選挙 一郎", "1975-04-04", moved=ago(400), notified=ago(400))
    kijun = last_teiji_kijun()
    assert main(["elections", "register", AIZU, "--kind", "teiji", "--kijun-date", kijun.isoformat()]) == 0
    out = capsys.readouterr().out
    assert f"定時登録（基準日 {kijun}" in out and "登録 1 人、表示 0 人、抹消 0 人" in out
    assert main(["elections", "register", AIZU, "--kind", "teiji", "--kijun-date", kijun.isoformat()]) == 2
    assert "登録済み" in capsys.readouterr().err
    assert main(["elections", "roll", AIZU, "--as-of", TODAY.isoformat()]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["lg_code"] == AIZU and body["as_of"] == TODAY.isoformat()
    [entry] = body["entries"]
    assert entry["atena_no"] == voter and entry["status"] == "registered" and entry["tohyoku"] == "第1投票区"
    assert entry["moved_out_on"] is None
    target = tmp_path / "roll.csv"
    assert (
        main(
            ["elections", "roll", AIZU, "--as-of", TODAY.isoformat(), "--format", "csv", "--out", str(target)]
        )
        == 0
    )
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "\ufeff宛名番号,状態,登録日,投票区,転出日"
    assert lines[1].startswith(f"{voter},登録,")


def test_bad_kijun_dates_are_named(aizu, capsys):
    assert main(["elections", "register", AIZU, "--kind", "teiji", "--kijun-date", "2026-04-01"]) == 2
    assert (
        "--kijun-date: 定時登録の基準日は3月・6月・9月・12月の1日です（2026-04-01）"
        in capsys.readouterr().err
    )
    assert main(["elections", "register", AIZU, "--kind", "election", "--kijun-date", "2026-04-01",
                 "--election-day", "2026-03-01"]) == 2  # fmt: skip
    assert "--election-day: 選挙期日は基準日より後の日です（2026-03-01）" in capsys.readouterr().err
