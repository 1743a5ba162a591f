"""The calculation through its two doors: ``POST /api/v1/child/support-allowance/calculate``
(any valid token, no municipality in the path, nothing stored) and ``yakuba child
support-allowance calculate`` (no database) — the same JSON in and out (contract §3, §4.8,
§9.6); bad input names its field, never a 500."""

from __future__ import annotations

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
def test_the_api_answers_the_contracts_json_to_any_valid_token_only(post):
    out = post(BODY).json()
    assert (out["income_for_test"], out["category"]) == (2_860_000, "一部支給")
    assert (out["per_child"], out["monthly_total"]) == ([20_250, 6_940, 6_940], 34_130)
    assert post(BODY, auth=False).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"month": "2030-04"}, "month", "対応: 2023-04〜2026-03"),
        ({"month": "2025-13"}, "month", ""),
        ({"children": 0}, "children", "1以上"),
        ({"income": {"salary_income": -1}}, "income.salary_income", "0以上"),
        ({"claimant": "uncle"}, "claimant", ""),
        ({"elderly_dependants": 4}, "dependants", "老人"),
        ({"parameters": {"first": {"coefficient": "2"}}}, "parameters.first.coefficient", ""),
    ],
)
def test_bad_input_is_422_naming_the_field(post, change, field, message):
    answer = post({**BODY, **change})
    named = [e for e in answer.json()["errors"] if e["field"] == field and message in e["message"]]
    assert answer.status_code == 422 and named, answer.content


@pytest.mark.parametrize(
    ("body", "code", "said"),
    [
        (BODY, 0, '"monthly_total": 34130'),
        ({**BODY, "children": "三人"}, 2, "children: 整数を指定してください"),
    ],
)
def test_the_cli_prints_the_same_json_or_names_the_field(tmp_path, body, code, said):
    result = run_cli(tmp_path, WORDS, body)
    assert result.returncode == code and said in (result.stdout + result.stderr), result.stderr
