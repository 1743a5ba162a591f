"""``serve --demo``'s 保育 hook: after the registry's town and the tax app's 当初課税 it adds three
施設, the 認定 and 申込 of some young children and a 入所月's 利用調整 — once; the result list
shows it to 福祉 staff. The 入所月 is one whose 申込 rest on this 年度's tax."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU
from tests.registry.ui.test_screens import staff_client
from yakuba.childcare.demo import _entry_month
from yakuba.childcare.models import AllocationResult, Application, Certification
from yakuba.childcare.rules.ages import fiscal_year_of, tax_year_for
from yakuba.platform import server
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def test_the_demo_fills_childcare_once(aizu):
    hooks = {h.__module__.split(".")[1]: h for h in server.demo_hooks()}
    order = list(hooks)
    assert order.index("registry") < order.index("tax") < order.index("childcare")
    hooks["registry"](AIZU)
    hooks["tax"](AIZU)
    line = hooks["childcare"](AIZU)
    assert "利用調整（内定" in line, line
    with tenant_context(AIZU):
        counts = (
            Certification.objects.count(),
            Application.objects.count(),
            AllocationResult.objects.count(),
        )
        run = AllocationResult.objects.values_list("run_id", flat=True).first()
    assert counts[0] >= counts[1] == counts[2] > 0  # every 申込 has its result
    assert "前回の起動で作成済み" in hooks["childcare"](AIZU)
    with tenant_context(AIZU):
        assert Certification.objects.count() == counts[0]
    page = staff_client("hoiku", ["welfare"]).get(f"/childcare/allocations/{run}/").content.decode()
    assert "指数の合計" in page


@pytest.mark.parametrize(
    ("today", "entry"),
    [
        (date(2026, 12, 6), date(2027, 1, 1)),
        (date(2026, 8, 31), date(2026, 9, 1)),
        (date(2026, 4, 1), date(2026, 9, 1)),
        (date(2027, 2, 10), date(2027, 3, 1)),
        (date(2027, 3, 15), date(2027, 3, 1)),
    ],
)
def test_the_demo_month_rests_on_this_years_tax(today, entry):
    fiscal_year = fiscal_year_of(today.year, today.month)
    month = _entry_month(today, fiscal_year)
    assert month == entry
    assert tax_year_for(month.year, month.month) == fiscal_year
