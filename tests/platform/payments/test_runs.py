"""支払 runs from any domain's SELECT: written once per (domain, 支払月), a killed run resumes to the
same checksum, one audit row per page, the 支払日 moved earlier past closed days, the 全銀 file
of the run with its trailer and its export audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from yakuba.platform.audit.models import AuditEntry as Entry
from yakuba.platform.payments import runs
from yakuba.platform.payments.models import Payment, PaymentRun, Requester
from yakuba.platform.tenancy.context import tenant_context

# 25 payees; every fifth pays nothing this month (amount 0: not paid).
SOURCE = runs.Source(
    "SELECT g::bigint AS reference, lpad(g::text, 15, '0') AS payee_atena_no,"
    " CASE WHEN g %% 5 = 0 THEN 0 ELSE 10000 + g END AS amount,"
    " jsonb_build_array(jsonb_build_array('2026-10', 5000), jsonb_build_array('2026-11', 5000 + g)) AS months,"
    " '0001' AS bank_code, '001' AS branch_code, '1' AS account_type, lpad(g::text, 7, '0') AS account_number,"
    " 'ﾔﾏﾀﾞ ﾀﾛｳ' AS account_holder_kana FROM generate_series(1, %s) g",
    (25,),
)
# The same, paged by a SELECT of its keys.
KEYED = runs.Source(
    SOURCE.sql,
    SOURCE.params,
    keys="SELECT g::bigint AS reference FROM generate_series(1, %s) g",
    key_params=(25,),
)
DECEMBER = date(2026, 12, 1)
PAID = [g for g in range(1, 26) if g % 5]


def _pay(source=SOURCE, **options):
    return runs.pay(AIZU, "test", DECEMBER, source, purpose="テスト支払", **options)


def _requester(pay_day: int = 10):
    with tenant_context(AIZU):
        Requester.objects.create(
            lg_code=AIZU,
            requester_code="123",
            requester_name="ｱｲﾂﾞﾜｶﾏﾂｼ",
            bank_code="0128",
            branch_code="001",
            account_type="1",
            account_number="1234567",
            pay_day=pay_day,
            created_by="test",
        )


@pytest.mark.parametrize("source", [SOURCE, KEYED], ids=["by-rows", "by-keys"])
def test_a_run_pays_each_row_with_an_amount_once(aizu, system_actor, source):
    status = _pay(source, page_size=10)
    assert (status.state, status.done, status.total) == ("done", len(PAID), sum(10000 + g for g in PAID))
    with tenant_context(AIZU):
        assert sorted(Payment.objects.values_list("reference", flat=True)) == PAID
        months = Payment.objects.get(reference=3).months
        pages = Entry.objects.filter(resource=runs.RESOURCE, action="create").order_by("chain_no")
        assert [e.detail["through"] for e in pages] == [10, 20, 25]
        assert sum(e.detail["count"] for e in pages) == len(PAID)
    assert months == [["2026-10", 5000], ["2026-11", 5003]]
    assert _pay(source) == status  # the same 支払月 again: nobody is paid twice
    with tenant_context(AIZU):
        assert Payment.objects.count() == len(PAID)


@pytest.mark.parametrize("source", [SOURCE, KEYED], ids=["by-rows", "by-keys"])
def test_a_killed_run_resumes_to_the_same_checksum(aizu, system_actor, source):
    uninterrupted = _pay(source, page_size=4).checksum
    with tenant_context(AIZU):
        Payment.objects.all().delete()
        PaymentRun.objects.all().delete()

    class Killed(Exception):
        pass

    def kill_at_the_third_page(n, seen=[]):  # noqa: B006 - counts the calls of this test
        seen.append(n)
        if len(seen) == 3:
            raise Killed

    with pytest.raises(Killed):
        _pay(source, page_size=4, progress=kill_at_the_third_page)
    with tenant_context(AIZU):
        run = PaymentRun.objects.get()
        assert run.state == "running" and run.last_reference == 12
        assert run.done == Payment.objects.count() < len(PAID)
    assert _pay(source, page_size=4).checksum == uninterrupted


def test_a_pages_queries_do_not_grow_with_its_size(aizu, system_actor):
    with CaptureQueriesContext(connections["default"]) as captured:
        _pay(page_size=100)
    small = len(captured)
    with tenant_context(AIZU):
        Payment.objects.all().delete()
        PaymentRun.objects.all().delete()
    with CaptureQueriesContext(connections["default"]) as captured:
        runs.pay(
            AIZU, "test", DECEMBER, runs.Source(SOURCE.sql, (2500,)), purpose="テスト支払", page_size=10_000
        )
    assert len(captured) == small


@pytest.mark.parametrize(
    ("day", "paid_on"),
    [
        (10, date(2026, 12, 10)),  # a Thursday
        (12, date(2026, 12, 11)),  # Saturday → Friday
        (13, date(2026, 12, 11)),  # Sunday → Friday
        (30, date(2026, 12, 28)),  # 年末 (12月29日–) → the last open day
    ],
)
def test_the_pay_day_moves_earlier_past_closed_days(aizu, system_actor, day, paid_on):
    _requester(day)
    with tenant_context(AIZU):
        assert runs.pay_day(DECEMBER) == paid_on


def test_the_default_pay_day_is_the_tenth_or_earlier(aizu):
    with tenant_context(AIZU):
        assert runs.pay_day(date(2027, 10, 1)) == date(2027, 10, 8)  # 10日 Sunday, 11日 スポーツの日
        assert runs.pay_day(date(2027, 2, 1)) == date(2027, 2, 10)


def test_the_transfer_file_of_a_run(aizu, system_actor):
    _requester()
    with pytest.raises(runs.PaymentRejected, match="支払が完了していません"):
        runs.transfer_file(AIZU, "test", DECEMBER, purpose="全銀")
    status = _pay()
    body = b"".join(runs.transfer_file(AIZU, "test", DECEMBER, purpose="全銀ファイル"))
    records = body.split(b"\r\n")[:-1]
    assert len(records) == len(PAID) + 3
    assert records[0][54:58] == b"1210"
    assert records[-2][:19] == b"8" + f"{len(PAID):06d}".encode() + f"{status.total:012d}".encode()
    with tenant_context(AIZU):
        export = Entry.objects.get(resource=runs.RESOURCE, action="export")
    assert export.purpose == "全銀ファイル" and len(export.subject_ids) == len(PAID)


def test_no_file_without_a_requester(aizu, system_actor):
    _pay()
    with pytest.raises(runs.PaymentRejected, match="振込依頼人が設定されていません"):
        runs.transfer_file(AIZU, "test", DECEMBER, purpose="全銀")
