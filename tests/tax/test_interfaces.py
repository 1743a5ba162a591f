"""The calculation through its two doors: ``POST /api/v1/tax/resident-tax/calculate`` (any valid
token, no municipality in the path) and ``yakuba tax resident-tax calculate`` (no database) —
the same JSON in and out (contract §3, §4.8, §9.2); bad input names its field, never a 500."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PATH = "/api/v1/tax/resident-tax/calculate"
BODY = {
    "fiscal_year": 2026,
    "lg_code": "151009",
    "taxpayer": {"birth_date": "1985-04-01"},
    "incomes": {"salary": 5_000_000},
    "deductions": {"social_insurance": 500_000},
    "spouse": {"birth_date": "1987-04-01"},
    "dependents": [{"birth_date": "2007-06-01"}, {"birth_date": "2011-06-01"}],
}


@pytest.fixture
def post(post_calculation):
    return lambda body, *, auth=True: post_calculation(PATH, body, auth=auth)


@pytest.mark.django_db
def test_the_api_answers_the_contracts_json(post):
    response = post(BODY)
    assert response.status_code == 200, response.content
    out = response.json()
    # 新潟市の計算例 (令和8年度): the same household as tests/tax/golden/cases/niigata_r8_*.json
    assert out["total"] == 194_500 and out["municipal"]["income_levy"] == 151_600
    assert out["steps"][0] == "令和8年度（2025年中の所得）の個人住民税"


@pytest.mark.django_db
def test_the_api_needs_a_token(post):
    assert post(BODY, auth=False).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"incomes": {"salary": -1}}, "incomes.salary", "0以上"),
        (
            {"dependents": [{"birth_date": "2026-01-05"}]},
            "dependents[0].birth_date",
            "12月31日より後に生まれた",
        ),
        ({"fiscal_year": 2031}, "fiscal_year", "対応: 2017〜2026年度"),
        ({"lg_code": "999999"}, "lg_code", ""),
        ({"taxpayer": {"birth_date": "1985-02-30"}}, "taxpayer.birth_date", ""),
        ({"incomes": {"salary": 1, "bonus": 2}}, "incomes.bonus", "指定できません"),
        (
            {"taxpayer": {"birth_date": "1985-04-01", "widow": True, "single_parent": "mother"}},
            "taxpayer.widow",
            "同時に",
        ),
    ],
)
def test_bad_input_is_422_with_the_field_named(post, change, field, message):
    response = post({**BODY, **change})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors


def _cli(tmp_path, body: dict) -> subprocess.CompletedProcess:
    """The command in a process of its own, with a database URL that cannot connect."""
    source = tmp_path / "in.json"
    source.write_text(json.dumps(body), encoding="utf-8")
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        "HOME": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "yakuba.cli", "tax", "resident-tax", "calculate", "--input", str(source)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_the_cli_needs_no_database_and_prints_the_same_json(tmp_path):
    done = _cli(tmp_path, BODY)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 194_500

    done = _cli(tmp_path, {**BODY, "fiscal_year": 2016})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"{tmp_path / 'in.json'}: fiscal_year: 2016年度の税率・控除額は登録されていません（対応: 2017〜2026年度）"
    )
