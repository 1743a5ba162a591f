"""Golden cases: published 児童手当 examples (one JSON file per page under golden/cases/ with its
source URL and the page's lines quoted) — families of three to six children, with a counted
大学生年代 after 令和6年10月分 and an uncounted one before; every printed figure is asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden import check_example, examples
from yakuba.child_allowance.services import AllowanceIn, calculate_allowance

CASES = Path(__file__).parent / "golden" / "cases"
EXAMPLES = examples(CASES)


def test_both_schemes_are_published():
    months = {
        e["input"]["month"]
        for path in CASES.glob("*.json")
        for e in json.loads(path.read_text(encoding="utf-8"))["examples"]
    }
    assert min(months) < "2024-10" <= max(months)


@pytest.mark.parametrize(("path", "index"), EXAMPLES, ids=[f"{p.stem}-{i}" for p, i in EXAMPLES])
def test_published_example(path, index):
    check_example(path, index, lambda body: calculate_allowance(AllowanceIn.model_validate(body)))
