"""Staff-screen fixtures shared by the screen tests: signed-in clerks and the 青木 family."""

from __future__ import annotations

import pytest

from tests.registry.conftest import days_ago, person
from tests.registry.ui.test_screens import MY_NUMBER, staff_client


@pytest.fixture
def counter(aizu):
    return staff_client("madoguchi", ["counter"])


@pytest.fixture
def welfare(aizu):
    return staff_client("fukushi", ["welfare"])


@pytest.fixture
def family(registry):
    """青木 family: 世帯主 with a 個人番号 and 本籍, 妻, 子. Returns (setai_no, [atena…])."""
    result = registry.move_in(
        person(my_number=MY_NUMBER, domicile="福島県会津若松市東栄町1番", domicile_head="青木 太郎"),
        person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"),
        person("青木 一郎", "アオキ イチロウ", "1990-05-05", 1, "子"),
        move_date=days_ago(20),
    )
    return result["setai_no"], [p["atena_no"] for p in result["persons"]]
