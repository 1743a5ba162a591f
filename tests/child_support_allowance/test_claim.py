"""The 認定請求 on a generated town: the 認定, its first 支給年度 from the tax app's 所得, the event,
the audit row; refusals naming their field."""

from __future__ import annotations

from datetime import date

import pytest

from tests.child_support_allowance import town
from tests.conftest import AIZU
from yakuba.child_support_allowance.events import CERTIFIED
from yakuba.child_support_allowance.models import AmountPeriod, Determination
from yakuba.child_support_allowance.services import Rejected, calculate_support_allowance, entitlement
from yakuba.child_support_allowance.services.calculation import SupportAllowanceIn
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.models import Resident
from yakuba.tax.services import assessment


@pytest.fixture
def seeded(aizu, system_actor):
    town.build()
    return town.families()


def test_a_claim_pays_from_the_month_after_with_the_engines_amount(seeded):
    parent, kids = seeded[0]
    with tenant_context(AIZU):
        row = entitlement.apply_claim(town.claim(parent, kids))
        det = Determination.objects.get(entitlement=row)
        periods = list(AmountPeriod.objects.filter(determination=det).order_by("from_month"))
        figures = assessment.figures_of([parent], 2024)[parent]
        event = Event.objects.get(type=CERTIFIED)
    assert row.first_month == date(2025, 7, 1)
    assert (det.benefit_year, det.version, det.from_month, det.until_month) == (
        2024,
        1,
        date(2025, 7, 1),
        date(2025, 10, 1),
    )
    assert det.income["tax_year"] == 2024
    expected = calculate_support_allowance(
        SupportAllowanceIn(
            month="2025-07",
            children=len(kids),
            dependants=det.dependants,
            elderly_dependants=det.elderly_dependants,
            specific_dependants=det.specific_dependants,
            income={
                "salary_income": figures.salary_income,
                "public_pension_income": figures.pension_income,
                "other_income": max(figures.total_income - figures.salary_income - figures.pension_income, 0),
            },
            claimant="mother",
        )
    )
    assert [(p.from_month, p.until_month, p.monthly_total) for p in periods] == [
        (date(2025, 7, 1), date(2025, 10, 1), expected["monthly_total"])
    ]
    assert det.income_for_test == expected["income_for_test"]
    assert event.subject == parent and event.data["first_month"] == "2025-07"


def test_a_second_claim_and_a_bad_account_are_refused_naming_the_fields(seeded):
    parent, kids = seeded[0]
    with tenant_context(AIZU):
        entitlement.apply_claim(town.claim(parent, kids))
        with pytest.raises(Rejected) as refused:
            entitlement.apply_claim(town.claim(parent, kids, account_holder_kana="山田 花子"))
    fields = {e["field"] for e in refused.value.errors}
    assert fields == {"claimant_atena_no", "account_holder_kana"}


def test_a_child_counts_to_the_year_end_after_its_18th_birthday(aizu, system_actor):
    """A child born 2006-04-02…2007-04-01 reaches 18 in 令和6年度: counted to 2025-03 only, so the
    支給年度 2024 splits into 2 children (Nov–Mar) and 1 (Apr–Oct) — and April's new amounts."""
    town.build()
    with tenant_context(AIZU):
        older = Resident.objects.filter(
            relationship="子", status=1, birth_date__range=(date(2006, 4, 2), date(2007, 4, 1))
        )
        for child in older.order_by("atena_no"):
            younger = list(
                Resident.objects.filter(
                    setai_no=child.setai_no, relationship="子", birth_date__gt=date(2010, 4, 1)
                ).values_list("atena_no", flat=True)[:1]
            )
            head = Resident.objects.filter(setai_no=child.setai_no, relationship="世帯主").first()
            if younger and head:
                break
        else:
            pytest.skip("no such family in this generated town")
        row = entitlement.apply_claim(
            town.claim(
                head.atena_no, [child.atena_no, *younger], date(2024, 10, 10), other_deductions=50_000_000
            )
        )
        det = Determination.objects.get(entitlement=row, benefit_year=2024)
        periods = [(p.from_month, p.until_month, p.per_child) for p in det.periods.order_by("from_month")]
    assert periods == [
        (date(2024, 11, 1), date(2025, 3, 1), [45500, 10750]),
        (date(2025, 4, 1), date(2025, 10, 1), [46690]),
    ]


@pytest.mark.parametrize(
    ("claimed_on", "years"),
    [(date(2025, 7, 31), [2024]), (date(2025, 9, 30), [2024, 2025]), (date(2025, 10, 1), [2025])],
)
def test_a_claim_in_august_or_september_is_also_the_coming_years_status_report(seeded, claimed_on, years):
    """July: the August run will open the 現況届. August–September: paid from before November, the
    claim also decides the new 支給年度 (its 所得 is assessed). October: paid from November, its own
    支給年度 is already the new one."""
    parent, kids = seeded[0]
    with tenant_context(AIZU):
        row = entitlement.apply_claim(town.claim(parent, kids, claimed_on))
        decided = sorted(
            set(Determination.objects.filter(entitlement=row).values_list("benefit_year", flat=True))
        )
    assert decided == years
