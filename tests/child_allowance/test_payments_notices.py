"""支払通知: one PDF per 受給者 with each month's 月額 (a 額改定 in between shows both), the 支払日
and the 口座 masked; a 受給者 under 支援措置 is left out of the bulk print and named, and each
page is one print audit row."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.child_allowance.test_payments import DECEMBER, entitlement
from tests.conftest import AIZU
from yakuba.child_allowance.services import payments
from yakuba.cli import main
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.registry.generate import generate_population
from yakuba.registry.models import Resident


@pytest.fixture
def paid(aizu, system_actor):
    """Three 受給者 paid in December 2026; the third under 支援措置."""
    with tenant_context(AIZU):
        generate_population(30, seed=3, as_of=date(2026, 1, 1))
        people = list(Resident.objects.order_by("atena_no").values_list("atena_no", flat=True)[:3])
        entitlement(people[0], date(2026, 10, 1), **{"2026-10": 10000, "2026-11": 25000})
        entitlement(people[1], date(2026, 10, 1), **{"2026-10": 15000})
        entitlement(people[2], date(2026, 10, 1), **{"2026-10": 15000})
        registry.set_measure(people[2], starts_on=timezone.localdate(), kind="dv")
    payments.pay(AIZU, DECEMBER)
    return people


def test_a_notice_shows_each_month_and_the_protected_are_left_out(paid):
    with tenant_context(AIZU):
        page = payments.notices_page(DECEMBER)
        assert page.withheld == [paid[2]]
        first = next(n for n in page.documents if n.atena_no == paid[0])
        assert first.months == [("令和8年10月分", 10000), ("令和8年11月分", 25000)]
        assert first.amount == 35000 and first.account.endswith(f"****{paid[0][-3:]}")
        assert page.heading["pay_on"] == "令和8年12月10日"
        audit = AuditEntry.objects.get(resource=payments.NOTICE_RESOURCE)
        assert sorted(audit.subject_ids) == sorted(paid[:2]) and audit.detail["withheld"] == [paid[2]]
        assert payments.notices_page(DECEMBER, after=page.last).last == 0


def test_the_cli_writes_one_pdf_per_payee(paid, tmp_path, capsys):
    assert (
        main(
            [
                "child",
                "allowance",
                "notices",
                AIZU,
                "--month",
                "2026-12",
                "--out",
                str(tmp_path),
                "--workers",
                "0",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "2 通" in out and paid[2] in out
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == sorted(f"児童手当 支払通知書-{a}.pdf" for a in paid[:2])
    assert (tmp_path / files[0]).read_bytes().startswith(b"%PDF")


def test_no_notices_before_the_run(aizu, tmp_path, capsys):
    assert main(["child", "allowance", "notices", AIZU, "--month", "2027-02", "--out", str(tmp_path)]) == 2
    assert "支払が完了していません" in capsys.readouterr().err


def test_a_pages_queries_do_not_grow_with_its_size(paid):
    counted = []
    with tenant_context(AIZU):
        for limit in (1, 100):
            with CaptureQueriesContext(connections["default"]) as queries:
                payments.notices_page(DECEMBER, limit=limit)
            counted.append(len(queries))
    assert counted[0] == counted[1] <= 8
