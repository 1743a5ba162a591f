"""Golden cases: municipalities' published 第9期 段階表 (保険料段階 and annual amounts), one JSON
file per page under golden/cases/ with its source URL and the page's own lines quoted. Every
段階's printed amount is asserted, for a person the page's wording places in it
(tests/golden.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden import check_example, examples
from yakuba.long_term_care.services import KaigoIn, calculate_kaigo

CASES = Path(__file__).parent / "golden" / "cases"
EXAMPLES = examples(CASES)


def test_every_standard_stage_to_ten_is_published_and_three_roundings_are_shown():
    given = [
        e for path in CASES.glob("*.json") for e in json.loads(path.read_text(encoding="utf-8"))["examples"]
    ]
    assert {e["expected"]["stage"] for e in given} >= set(range(1, 11))
    assert len({json.dumps(e["input"].get("rounding")) for e in given}) == 3


@pytest.mark.parametrize(("path", "index"), EXAMPLES, ids=[f"{p.stem}-{i}" for p, i in EXAMPLES])
def test_published_stage_table(path, index):
    check_example(path, index, lambda body: calculate_kaigo(KaigoIn.model_validate(body)))
