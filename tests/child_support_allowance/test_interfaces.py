"""The calculation through its two doors: ``POST /api/v1/child/support-allowance/calculate``
(any valid token, no municipality in the path, nothing stored) and ``yakuba child
support-allowance calculate`` (no database) — the same JSON in and out (contract §3, §4.8,
§9.6); bad input names its field, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.calculation_doors import poster, run_cli

PATH = "/api/v1/child/support-allowance/calculate"
# The contract's example (平戸市's 計算例, 令和7年度).
BODY = {
    "month": "2025-04",
    "children": 3,
    "dependants": 3,
    "income": {
        "salary_income": 2_800_000,
        "other_income": 0,
        "child_support_received_annual": 300_000,
        "other_deductions": 0,
    },
    "claimant": "mother",
}
WORDS = ["child", "support-allowance"]


@pytest.fixture
def post(client, token_for, aizu):
    return poster(client, token_for, PATH)


@pytest.mark.django_db
def test_the_api_answers_the_contracts_json(post):
    response = post(BODY)
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["income_for_test"] == 2_860_000 and out["category"] == "一部支給"
    assert out["per_child"] == [20_250, 6_940, 6_940] and out["monthly_total"] == 34_130


@pytest.mark.django_db
def test_the_api_needs_a_token(post):
    assert post(BODY, auth=False).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"month": "2030-04"}, "month", "対応: 2024-04〜2026-03"),
        ({"month": "2025-13"}, "month", ""),
        ({"children": 0}, "children", "1以上"),
        ({"income": {"salary_income": -1}}, "income.salary_income", "0以上"),
        ({"claimant": "uncle"}, "claimant", ""),
        ({"elderly_dependants": 4}, "dependants", "老人"),
        ({"parameters": {"first": {"coefficient": "2"}}}, "parameters.first.coefficient", ""),
    ],
)
def test_bad_input_is_422_with_the_field_named(post, change, field, message):
    response = post({**BODY, **change})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors


def test_the_cli_prints_the_same_json(tmp_path):
    result = run_cli(tmp_path, WORDS, BODY)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["per_child"] == [20_250, 6_940, 6_940]


def test_the_cli_refuses_bad_input_naming_the_field(tmp_path):
    result = run_cli(tmp_path, WORDS, {**BODY, "children": "三人"})
    assert result.returncode == 2 and "children: 整数を指定してください" in result.stderr
