"""The whole 児童扶養手当 year on a generated town: 認定請求 in June, the August 現況届 run, one
受給者 filing and one not (差止め from November, paid after filing), the odd-month payments with
the months they cover — each through the app's door (消滅 from the registry: test_follow.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.child_support_allowance import town
from tests.conftest import AIZU
from yakuba.child_support_allowance.codes import DeterminationReason
from yakuba.child_support_allowance.events import REVISED
from yakuba.child_support_allowance.models import Determination, Entitlement, StatusReport
from yakuba.child_support_allowance.services import (
    FactsIn,
    Rejected,
    entitlement,
    payments,
    status_report,
)
from yakuba.platform.linkage.models import Event
from yakuba.platform.payments.models import Payment
from yakuba.platform.tenancy.context import tenant_context

# A deduction that brings any 所得 to 0: every 受給者 here is 全部支給, so every month pays.
FULL = {"other_deductions": 50_000_000}


@pytest.fixture
def certified(aizu, system_actor):
    """Three 受給者 certified on 2025-06-10 (paid from July), all 全部支給."""
    town.build()
    found = []
    with tenant_context(AIZU):
        for parent, kids in town.families(3):
            found.append((entitlement.apply_claim(town.claim(parent, kids, **FULL)), kids))
    return found


def paid(month: date) -> dict[str, list]:
    """{受給者: [[月, 円], …]} of the run of the 支払月."""
    with tenant_context(AIZU):
        rows = Payment.objects.filter(run__domain=payments.DOMAIN, run__month=month).values_list(
            "payee_atena_no", "months"
        )
        return dict(rows)


def test_the_august_run_opens_one_report_each_and_resumes_after_a_kill(certified, monkeypatch):
    monkeypatch.setattr(status_report, "PAGE", 1)
    real = status_report.write_page
    calls = []

    def dying(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(status_report, "write_page", dying)
    with pytest.raises(RuntimeError):
        status_report.open_reports(AIZU, 2025)
    monkeypatch.setattr(status_report, "write_page", real)
    done = status_report.open_reports(AIZU, 2025)
    assert (done.state, done.done) == ("done", 3)
    assert status_report.open_reports(AIZU, 2025).done == 3  # a finished run does nothing
    with tenant_context(AIZU):
        assert StatusReport.objects.filter(benefit_year=2025).count() == 3
        assert status_report.outstanding_count(2025) == 3


def test_a_year_of_payments_with_a_withheld_and_a_late_report(certified):
    (a, _), (b, _), (c, _) = certified
    status_report.open_reports(AIZU, 2025)
    with tenant_context(AIZU):
        det = status_report.record_report(a.claimant_atena_no, 2025, date(2025, 8, 20), FactsIn(**FULL))
        monthly = {e.claimant_atena_no: _monthly(e) for e, _k in certified}
    assert (det.benefit_year, det.version, det.reason) == (2025, 1, DeterminationReason.STATUS_REPORT)
    # 令和8年度's amounts are not in the data yet: the 支給年度 is decided to 2026-03, noted.
    assert det.until_month == date(2026, 3, 1) and "2026年4月分以降" in det.note
    payments.pay(AIZU, date(2025, 9, 1))
    assert paid(date(2025, 9, 1)) == {
        e.claimant_atena_no: [
            ["2025-07", monthly[e.claimant_atena_no]],
            ["2025-08", monthly[e.claimant_atena_no]],
        ]
        for e in (a, b, c)
    }
    payments.pay(AIZU, date(2025, 11, 1))
    assert {k: [m for m, _y in v] for k, v in paid(date(2025, 11, 1)).items()} == {
        e.claimant_atena_no: ["2025-09", "2025-10"] for e in (a, b, c)
    }
    # January pays November–December to the one who filed; the others are withheld (差止め).
    payments.pay(AIZU, date(2026, 1, 1))
    assert list(paid(date(2026, 1, 1))) == [a.claimant_atena_no]
    with tenant_context(AIZU):
        outstanding = status_report.outstanding(2025)
        assert {o.atena_no for o in outstanding} == {b.claimant_atena_no, c.claimant_atena_no}
        assert all(o.withheld for o in outstanding)
        status_report.record_report(b.claimant_atena_no, 2025, date(2026, 2, 2), FactsIn(**FULL))
    # March pays January–February, and to the late filer the withheld months too.
    payments.pay(AIZU, date(2026, 3, 1))
    covered = {k: [m for m, _y in v] for k, v in paid(date(2026, 3, 1)).items()}
    assert covered == {
        a.claimant_atena_no: ["2026-01", "2026-02"],
        b.claimant_atena_no: ["2025-11", "2025-12", "2026-01", "2026-02"],
    }
    # Running a 支払月 again pays nobody twice.
    again = payments.pay(AIZU, date(2026, 3, 1))
    assert again.done == 2


def _monthly(row: Entitlement) -> int:
    det = Determination.objects.get(entitlement=row, benefit_year=2024)
    return det.periods.get().monthly_total


def test_the_payment_query_costs_the_same_whatever_the_numberpaid(aizu, system_actor):
    town.build()
    (first, first_kids), *others = town.families(3)
    with tenant_context(AIZU):
        entitlement.apply_claim(town.claim(first, first_kids, **FULL))
    with CaptureQueriesContext(connections["default"]) as one:
        payments.pay(AIZU, date(2025, 9, 1))
    with tenant_context(AIZU):
        for parent, kids in others:
            entitlement.apply_claim(town.claim(parent, kids, **FULL))
    with CaptureQueriesContext(connections["default"]) as three:
        payments.pay(AIZU, date(2025, 11, 1))
    assert (len(paid(date(2025, 9, 1))), len(paid(date(2025, 11, 1)))) == (1, 3)
    # The two certified after September's run get July–August with September–October.
    assert sorted(len(v) for v in paid(date(2025, 11, 1)).values()) == [2, 4, 4]
    assert len(three) == len(one)


def test_an_even_month_is_refused():
    with pytest.raises(ValueError, match="支払月ではありません"):
        payments.source(date(2025, 10, 1))


def test_a_report_twice_or_for_no_one_is_refused_naming_the_field(certified):
    (a, _), _b, _c = certified
    with tenant_context(AIZU):
        status_report.record_report(a.claimant_atena_no, 2025, date(2025, 8, 20), FactsIn(**FULL))
        with pytest.raises(Rejected) as twice:
            status_report.record_report(a.claimant_atena_no, 2025, date(2025, 8, 21), FactsIn())
        with pytest.raises(Rejected) as nobody:
            status_report.record_report("999999999", 2025, date(2025, 8, 21), FactsIn())
    assert [e["field"] for e in twice.value.errors] == ["benefit_year"]
    assert [e["field"] for e in nobody.value.errors] == ["atena_no"]


def test_a_recorded_report_with_high_income_stops_the_allowance_and_says_so(certified):
    (a, _), _b, _c = certified
    with tenant_context(AIZU):
        det = status_report.record_report(
            a.claimant_atena_no, 2025, date(2025, 8, 20), FactsIn(child_support_received_annual=90_000_000)
        )
        events = list(Event.objects.filter(subject=a.claimant_atena_no).values_list("type", flat=True))
        assert det.category == "stopped" and det.periods.get().monthly_total == 0
    assert events[-1] == "jp.yakuba.child_support_allowance.entitlement.suspended.v1"
    payments.pay(AIZU, date(2026, 1, 1))
    # No run paid July–October before: January pays them (catch-up), but not November–December.
    assert [m for m, _y in paid(date(2026, 1, 1))[a.claimant_atena_no]] == [
        "2025-07",
        "2025-08",
        "2025-09",
        "2025-10",
    ]


def test_a_revision_event_carries_the_months(certified):
    (a, _), _b, _c = certified
    with tenant_context(AIZU):
        status_report.record_report(a.claimant_atena_no, 2025, date(2025, 8, 20), FactsIn(**FULL))
        event = Event.objects.get(type=REVISED)
    assert event.data["benefit_year"] == 2025 and event.data["monthly"][0][:2] == ["2025-11", "2026-03"]


def test_the_outstanding_list_costs_the_same_queries_for_one_row_or_many(certified):
    status_report.open_reports(AIZU, 2025)
    with tenant_context(AIZU):
        with CaptureQueriesContext(connections["default"]) as one:
            assert len(status_report.outstanding(2025, limit=1)) == 1
        with CaptureQueriesContext(connections["default"]) as three:
            assert len(status_report.outstanding(2025, limit=3)) == 3
    assert len(one) == len(three) <= 5


def test_a_claim_paid_from_november_needs_no_status_report_that_year(aizu, system_actor):
    town.build()
    (parent, kids), (other, other_kids) = town.families(2)
    with tenant_context(AIZU):
        entitlement.apply_claim(town.claim(parent, kids, date(2025, 10, 1), **FULL))
        entitlement.apply_claim(town.claim(other, other_kids, **FULL))
    assert status_report.open_reports(AIZU, 2025).done == 1
    with tenant_context(AIZU), pytest.raises(Rejected) as refused:
        status_report.record_report(parent, 2025, date(2025, 10, 20), FactsIn(**FULL))
    assert "認定のときに決まっています" in refused.value.errors[0]["message"]
