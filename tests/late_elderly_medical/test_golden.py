"""Golden cases: worked examples (算定例) published by 広域連合 and municipalities, one JSON file
per page under golden/cases/ with its source URL and the page's own lines quoted, each example of
the page an entry of ``examples``. Every figure the page prints is asserted; what it does not
print is not invented. ``expected_floor_10``: figures the page shows truncated to 10円."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden import differences, report
from yakuba.late_elderly_medical.services import KoukiIn, calculate_kouki
from yakuba.platform.amounts import floor_to

FILES = sorted((Path(__file__).parent / "golden" / "cases").glob("*.json"))
EXAMPLES = [
    (path, i) for path in FILES for i in range(len(json.loads(path.read_text(encoding="utf-8"))["examples"]))
]


def test_there_are_golden_cases_of_two_years_with_and_without_reduction():
    examples = [e for path in FILES for e in json.loads(path.read_text(encoding="utf-8"))["examples"]]
    assert {e["input"]["fiscal_year"] for e in examples} >= {2024, 2025}
    reductions = {e["expected"].get("reduction") for e in examples}
    assert {"none", "7割", "5割", "2割"} <= reductions


@pytest.mark.parametrize(("path", "index"), EXAMPLES, ids=[f"{p.stem}-{i}" for p, i in EXAMPLES])
def test_published_worked_example(path, index):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["source"]["url"].startswith("http") and data["source"]["quote"]
    example = data["examples"][index]
    result = calculate_kouki(KoukiIn.model_validate(example["input"]))
    found = differences(example["expected"], result)
    found += differences(example.get("expected_floor_10", {}), result, seen=lambda v: floor_to(v, 10))
    assert not found, report(data["source"], found, [example["name"], *result["steps"]])
