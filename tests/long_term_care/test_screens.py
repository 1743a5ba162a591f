"""介護保険 staff screens: 資格照会, 65歳到達 and the home count (the shared checks of
tests/insured_screens.py), and the 保険料段階・負担割合 form built from the API's model."""

from __future__ import annotations

import pytest

from tests.insured_screens import *  # noqa: F403 (the shared tests run here)
from tests.insured_screens import Area
from tests.registry.ui.test_screens import field_block
from yakuba.long_term_care.codes import AcquiredReason, LostReason
from yakuba.long_term_care.services.qualification import BOOK

pytestmark = pytest.mark.django_db
WORDS = ("65歳到達", "転入", "転出")
BASE = {"fiscal_year": "2025", "base_amount": "73,200", "person.birth_date": "S30.4.1"}


@pytest.fixture
def area() -> Area:
    return Area(
        "long_term_care", BOOK, 65, AcquiredReason.AGE, AcquiredReason.MOVE_IN, LostReason.MOVE_OUT, WORDS
    )


def test_the_stage_and_the_copay_with_every_step(clerk):
    assert "基準額（年額）" in clerk.get("/long_term_care/calculate/").content.decode()
    typed = {
        "person.household_taxed": "1",
        "person.public_pension_revenue": "1,000,000",
        "rounding.unit": "100",
    }
    response = clerk.post("/long_term_care/calculate/", {**BASE, **typed})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="stage">第' in page and "利用者負担割合" in page
    assert 'id="steps"' in page and "1割" in page


def test_an_impossible_status_is_refused_on_its_input(clerk):
    response = clerk.post("/long_term_care/calculate/", {**BASE, "person.taxed": "1"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "本人が課税なら世帯にも課税者がいます" in field_block(page, "f-person-household-taxed")
    unreadable = clerk.post("/long_term_care/calculate/", {**BASE, "multipliers": "1, x"}).content.decode()
    assert "「,」で区切って" in field_block(unreadable, "f-multipliers")
