"""The judgement through its two doors: ``POST /api/v1/insurance/nenkin/exemption`` (any valid
token, no municipality in the path) and ``yakuba insurance nenkin exemption`` (no database) — the
same JSON in and out (contract §3, §4.8, §9.4.2); bad input names its field, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.calculation_doors import poster, run_cli

PATH = "/api/v1/insurance/nenkin/exemption"
# 郡上市's 単身世帯: 所得 67万 → 全額免除 (2025年度).
BODY = {"fiscal_year": 2025, "applicant": {"birth_date": "1990-05-01", "other_income": 670_000}}
WORDS = ["insurance", "nenkin"]


@pytest.fixture
def post(client, token_for, aizu):
    return poster(client, token_for, PATH)


@pytest.mark.django_db
def test_the_api_answers_the_contracts_json(post):
    response = post(BODY)
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["grant"] == "全額免除" and out["period"] == {"first_month": "2025-07", "last_month": "2026-06"}
    assert out["persons"][0]["limits"]["全額免除"] == 670_000 and out["steps"][-1] == "結果: 全額免除"


@pytest.mark.django_db
def test_the_api_needs_a_token(post):
    assert post(BODY, auth=False).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"fiscal_year": 2030}, "fiscal_year", "対応: 2017〜2025年度"),
        ({"applicant": {"other_income": 0}}, "applicant.birth_date", "入力してください"),
        ({"applicant": {"birth_date": "1990-05-01", "other_income": -1}}, "applicant.other_income", "0以上"),
        ({"spouse": {"birth_date": "1990-05-01", "dependents": 31}}, "spouse.dependents", ""),
        ({"domestic_violence": True}, "domestic_violence", "配偶者"),
    ],
)
def test_bad_input_is_422_with_the_field_named(post, change, field, message):
    response = post({**BODY, **change})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors


def test_the_cli_prints_the_same_json(tmp_path):
    result = run_cli(tmp_path, WORDS, BODY, action="exemption")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["grant"] == "全額免除"


def test_the_cli_refuses_bad_input_naming_the_field(tmp_path):
    result = run_cli(tmp_path, WORDS, {**BODY, "fiscal_year": "去年"}, action="exemption")
    assert result.returncode == 2 and "fiscal_year: 整数を指定してください" in result.stderr
