"""後期高齢者医療 staff screens: 資格照会, 75歳到達 and the home count (the shared checks of
tests/insured_screens.py), and the 保険料 calculation form built from the API's model."""

from __future__ import annotations

import pytest

from tests.insured_screens import *  # noqa: F403 (the shared tests run here)
from tests.insured_screens import Area
from tests.registry.ui.test_screens import field_block
from yakuba.late_elderly_medical.codes import AcquiredReason, LostReason
from yakuba.late_elderly_medical.services.qualification import BOOK

pytestmark = pytest.mark.django_db


@pytest.fixture
def area() -> Area:
    return Area(
        "late_elderly_medical",
        BOOK,
        75,
        AcquiredReason.AGE,
        AcquiredReason.MOVE_IN,
        LostReason.MOVE_OUT,
        ("75歳到達", "転入", "転出"),
    )


RATES = {"fiscal_year": "2025", "rates.per_capita": "52,953", "rates.income_rate": "11.79"}
HEAD = {"household[0].role": "世帯主", "household[0].member": "1"}


def test_the_calculation_shows_every_step(clerk):
    form = clerk.get("/late_elderly_medical/calculate/").content.decode()
    assert "均等割額（広域連合）" in form and 'value="世帯主"' in form
    typed = {
        "household[0].birth_date": "S20.5.1",
        "household[0].public_pension_revenue": "２，０００，０００円",
    }
    response = clerk.post("/late_elderly_medical/calculate/", {**RATES, **HEAD, **typed})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="steps"' in page and "年間保険料" in page
    assert "公的年金等収入 2,000,000円" in page  # a step line, in Japanese


def test_a_bad_field_gets_its_error_on_its_input(clerk):
    bad = clerk.post("/late_elderly_medical/calculate/", {**RATES, **HEAD, "rates.per_capita": "abc"})
    page = bad.content.decode()
    assert bad.status_code == 422 and "入力内容に誤りがあります" in page
    assert "数字で入力してください" in field_block(page, "f-rates-per-capita")
    missing = clerk.post("/late_elderly_medical/calculate/", {**RATES, **HEAD})  # the engine's own check
    text = missing.content.decode()
    assert missing.status_code == 422
    assert "生年月日または年齢を入力してください" in field_block(text, "f-household-0-birth-date")
    assert "household-1" not in text.split('id="calculation-form"')[0]  # the empty rows say nothing
