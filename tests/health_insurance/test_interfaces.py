"""The calculation through its two doors: ``POST /api/v1/insurance/kokuho/calculate`` (any valid
token, no municipality in the path) and ``yakuba insurance kokuho calculate`` (no database) — the
same JSON in and out (contract §3, §4.8, §9.3); bad input names its field, never a 500."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PATH = "/api/v1/insurance/kokuho/calculate"
CASE = Path(__file__).parent / "golden" / "cases" / "isesaki_r5_salary_family_care.json"
BODY = json.loads(CASE.read_text(encoding="utf-8"))["input"]


@pytest.fixture
def post(post_calculation):
    return lambda body, *, auth=True: post_calculation(PATH, body, auth=auth)


@pytest.mark.django_db
def test_the_api_answers_the_contracts_json(post):
    response = post(BODY)
    assert response.status_code == 200, response.content
    out = response.json()
    # 伊勢崎市の計算例 (令和5年度): tests/health_insurance/golden/cases/isesaki_r5_*.json
    assert out["annual_total"] == 356_500 and out["care"]["total"] == 62_900
    assert out["steps"][0] == "令和5年度（2022年中の所得）の国民健康保険税（地方税法 §703の4）"


@pytest.mark.django_db
def test_the_api_needs_a_token(post):
    assert post(BODY, auth=False).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"fiscal_year": 2031}, "fiscal_year", "対応: 2022〜2026年度"),
        (
            {"household": [{"role": "世帯主", "age": 45, "total_income": -1}]},
            "household[0].total_income",
            "0以上",
        ),
        ({"household": [{"role": "世帯主", "age": 45, "bonus": 1}]}, "household[0].bonus", "指定できません"),
        ({"household": [{"role": "妻", "age": 45}]}, "household", "世帯主"),
        ({"levy_type": "fee"}, "levy_type", "tax"),
    ],
)
def test_bad_input_is_422_with_the_field_named(post, change, field, message):
    response = post({**BODY, **change})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "yakuba.cli", "insurance", "kokuho", "calculate", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_cli_prints_the_same_json(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(BODY, ensure_ascii=False), encoding="utf-8")
    result = _cli("--input", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["annual_total"] == 356_500


def test_the_cli_names_every_bad_field_and_exits_2(tmp_path):
    path = tmp_path / "bad.json"
    body = {**BODY, "fiscal_year": 2021}
    path.write_text(json.dumps(body), encoding="utf-8")
    result = _cli("--input", str(path))
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"{path}: fiscal_year: 2021年度の国民健康保険税の基準額・限度額は登録されていません（対応: 2022〜2026年度）"
    )
    missing = _cli("--input", str(tmp_path / "none.json"))
    assert missing.returncode == 2 and missing.stderr.startswith("エラー: ファイルを読めません")
