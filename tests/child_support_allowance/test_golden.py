"""Golden cases: municipalities' published 児童扶養手当 pages (one JSON file per page under
golden/cases/ with its source URL and the page's own lines quoted) — the 手当月額 (全部支給 and the
一部支給 range), the 所得制限限度額 by 扶養親族等の数 and 平戸市's 一部支給 計算例; every printed
figure asserted (tests/golden.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden import check_example, examples
from yakuba.child_support_allowance.services import SupportAllowanceIn, calculate_support_allowance

CASES = Path(__file__).parent / "golden" / "cases"
EXAMPLES = examples(CASES)


def test_every_period_of_the_data_is_published():
    months = {
        e["input"]["month"]
        for path in CASES.glob("*.json")
        for e in json.loads(path.read_text(encoding="utf-8"))["examples"]
    }
    assert months == {"2023-04", "2024-10", "2024-11", "2025-04"}


@pytest.mark.parametrize(("path", "index"), EXAMPLES, ids=[f"{p.stem}-{i}" for p, i in EXAMPLES])
def test_published_amounts_and_limits(path, index):
    check_example(
        path, index, lambda body: calculate_support_allowance(SupportAllowanceIn.model_validate(body))
    )
