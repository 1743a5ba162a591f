"""The statistics dashboard through the test client: who may open it, the totals beside the year
before, a bad 基準日 or month named, the pyramid and the downloads — each one audit row."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.platform.test_fuzz_every_form import signed_in
from tests.statistics.conftest import TODAY, D
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.statistics.services import dashboard


def test_the_roles_that_work_with_residents_see_it(aizu):
    assert signed_in("madoguchi", ["counter"]).get("/statistics/").status_code == 200
    assert signed_in("zeimu", ["tax"]).get("/statistics/").status_code == 200
    assert signed_in("kansa", ["auditor"]).get("/statistics/").status_code == 403


def test_totals_beside_the_year_before(small_town, system_actor):
    page = signed_in("madoguchi", ["counter"]).get(f"/statistics/?as_of={D}&month={TODAY:%Y-%m}")
    assert page.status_code == 200
    html = page.content.decode()
    rows = {r["key"]: r for r in page.context["view"]["totals"]}
    before = registry.year_before(D)[0]
    with tenant_context(AIZU):
        then = dashboard.totals_on(before)
    assert (rows["total"]["now"], rows["households"]["now"], rows["foreign"]["now"]) == (11, 7, 2)
    assert rows["total"]["before"] == then["total"] and rows["total"]["difference"] == 11 - then["total"]
    assert rows["male"]["now"] + rows["female"]["now"] == 11
    assert "人口ピラミッド" in html and f"/statistics/pyramid/?as_of={D}&amp;format=svg" in html
    assert "東栄町" in html and "（町字なし）" not in html
    assert f"/statistics/download/population/?as_of={D}&amp;format=xlsx" in html
    with tenant_context(AIZU):
        resources = set(AuditEntry.objects.values_list("resource", flat=True))
    assert {"statistics.dashboard", "statistics.monthly"} <= resources


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("as_of=2026-02-30", "as_of", "基準日は 2026-01-01 や R8.1.1 の形で"),
        (f"as_of={TODAY + timedelta(days=3)}", "as_of", "（明日）までの日付"),
        ("month=2026-13", "month", "年月は西暦の YYYY-MM"),
    ],
)
def test_bad_input_is_named_on_its_field(aizu, query, field, message):
    page = signed_in("madoguchi", ["counter"]).get(f"/statistics/?{query}")
    assert page.status_code == 422 and message in page.context["errors"][field]
    assert 'aria-invalid="true"' in page.content.decode()


def test_a_wareki_day_is_read(small_town):
    page = signed_in("madoguchi", ["counter"]).get("/statistics/?as_of=R7.1.1")
    assert page.status_code == 200 and page.context["as_of"].isoformat() == "2025-01-01"
    assert "令和7年1月1日（2025年1月1日）" in page.content.decode()


def test_the_pyramid_and_the_downloads(small_town):
    client = signed_in("madoguchi", ["counter"])
    svg = client.get(f"/statistics/pyramid/?as_of={D}&format=svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg["Content-Disposition"].startswith("inline")
    png = client.get(f"/statistics/pyramid/?as_of={D}&format=png&download=1")
    assert png.content.startswith(b"\x89PNG") and png["Content-Disposition"].startswith("attachment")
    xlsx = client.get(f"/statistics/download/population/?as_of={D}&format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    town = client.get(f"/statistics/download/monthly/?table=town&month={TODAY:%Y-%m}&format=csv")
    assert town.status_code == 200 and town.content.decode().startswith("全国地方公共団体コード,基準日,町字")
    assert client.get(f"/statistics/download/monthly/?table=people&month={TODAY:%Y-%m}").status_code == 422
    assert client.get(f"/statistics/download/population/?as_of={D}&format=pdf").status_code == 422
    with tenant_context(AIZU):
        formats = sorted(
            (e.resource, e.detail["format"])
            for e in AuditEntry.objects.filter(resource__startswith="statistics.")
            if e.actor_type == "staff"
        )
    assert formats == [
        ("statistics.monthly", "csv"),
        ("statistics.population", "xlsx"),
        ("statistics.pyramid", "png"),
        ("statistics.pyramid", "svg"),
    ]
