"""``serve --demo``'s 就学 hook: after the 住所辞書 and the registry's town it loads a 通学区域 over
the town's 町字 and makes this year's 学齢簿 — once; the list shows children with a 指定学校."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.registry.ui.test_screens import staff_client
from yakuba.platform import server
from yakuba.platform.tenancy.context import tenant_context
from yakuba.school_enrollment.models import RollEntry

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_roll_once(aizu):
    hooks = {h.__module__.split(".")[1]: h for h in server.demo_hooks()}
    order = list(hooks)
    assert order.index("address") < order.index("school_enrollment")
    assert order.index("registry") < order.index("school_enrollment")
    hooks["address"](AIZU)
    hooks["registry"](AIZU)
    line = hooks["school_enrollment"](AIZU)
    assert line.startswith("学齢簿: ") and "通学区域" in line, line
    with tenant_context(AIZU):
        count = RollEntry.objects.count()
        placed = RollEntry.objects.exclude(elementary_code="").count()
    assert count > 0 and placed > 0
    assert "前回の起動で作成済み" in hooks["school_enrollment"](AIZU)
    page = staff_client("gakumu", ["welfare"]).get("/school_enrollment/").content.decode()
    assert "小学校" in page
