"""The home screen shows the day's work (issue 12 item 9a) and the menu puts the counter's
screens first (9b): what the clerk sees on signing in."""

from __future__ import annotations

import calendar
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.conftest import TODAY
from tests.registry.ui.test_screens import page, staff_client
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def task(text: str, title: str) -> str:
    """The home task titled ``title``, as rendered."""
    match = re.search(
        rf'<li class="home-task home-task--(\w+)">\s*<p class="home-task__title">.*?{title}.*?</li>',
        text,
        re.S,
    )
    assert match, f"no home task {title}"
    return match.group(0)


def load_codes(count: int) -> None:
    from yakuba.platform.japanese.checkdigits import juminhyo_code_check_digit
    from yakuba.registry import numbering

    codes = [f"{n:010d}" for n in range(1_000_000, 1_000_000 + count)]
    with bind_actor(SYSTEM), tenant_context(AIZU):
        numbering.load_juminhyo_codes([c + str(juminhyo_code_check_digit(c)) for c in codes])


def test_the_counter_sees_the_days_work(counter, family):
    from yakuba.registry import services
    from yakuba.registry.models import Resident

    setai_no, (taro, hanako, ichiro) = family
    load_codes(5)
    month_end = TODAY.replace(day=calendar.monthrange(TODAY.year, TODAY.month)[1])
    with bind_actor(SYSTEM), tenant_context(AIZU):
        services.set_measure(hanako, starts_on=TODAY - timedelta(days=30), ends_on=month_end)
        # A 転出予定 whose date has passed (filed earlier as a future 転出).
        Resident.objects.filter(atena_no=ichiro).update(
            status=2, planned_move_out_on=TODAY - timedelta(days=3)
        )
    text = page(counter.get("/"))
    today = task(text, "本日の異動")
    assert "1件" in today and 'href="/registry/moves/new/"' in today  # the family's 転入
    overdue = task(text, "転出予定日を過ぎた転出予定者")
    assert "home-task--warning" in overdue and "1人" in overdue and "要対応" in overdue
    ending = task(text, "今月で期間が終了する支援措置")
    assert "1件" in ending and 'href="/registry/protections/expiring/"' in ending and "要対応" in ending
    pool = task(text, "住民票コードの残り")
    assert "5件" in pool and "残りが少なくなっています" in pool and "要対応" in pool
    assert "配信できなかった連携イベント" not in text  # the administrator's


def test_an_empty_pool_is_urgent_and_welfare_sees_no_counter_work(counter, welfare):
    pool = task(page(counter.get("/")), "住民票コードの残り")
    assert "home-task--alert" in pool and "至急" in pool and "記載できません" in pool
    text = page(welfare.get("/"))
    # 福祉 has work of its own on the home screen (児童手当's 認定請求, 現況届 …), never the counter's.
    assert (
        "住民票コードの残り" not in text
        and "本日の異動" not in text
        and "今月で期間が終了する支援措置" not in text
    )


def test_the_administrator_also_sees_undelivered_events(aizu):
    admin = staff_client("kanri", ["admin"])
    text = page(admin.get("/"))
    assert "本日の異動" in text
    dead = task(text, "配信できなかった連携イベント")
    assert "0件" in dead and 'href="/linkage/webhooks/"' in dead and "要対応" not in dead


def test_the_home_tasks_cost_one_query_each(counter, family, rf):
    """Four figures of the registry, each one indexed count (on every home page view)."""
    from yakuba.registry.ui.home_tasks import registry_tasks

    request = rf.get("/")
    request.roles = {"counter"}
    with bind_actor(SYSTEM), tenant_context(AIZU), CaptureQueriesContext(connection) as queries:
        tasks = registry_tasks(request)
    assert [t.title for t in tasks] == ["本日の異動", "今月で期間が終了する支援措置", "住民票コードの残り"]
    assert len(queries) == 4, [q["sql"] for q in queries]


def test_the_menu_lists_the_counters_screens_first(aizu):
    admin = staff_client("kanri", ["admin", "counter"])
    menu = re.search(r'<nav class="site-nav".*?</nav>', page(admin.get("/")), re.S).group(0)
    labels = re.findall(r"<a [^>]*>([^<]+)</a>", menu)
    assert labels[:4] == ["ホーム", "住民検索", "異動入力", "支援措置の期間終了"]
    assert labels.index("住所辞書") < labels.index("連携（Webhook）") == len(labels) - 1
