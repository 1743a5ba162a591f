"""児童手当の支払 (児童手当法 第8条第4項, insurance-welfare-facts §6: paid in even months, each for
the months up to the one before): each month at the 月額 of its own period (a 額改定 in between
shows both), from the 支給開始月 to the 支給終了月, from the month after the last one an earlier
run paid — a late 認定 caught up, back to two years (第23条) —, February paying December and
January, odd months refused, one run per 支払月, a killed run resumed, an audit row per page."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from yakuba.child_allowance.models import AmountPeriod, Entitlement
from yakuba.child_allowance.services import payments
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.payments import runs
from yakuba.platform.payments.models import Payment, PaymentRun
from yakuba.platform.tenancy.context import tenant_context

DECEMBER = date(2026, 12, 1)
OCTOBER = date(2026, 10, 1)


def entitlement(claimant: str, first: date, last: date | None = None, **periods) -> Entitlement:
    """An 認定 of ``claimant`` from ``first`` to ``last`` with its amount periods
    (``periods``: ``{"2026-04": 10000, "2026-11": 25000}`` — each runs until the next)."""
    found = Entitlement.objects.create(
        lg_code=AIZU,
        claimant_atena_no=claimant,
        setai_no=claimant,
        choice_basis="income",
        status="ended" if last else "active",
        claimed_on=first,
        certified_on=first,
        first_month=first,
        last_month=last,
        end_reason="move_out" if last else "",
        bank_code="0001",
        branch_code="001",
        account_type="1",
        account_number=claimant[-7:],
        account_holder_kana="ｱｲﾂﾞ ﾀﾛｳ",
        created_at=timezone.now(),
        created_by="test",
    )
    starts = sorted(periods)
    for start, until in zip(starts, [*starts[1:], None], strict=True):
        year, month = map(int, until.split("-")) if until else (0, 0)
        AmountPeriod.objects.create(
            lg_code=AIZU,
            entitlement=found,
            from_month=date(*map(int, start.split("-")), 1),
            until_month=date(year - (month == 1), (month - 2) % 12 + 1, 1) if until else None,
            monthly_total=periods[start],
            children=[],
            reason="certified",
            created_at=timezone.now(),
            created_by="test",
        )
    return found


def _paid(month: date = DECEMBER) -> dict[str, tuple[int, list]]:
    with tenant_context(AIZU):
        rows = Payment.objects.filter(run__month=month)
        return {p: (a, m) for p, a, m in rows.values_list("payee_atena_no", "amount", "months")}


def test_december_pays_october_and_november_each_at_its_own_amount(aizu, system_actor):
    with tenant_context(AIZU):
        entitlement("100000000000001", date(2026, 4, 1), **{"2026-04": 10000, "2026-11": 25000})
        entitlement("100000000000002", date(2025, 4, 1), **{"2025-04": 15000})
    payments.pay(AIZU, OCTOBER)  # paid through September
    status = payments.pay(AIZU, DECEMBER)
    assert (status.done, status.total) == (2, 35000 + 30000)
    assert _paid() == {
        "100000000000001": (35000, [["2026-10", 10000], ["2026-11", 25000]]),
        "100000000000002": (30000, [["2026-10", 15000], ["2026-11", 15000]]),
    }


def test_the_first_and_last_months_of_an_entitlement_bound_what_is_paid(aizu, system_actor):
    with tenant_context(AIZU):
        entitlement("200000000000001", date(2026, 11, 1), **{"2026-11": 10000})  # starts in November
        entitlement(
            "200000000000002", date(2025, 4, 1), date(2026, 10, 1), **{"2025-04": 10000}
        )  # ends October
        entitlement(
            "200000000000003", date(2025, 4, 1), date(2026, 9, 1), **{"2025-04": 10000}
        )  # ended before
        entitlement("200000000000004", date(2026, 12, 1), **{"2026-12": 10000})  # starts after
    payments.pay(AIZU, OCTOBER)
    payments.pay(AIZU, DECEMBER)
    assert _paid() == {
        "200000000000001": (10000, [["2026-11", 10000]]),
        "200000000000002": (10000, [["2026-10", 10000]]),
    }


def test_february_pays_december_and_january(aizu, system_actor):
    with tenant_context(AIZU):
        entitlement("300000000000001", date(2026, 4, 1), **{"2026-04": 10000, "2027-01": 20000})
    payments.pay(AIZU, DECEMBER)
    payments.pay(AIZU, date(2027, 2, 1))
    assert _paid(date(2027, 2, 1)) == {"300000000000001": (30000, [["2026-12", 10000], ["2027-01", 20000]])}


@pytest.mark.parametrize("month", [1, 3, 5, 7, 9, 11])
def test_an_odd_month_is_refused(aizu, system_actor, month):
    with pytest.raises(runs.PaymentRejected, match=f"偶数月.*2027年{month}月"):
        payments.pay(AIZU, date(2027, month, 1))


def test_a_second_run_of_the_month_pays_nobody_again(aizu, system_actor):
    with tenant_context(AIZU):
        entitlement("400000000000001", date(2026, 4, 1), **{"2026-04": 10000})
    first = payments.pay(AIZU, DECEMBER)
    with tenant_context(AIZU):
        entitlement("400000000000002", date(2026, 4, 1), **{"2026-04": 10000})  # recorded after the run
    assert payments.pay(AIZU, DECEMBER) == first
    assert set(_paid()) == {"400000000000001"}
    # February catches the late 認定 up from its 支給開始月; the other is paid its two months.
    payments.pay(AIZU, date(2027, 2, 1))
    late = _paid(date(2027, 2, 1))
    assert late["400000000000002"][0] == 10 * 10000 and late["400000000000002"][1][0] == ["2026-04", 10000]
    assert late["400000000000001"] == (20000, [["2026-12", 10000], ["2027-01", 10000]])


def test_months_never_paid_go_back_two_years_and_only_this_domains_runs_count(aizu, system_actor):
    with tenant_context(AIZU):
        found = entitlement("600000000000001", date(2023, 4, 1), **{"2023-04": 10000})
    # Another domain paid a row with the same id through November: it is not this 認定's payment.
    runs.pay(
        AIZU,
        "other",
        OCTOBER,
        runs.Source(
            "SELECT %s::bigint AS reference, 'x' AS payee_atena_no, 1 AS amount,"
            " '[[\"2026-11\", 1]]'::jsonb AS months, '0001' AS bank_code, '001' AS branch_code,"
            " '1' AS account_type, '1' AS account_number, 'ｱ' AS account_holder_kana",
            (found.id,),
        ),
        purpose="テスト",
    )
    payments.pay(AIZU, DECEMBER)
    amount, months = _paid()["600000000000001"]
    assert (amount, months[0], months[-1], len(months)) == (
        240000,
        ["2024-12", 10000],
        ["2026-11", 10000],
        24,
    )


def test_a_killed_run_resumes_to_what_an_uninterrupted_run_pays(aizu, system_actor):
    with tenant_context(AIZU):
        for n in range(1, 12):
            entitlement(f"5000000000000{n:02d}", date(2026, 4, 1), **{"2026-04": 10000 + n})
    uninterrupted = payments.pay(AIZU, DECEMBER, page_size=3)
    with tenant_context(AIZU):
        Payment.objects.all().delete()
        PaymentRun.objects.all().delete()

    class Killed(Exception):
        pass

    walked = []

    def kill_at_the_second_page(n):
        walked.append(n)
        if len(walked) == 2:
            raise Killed

    with pytest.raises(Killed):
        payments.pay(AIZU, DECEMBER, page_size=3, progress=kill_at_the_second_page)
    with tenant_context(AIZU):
        assert Payment.objects.count() == 6
        assert payments.to_walk(DECEMBER) == 11
    resumed = payments.pay(AIZU, DECEMBER, page_size=3)
    assert (resumed.checksum, resumed.done, resumed.total) == (
        uninterrupted.checksum,
        11,
        uninterrupted.total,
    )
    with tenant_context(AIZU):
        pages = AuditEntry.objects.filter(resource=runs.RESOURCE, purpose=payments.PURPOSE)
        # 4 pages uninterrupted, then 2 before the kill and 2 after it.
        assert pages.count() == 8
        assert {e.detail["month"] for e in pages} == {"2026-12"}


def test_the_payments_to_a_claimant_latest_first(aizu, system_actor, django_assert_num_queries):
    with tenant_context(AIZU):
        entitlement("700000000000001", date(2026, 8, 1), **{"2026-08": 10000, "2026-11": 25000})
    payments.pay(AIZU, OCTOBER)
    payments.pay(AIZU, DECEMBER)
    with tenant_context(AIZU), django_assert_num_queries(1):
        history = payments.paid_to("700000000000001")
    assert [(p.month, p.pay_on, p.amount) for p in history] == [
        (DECEMBER, date(2026, 12, 10), 35000),
        (OCTOBER, date(2026, 10, 9), 20000),  # the 10th is a Saturday
    ]
    assert history[0].months == [["2026-10", 10000], ["2026-11", 25000]]
