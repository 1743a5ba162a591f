"""A 国民年金保険料 免除 judgement from the contract's JSON in a few words; a family registered
since 2024 with its 2025年度 個人住民税 and the 届出・申請 bodies of the counter."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import person, registry  # noqa: F401 (fixture)
from yakuba.national_pension.services import ApplicationIn, ExemptionIn, NotificationIn, judge_exemption
from yakuba.platform.tenancy.context import tenant_context
from yakuba.tax.services import assessment, income_generate

BIRTH = "1985-10-10"


def exempt(fiscal_year: int = 2025, applicant: dict | None = None, **extra) -> dict:
    """``exempt(2025, {"other_income": 670_000})``: an applicant born 1985-10-10 unless given."""
    person = {"birth_date": BIRTH, **(applicant or {})}
    return judge_exemption(
        ExemptionIn.model_validate({"fiscal_year": fiscal_year, "applicant": person, **extra})
    )


MY_NUMBER = "123456789018"  # a valid check digit
YEAR = 2025  # 免除年度 2025 = 2025年7月〜2026年6月, on the 2024 所得 = the tax app's 2025年度


@pytest.fixture
def family(registry, system_actor):  # noqa: F811
    """A couple registered since 2024 (so the 2025年度 個人住民税 assessed them) and a son who
    reached 20 on 2026-04-01."""
    filed = registry.move_in(
        person("年金 一郎", "ネンキン イチロウ", "1980-05-10", 1, "世帯主"),
        person("年金 花子", "ネンキン ハナコ", "1982-08-20", 2, "妻"),
        person("年金 太郎", "ネンキン タロウ", "2006-04-02", 1, "子"),
        move_date="2024-12-01",
    )
    atena = [p["atena_no"] for p in filed["persons"]]
    with tenant_context(AIZU):
        income_generate.generate(YEAR)
    assessment.run_initial(AIZU, YEAR)
    return atena


def notification(atena_no: str, **extra) -> NotificationIn:
    body = {
        "atena_no": atena_no,
        "kind": "acquired",
        "reason": "age_20",
        "occurred_on": "2026-04-01",
        "notified_on": "2026-04-10",
        **extra,
    }
    return NotificationIn.model_validate(body)


def application(atena_no: str, **extra) -> ApplicationIn:
    body = {
        "atena_no": atena_no,
        "fiscal_year": YEAR,
        "applied": "full",
        "applied_on": "2025-07-15",
        "applicant": {"dependents": 1},
        **extra,
    }
    return ApplicationIn.model_validate(body)
