"""Golden cases: official worked examples (計算例) published by municipalities, one JSON file each
under golden/cases/ with its source URL and the page's own lines quoted (golden/README.md lists
them). Every figure the page prints is asserted; what it does not print is not invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden import differences, report
from yakuba.tax.services import ResidentTaxIn, calculate_resident_tax

CASES = sorted((Path(__file__).parent / "golden" / "cases").glob("*.json"))


def test_there_are_golden_cases():
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_published_worked_example(case):
    data = json.loads(case.read_text(encoding="utf-8"))
    assert data["source"]["url"].startswith("http") and data["source"]["quote"]
    result = calculate_resident_tax(ResidentTaxIn.model_validate(data["input"]))
    found = differences(data["expected"], result)
    assert not found, report(data["source"], found, result["steps"])
