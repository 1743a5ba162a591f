"""国民年金 staff screens: 照会 (20歳・60歳到達), the month's 20歳到達 — keyset pages, the same
queries for 3 rows as for 50, a protected person by 宛名番号 only — the home count, and the
免除・納付猶予 judgement form built from the API's model; 窓口-only staff are refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import person, registry  # noqa: F401 (fixture)
from tests.registry.ui.test_screens import field_block, protect, staff_client
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as door

pytestmark = pytest.mark.django_db
YEAR = {"fiscal_year": "2025", "applicant.birth_date": "H10.5.1"}


def _turning_twenty(registry, count: int, start: int = 0) -> list[str]:  # noqa: F811
    """``count`` residents whose 20th birthday is this month (day 2 to 28): 20歳到達 this month."""
    today = timezone.localdate()
    ids = []
    for i in range(start, start + count):
        born = date(today.year - 20, today.month, 2 + i % 27)
        kana = "セイジン" + "アイウエオカキクケコ"[i // 10] + "アイウエオカキクケコ"[i % 10]
        moved = registry.move_in(person(f"成人 {i:02d}", kana, born.isoformat(), 1 + i % 2))
        ids.append(moved["persons"][0]["atena_no"])
    return ids


@pytest.fixture
def clerk(aizu):
    return staff_client("nenkin", ["insurance"])


def _page(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connections["default"]) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_month_list_pages_with_the_same_queries_and_hides_the_protected(registry, clerk):  # noqa: F811
    first = _turning_twenty(registry, 3)
    few, page = _page(clerk, "/national_pension/reached/")
    assert "20歳到達 3 人" in page and "成人 00" in page
    _turning_twenty(registry, 52, start=3)
    many, page = _page(clerk, "/national_pension/reached/")
    assert page.count('<tr><th scope="row">') == 50 and "20歳到達 55 人" in page and "次へ" in page
    assert many == few  # one registry read, whatever the rows
    after = page.split("after=")[1].split('"')[0]
    rest = clerk.get(f"/national_pension/reached/?after={after}").content.decode()
    assert rest.count('<tr><th scope="row">') == 5 and "最初から" in rest
    with tenant_context(AIZU):
        name = door.names_of([first[0]])[first[0]]
    protect(first[0])
    listed = clerk.get("/national_pension/reached/").content.decode()
    row = listed.split(f'<tr><th scope="row">{first[0]}</th>')[1].split("</tr>")[0]
    assert "支援措置の対象者" in row and name not in listed
    home = clerk.get("/").content.decode()
    assert "国民年金：今月の20歳到達" in home and "55人" in home


def test_the_lookup_gives_the_ages_and_does_not_find_the_protected(registry, clerk):  # noqa: F811
    atena_no = _turning_twenty(registry, 1)[0]
    page = clerk.get(f"/national_pension/?atena_no={atena_no}").content.decode()
    today = timezone.localdate()
    entry = date(today.year, today.month, 2) - timedelta(days=1)
    assert f'id="entry-on">{entry.isoformat()}' in page and "成人 00" in page
    protect(atena_no)
    hidden = clerk.get(f"/national_pension/?atena_no={atena_no}")
    assert hidden.status_code == 404 and "成人 00" not in hidden.content.decode()
    assert clerk.get("/national_pension/?atena_no=x1").status_code == 422
    assert clerk.get("/national_pension/reached/?month=13").status_code == 422


def test_the_judgement_shows_its_steps_and_a_bad_field_its_error(clerk):
    response = clerk.post("/national_pension/calculate/", {**YEAR, "applicant.salary_revenue": "1,000,000"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="grant">全額免除' in page and 'id="steps"' in page
    bad = clerk.post(
        "/national_pension/calculate/",
        {**YEAR, "applicant.dependents": "1", "applicant.elderly_dependents": "2"},
    )
    assert bad.status_code == 422
    assert "老人・特定扶養親族の数の合計より少なくできません" in field_block(
        bad.content.decode(), "f-applicant-dependents"
    )


def test_counter_staff_are_refused(aizu):
    counter = staff_client("madoguchi", ["counter"])
    for path in ("", "reached/", "calculate/"):
        assert counter.get(f"/national_pension/{path}").status_code == 403
