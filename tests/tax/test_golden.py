"""Golden cases: official worked examples (計算例) published by municipalities, one JSON file each
under golden/cases/ with its source URL and the page's own lines quoted (golden/README.md lists
them). Every figure the page prints is asserted; what it does not print is not invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from yakuba.tax.services import ResidentTaxIn, calculate_resident_tax

CASES = sorted((Path(__file__).parent / "golden" / "cases").glob("*.json"))


def _subset(expected, actual, path=""):
    """(path, expected, actual) for every printed figure that differs."""
    if isinstance(expected, dict):
        return [
            d
            for key, value in expected.items()
            for d in _subset(value, actual[key], f"{path}.{key}".lstrip("."))
        ]
    return [] if expected == actual else [(path, expected, actual)]


def test_there_are_golden_cases():
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_published_worked_example(case):
    data = json.loads(case.read_text(encoding="utf-8"))
    assert data["source"]["url"].startswith("http") and data["source"]["quote"]
    result = calculate_resident_tax(ResidentTaxIn.model_validate(data["input"]))
    differences = _subset(data["expected"], result)
    assert not differences, "\n".join(
        [f"{data['source']['publisher']} {data['source']['url']}"]
        + [
            f"  {p}: 計算例 {e:,} / 計算 {a:,}" if isinstance(e, int) else f"  {p}: {e} / {a}"
            for p, e, a in differences
        ]
        + result["steps"]
    )
