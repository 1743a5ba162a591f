"""The calculation through its two doors: ``POST /api/v1/child/allowance/calculate`` (any valid
token, no municipality in the path) and ``yakuba child allowance calculate`` (no database) — the
same JSON in and out (contract §3, §4.8, §9.5); bad input names its field, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.calculation_doors import poster, run_cli

PATH = "/api/v1/child/allowance/calculate"
# The contract's example: a 大学生年代 whose costs are borne, a 中学生 and a 小学生 (第3子).
BODY = {
    "month": "2025-02",
    "children": [
        {"birth_date": "2005-01-10", "parent_bears_costs": True},
        {"birth_date": "2010-03-03"},
        {"birth_date": "2015-05-05"},
    ],
}
WORDS = ["child", "allowance"]


@pytest.fixture
def post(client, token_for, aizu):
    return poster(client, token_for, PATH)


@pytest.mark.django_db
def test_the_api_answers_the_contracts_json(post):
    response = post(BODY)
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["month"] == "2025-02" and out["monthly_total"] == 40_000
    assert [(c["rank"], c["eligible"], c["monthly"]) for c in out["children"]] == [
        (1, False, 0),
        (2, True, 10_000),
        (3, True, 30_000),
    ]
    assert out["steps"][-1] == "月額の合計: 40,000円"


@pytest.mark.django_db
def test_the_api_needs_a_token(post):
    assert post(BODY, auth=False).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"month": "2025-13"}, "month", ""),
        ({"month": "2030-04"}, "month", "登録されていません"),
        ({"children": []}, "children", ""),
        ({"children": [{"parent_bears_costs": True}]}, "children[0]", "どちらか一方"),
        ({"children": [{"birth_date": "2010-01-01", "age": 15}]}, "children[0]", "どちらか一方"),
        ({"children": [{"birth_date": "2025-03-01"}]}, "children[0].birth_date", "対象月より後"),
        ({"children": [{"age": -1}]}, "children[0].age", "0以上"),
        ({"children": [{"birth_date": "2010-01-01", "income": 1}]}, "children[0].income", ""),
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
    assert json.loads(result.stdout)["monthly_total"] == 40_000


def test_the_cli_refuses_bad_input_naming_the_field(tmp_path):
    result = run_cli(tmp_path, WORDS, {**BODY, "children": [{"birth_date": "2026-01-01"}]})
    assert (
        result.returncode == 2
        and "children[0].birth_date: 対象月より後に生まれた子は入力できません" in result.stderr
    )
