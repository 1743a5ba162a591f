"""Golden cases: worked examples (計算例・算出例) published by municipalities, one JSON file each
under golden/cases/ with its source URL and the page's own lines quoted (golden/README.md). Every
figure the page prints is asserted; what it does not print is not invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden import differences, report
from yakuba.health_insurance.services import KokuhoIn, calculate_kokuho

CASES = sorted((Path(__file__).parent / "golden" / "cases").glob("*.json"))


def test_there_are_golden_cases_over_several_years():
    years = {json.loads(c.read_text(encoding="utf-8"))["input"]["fiscal_year"] for c in CASES}
    assert len(CASES) >= 8 and len(years) >= 3


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_published_worked_example(case):
    data = json.loads(case.read_text(encoding="utf-8"))
    assert data["source"]["url"].startswith("http") and data["source"]["quote"]
    result = calculate_kokuho(KokuhoIn.model_validate(data["input"]))
    found = differences(data["expected"], result)
    assert not found, report(data["source"], found, result["steps"])
