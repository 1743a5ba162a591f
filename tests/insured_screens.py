"""Shared tests of the staff screens of an individual 資格 book (後期, 介護 第1号 —
platform.ui.insured): each domain's ``test_screens`` defines an ``area`` fixture (an ``Area``) and
imports the ``test_*`` functions below, so the same checks run against both without a copy.

- 資格照会: the history with its 事由 in words, audited; a person under 支援措置 is not found (the
  attempt audited) as on the registry's screens for 保険年金 staff;
- the month's 年齢到達: 50 rows a page, keyset, the same queries for 5 rows as for 50, a protected
  person by 宛名番号 only;
- the home page's count of the month, linking to the list;
- 窓口-only staff are refused every screen; a bad 宛名番号 or month is a 422 page, never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.ui.test_screens import protect, staff_client
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.qualification import Book, Change
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.registry.generate import generate_population

__all__ = [
    "Area",
    "clerk",
    "town",
    "test_the_lookup_shows_the_history_in_words_and_is_audited",
    "test_a_protected_person_is_not_found_and_not_named_in_the_list",
    "test_the_month_list_pages_by_key_with_the_same_queries",
    "test_the_home_page_counts_the_month_and_links_to_the_list",
    "test_counter_staff_are_refused_and_bad_input_is_a_422",
]
REACHED = 57  # more than a page (50)


@dataclass(frozen=True)
class Area:
    app: str
    book: Book
    age: int
    age_reason: str
    move_in: str  # 取得事由 転入
    move_out: str  # 喪失事由 転出
    words: tuple[str, str, str]  # the three 事由 as the screen says them


@pytest.fixture
def town(aizu, area):
    """120 residents: the first ``REACHED`` reached the age this month (one row each, spread over
    the month); the next one moved in and out (two rows)."""
    today = timezone.localdate()
    with bind_actor(SYSTEM), tenant_context(AIZU):
        generate_population(120, seed=5, as_of=today - timedelta(days=40))
        people, _after = registry.inhabitants_page(today, after="", limit=200, purpose="テスト")
        ids = sorted(p.atena_no for p in people)
        now, first = timezone.now(), today.replace(day=1)

        def row(atena_no, change, on, reason):
            return area.book.record(
                lg_code=AIZU, atena_no=atena_no, change=change, effective_on=on, reason=reason,
                created_at=now, created_by="test",
            )  # fmt: skip

        rows = [
            row(a, Change.ACQUIRED, first + timedelta(days=i % 28), area.age_reason)
            for i, a in enumerate(ids[:REACHED])
        ]
        mover = ids[REACHED]
        rows += [
            row(mover, Change.ACQUIRED, date(2020, 4, 1), area.move_in),
            row(mover, Change.LOST, date(2024, 10, 2), area.move_out),
        ]
        area.book.record.objects.bulk_create(rows)
    return ids


@pytest.fixture
def clerk(town):
    return staff_client("hoken", ["insurance"])


def test_the_lookup_shows_the_history_in_words_and_is_audited(area, town, clerk):
    mover = town[REACHED]
    page = clerk.get(f"/{area.app}/?atena_no={mover}").content.decode()
    assert "2020-04-01" in page and "2024-10-02" in page and "被保険者ではありません" in page
    assert area.words[1] in page and area.words[2] in page
    reached = clerk.get(f"/{area.app}/?atena_no={town[0]}").content.decode()
    assert area.words[0] in reached and 'id="insured-now">被保険者<' in reached
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(
            resource=area.book.resource, action="read", subject_ids=[mover]
        ).exists()
    unknown = clerk.get(f"/{area.app}/?atena_no=99999999")
    assert unknown.status_code == 404 and "見つかりません" in unknown.content.decode()


def test_a_protected_person_is_not_found_and_not_named_in_the_list(area, town, clerk):
    hidden = town[0]
    with tenant_context(AIZU):
        name = registry.names_of([hidden])[hidden]
    protect(hidden)
    found = clerk.get(f"/{area.app}/?atena_no={hidden}")
    assert found.status_code == 404 and name not in found.content.decode()
    with tenant_context(AIZU):
        refused = AuditEntry.objects.filter(subject_ids=[hidden], action="read")
        assert any(e.detail.get("refused") == "protected" for e in refused)
    listed = clerk.get(f"/{area.app}/reached/").content.decode()
    row = listed.split(f'<tr><th scope="row">{hidden}</th>')[1].split("</tr>")[0]
    assert '<span class="badge">支援措置の対象者</span>' in row and name not in row
    assert f"atena_no={hidden}" not in listed  # no link to a 照会 that would not find them


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connections["default"]) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_month_list_pages_by_key_with_the_same_queries(area, town, clerk):
    month = timezone.localdate().strftime("%Y-%m")
    count, first = _queries(clerk, f"/{area.app}/reached/?month={month}")
    assert first.count('<tr><th scope="row">') == 50 and "次へ" in first
    with tenant_context(AIZU):
        names = registry.names_of(town[:REACHED])
    assert all(names[a] in first for a in town[:3])
    after = first.split("after=")[1].split('"')[0]
    later, second = _queries(clerk, f"/{area.app}/reached/?month={month}&after={after}")
    assert second.count('<tr><th scope="row">') == REACHED - 50 and "次へ" not in second
    assert later == count  # 7 rows cost what 50 do: no query per row
    assert count <= 30  # of which about 16 are the sign-in, the session and the tenant's
    empty = clerk.get(f"/{area.app}/reached/?month=2001-01").content.decode()
    assert "2001年1月の" in empty and "ありません" in empty


def test_the_home_page_counts_the_month_and_links_to_the_list(area, town, clerk):
    page = clerk.get("/").content.decode()
    assert f"今月の{area.age}歳到達" in page and f"{REACHED}人" in page
    assert f"/{area.app}/reached/?month=" in page
    counter = staff_client("madoguchi", ["counter"]).get("/").content.decode()
    assert f"今月の{area.age}歳到達" not in counter


def test_counter_staff_are_refused_and_bad_input_is_a_422(area, town, clerk):
    counter = staff_client("madoguchi", ["counter"])
    for path in ("", "reached/", "calculate/"):
        assert counter.get(f"/{area.app}/{path}").status_code == 403
        assert clerk.get(f"/{area.app}/{path}").status_code == 200
    assert clerk.get(f"/{area.app}/?atena_no=abc").status_code == 422
    bad = clerk.get(f"/{area.app}/reached/?month=2026-13")
    assert bad.status_code == 422 and "2026-04" in bad.content.decode()
    assert clerk.get(f"/{area.app}/reached/?after=garbage").status_code == 200
