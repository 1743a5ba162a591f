"""The calculation through its two doors: ``POST /api/v1/insurance/kouki/calculate`` (any valid
token, no municipality in the path) and ``yakuba insurance kouki calculate`` (no database) — the
same JSON in and out (contract §3, §4.8, §9.4); bad input names its field, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.calculation_doors import poster, run_cli

PATH = "/api/v1/insurance/kouki/calculate"
# contract §9.4's example (東京都 令和7年度): 年金収入 300万円 → 189,400円.
BODY = {
    "fiscal_year": 2025,
    "kouiki": "東京都",
    "rates": {"per_capita": 47300, "income_rate": "9.67", "limit": 800000},
    "household": [{"role": "世帯主", "age": 76, "member": True, "public_pension_revenue": 3000000}],
}


@pytest.fixture
def post(client, token_for, aizu):
    return poster(client, token_for, PATH)


@pytest.mark.django_db
def test_the_api_answers_the_contracts_json(post):
    response = post(BODY)
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["judgment_income"] == 1_750_000 and out["reduction"] == "none"
    member = out["members"][0]
    assert (member["pension_income"], member["income_base"], member["income_levy"]) == (
        1_900_000,
        1_470_000,
        142_149,
    )
    assert member["per_capita_levy"] == 47_300 and member["annual_premium"] == 189_400


@pytest.mark.django_db
def test_the_api_needs_a_token(post):
    assert post(BODY, auth=False).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"fiscal_year": 2031}, "fiscal_year", "対応: 2023〜2026年度"),
        ({"rates": {"per_capita": -1, "income_rate": "9"}}, "rates.per_capita", "0以上"),
        ({"rates": {"per_capita": 1, "income_rate": "9", "rounding": 5}}, "rates.rounding", ""),
        ({"household": []}, "household", ""),
        ({"household": [{"role": "世帯主"}]}, "household[0].birth_date", "生年月日または年齢"),
        ({"household": [{"age": 80, "pension": 1}]}, "household[0].pension", "指定できません"),
        ({"household": [{"birth_date": "1945-02-30"}]}, "household[0].birth_date", ""),
    ],
)
def test_bad_input_is_422_with_the_field_named(post, change, field, message):
    response = post({**BODY, **change})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors


def test_the_cli_prints_the_same_json(tmp_path):
    result = run_cli(tmp_path, ["insurance", "kouki"], BODY)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["members"][0]["annual_premium"] == 189_400


def test_the_cli_refuses_bad_input_naming_the_field(tmp_path):
    result = run_cli(tmp_path, ["insurance", "kouki"], {**BODY, "fiscal_year": 2031})
    assert (
        result.returncode == 2
        and "fiscal_year: 2031年度" in result.stderr
        and "Traceback" not in result.stderr
    )
