"""``serve --demo``'s hooks for the tax app and the insurance apps: they run after the registry
has a town (``register_demo_hook(after=…)``), fill each app once — a second start keeps what is
there — and the 照会 screens show a seeded person's 資格."""

from __future__ import annotations

import time

import pytest

from tests.conftest import AIZU
from tests.registry.ui.test_screens import staff_client
from yakuba.health_insurance.models import Member as KokuhoMember
from yakuba.health_insurance.models import PremiumAssessment, RatesVersion
from yakuba.late_elderly_medical.models import Member as KoukiMember
from yakuba.long_term_care.models import Member as KaigoMember
from yakuba.platform import server
from yakuba.platform.tenancy.context import tenant_context
from yakuba.tax.models import Assessment, ImportBatch

pytestmark = pytest.mark.django_db
APPS = ("registry", "tax", "health_insurance", "late_elderly_medical", "long_term_care")


def _app(hook) -> str:
    return hook.__module__.split(".")[1]


def test_each_hook_runs_after_the_apps_it_needs():
    order = [_app(h) for h in server.demo_hooks()]
    assert order.index("registry") < order.index("tax") < order.index("health_insurance")
    assert order.index("registry") < min(order.index("late_elderly_medical"), order.index("long_term_care"))


def test_a_hook_waits_for_a_later_registered_app_and_a_cycle_is_refused(monkeypatch):
    def first(lg_code): ...

    def second(lg_code): ...

    monkeypatch.setattr(server, "DEMO_HOOKS", [(first, "a", ("b",)), (second, "b", ())])
    assert server.demo_hooks() == [second, first]
    monkeypatch.setattr(server, "DEMO_HOOKS", [(first, "a", ("b",)), (second, "b", ("a",))])
    with pytest.raises(RuntimeError):
        server.demo_hooks()


def _counts() -> dict:
    with tenant_context(AIZU):
        return {
            model.__name__ + model.__module__: model.objects.count()
            for model in (ImportBatch, Assessment, KokuhoMember, RatesVersion, PremiumAssessment)
            + (KoukiMember, KaigoMember)
        }


def test_the_demo_fills_tax_and_insurance_once_and_the_screens_show_it(aizu):
    hooks = [h for h in server.demo_hooks() if _app(h) in APPS]
    seconds = {}
    for hook in hooks:
        started = time.perf_counter()
        line = hook(AIZU)
        seconds[_app(hook)] = time.perf_counter() - started
        assert "前回の起動で作成済み" not in line, line
    print({app: round(s, 2) for app, s in seconds.items()})  # the demo start's cost (pytest -s)
    first = _counts()
    assert all(first.values()), first
    with tenant_context(AIZU):
        assert RatesVersion.objects.get().reason == "デモ用の税率"
    lines = [hook(AIZU) for hook in hooks]
    assert all("前回の起動で作成済み" in line for line in lines), lines
    assert _counts() == first  # nothing twice

    clerk = staff_client("hoken", ["insurance"])
    with tenant_context(AIZU):
        seeded = {
            "health_insurance": KokuhoMember.objects.order_by("atena_no").first().atena_no,
            "late_elderly_medical": KoukiMember.objects.order_by("atena_no").first().atena_no,
            "long_term_care": KaigoMember.objects.order_by("atena_no").first().atena_no,
        }
    for app, atena_no in seeded.items():
        text = clerk.get(f"/{app}/?atena_no={atena_no}").content.decode()
        assert "移行" in text and "取得" in text, app  # the 資格 row: 取得, 事由 移行
    year = server.demo_fiscal_year()
    kokuho = clerk.get(f"/health_insurance/?atena_no={seeded['health_insurance']}").content.decode()
    assert f"{year}年度</th><td>第1版" in kokuho  # the 世帯's 本算定 of the 年度
    status = staff_client("zeimu", ["tax"]).get(f"/tax/?fiscal_year={year}").content.decode()
    assert f"{year}年度の当初課税:" in status and "完了" in status
