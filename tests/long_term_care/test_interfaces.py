"""The calculation through its two doors: ``POST /api/v1/insurance/kaigo/calculate`` (any valid
token, no municipality in the path) and ``yakuba insurance kaigo calculate`` (no database) — the
same JSON in and out (contract §3, §4.8, §9.4.1); bad input names its field, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.calculation_doors import poster, run_cli

PATH = "/api/v1/insurance/kaigo/calculate"
# 美浜町 (第9期 基準額 72,000): 本人課税、合計所得 170万 → 第7段階 93,600円.
BODY = {
    "fiscal_year": 2024,
    "insurer": "美浜町",
    "base_amount": 72000,
    "person": {"age": 70, "household_taxed": True, "taxed": True, "public_pension_revenue": 2800000},
}


@pytest.fixture
def post(client, token_for, aizu):
    return poster(client, token_for, PATH)


@pytest.mark.django_db
def test_the_api_answers_the_contracts_json(post):
    response = post(BODY)
    assert response.status_code == 200, response.content
    out = response.json()
    assert (out["stage"], out["multiplier"], out["annual_premium"]) == (7, "1.3", 93_600)
    assert out["total_income"] == 1_700_000 and out["copay"]["share"] == "2割"


@pytest.mark.django_db
def test_the_api_needs_a_token(post):
    assert post(BODY, auth=False).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"fiscal_year": 2023}, "fiscal_year", "対応: 2024〜2026年度"),
        ({"base_amount": -1}, "base_amount", "0以上"),
        ({"rounding": {"unit": 5}}, "rounding.unit", ""),
        ({"multipliers": ["0"] * 13}, "multipliers[0]", ""),
        ({"person": {"age": 70, "taxed": True}}, "person.household_taxed", "入力してください"),
        (
            {"person": {**BODY["person"], "taxed": True, "household_taxed": False}},
            "person.household_taxed",
            "課税者",
        ),
    ],
)
def test_bad_input_is_422_with_the_field_named(post, change, field, message):
    response = post({**BODY, **change})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors


def test_the_cli_prints_the_same_json(tmp_path):
    result = run_cli(tmp_path, ["insurance", "kaigo"], BODY)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["annual_premium"] == 93_600


def test_the_cli_refuses_bad_input_naming_the_field(tmp_path):
    result = run_cli(tmp_path, ["insurance", "kaigo"], {**BODY, "base_amount": "たくさん"})
    assert result.returncode == 2 and "base_amount: 整数を指定してください" in result.stderr
