"""Golden cases: worked examples (算定例) published by 広域連合 and municipalities, one JSON file
per page under golden/cases/ with its source URL and the page's own lines quoted, each example of
the page an entry of ``examples``. Every figure the page prints is asserted; what it does not
print is not invented (tests/golden.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden import check_example, examples
from yakuba.late_elderly_medical.services import KoukiIn, calculate_kouki

CASES = Path(__file__).parent / "golden" / "cases"
EXAMPLES = examples(CASES)


def test_there_are_golden_cases_of_two_years_with_and_without_reduction():
    given = [
        e for path in CASES.glob("*.json") for e in json.loads(path.read_text(encoding="utf-8"))["examples"]
    ]
    assert {e["input"]["fiscal_year"] for e in given} >= {2024, 2025}
    assert {"none", "7割", "5割", "2割"} <= {e["expected"].get("reduction") for e in given}


@pytest.mark.parametrize(("path", "index"), EXAMPLES, ids=[f"{p.stem}-{i}" for p, i in EXAMPLES])
def test_published_worked_example(path, index):
    check_example(path, index, lambda body: calculate_kouki(KoukiIn.model_validate(body)))
