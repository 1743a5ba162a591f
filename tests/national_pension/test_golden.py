"""Golden cases: municipalities' published 所得の目安 of the 国民年金保険料 免除 (one JSON file per
page under golden/cases/ with its source URL and the page's own lines quoted). Every printed 所得
is asserted as the limit and as the grant at the limit, and one yen above it as the next level;
every printed 収入 as the grant (tests/golden.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden import check_example, examples
from yakuba.national_pension.services import ExemptionIn, judge_exemption

CASES = Path(__file__).parent / "golden" / "cases"
EXAMPLES = examples(CASES)


def test_two_years_with_different_limits_are_published():
    years = {
        e["input"]["fiscal_year"]
        for path in CASES.glob("*.json")
        for e in json.loads(path.read_text(encoding="utf-8"))["examples"]
    }
    assert years == {2020, 2025}


@pytest.mark.parametrize(("path", "index"), EXAMPLES, ids=[f"{p.stem}-{i}" for p, i in EXAMPLES])
def test_published_income_guide(path, index):
    check_example(path, index, lambda body: judge_exemption(ExemptionIn.model_validate(body)))
