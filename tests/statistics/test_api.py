"""The statistics endpoints: the report of contract §9.1 and the monthly tables, scope
statistics:read, bad input a 422 naming the field, files in CSV and XLSX, each call audited."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from tests.conftest import AIZU
from tests.statistics.conftest import TODAY, D
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.statistics.services import population


def _get(client, token, path):
    return client.get(f"/api/v1/{AIZU}/statistics/{path}", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_report_as_json_is_the_services(small_town, client, token_for, system_actor):
    token = token_for(AIZU, ["statistics:read"])
    response = _get(client, token, f"population?as_of={D}")
    assert response.status_code == 200, response.content
    with tenant_context(AIZU):
        expected = population.population_report(AIZU, D).json
    assert response.json() == expected and response.json()["period"]["to"] == TODAY.isoformat()
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(resource=population.RESOURCE, actor_type="client").count() == 1


def test_files_and_monthly_tables(small_town, client, token_for):
    token = token_for(AIZU, ["statistics:read"])
    xlsx = _get(client, token, f"population?as_of={D}&format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(BytesIO(xlsx.content)).sheetnames == ["総計", "日本人住民", "外国人住民"]
    town = _get(client, token, f"monthly/town?as_of={D}").json()
    assert town["total"]["total"] == 11 and town["rows"][0]["town_area"] == "東栄町"
    age = _get(client, token, f"monthly/age?as_of={D}&format=csv")
    assert age["Content-Type"] == "text/csv; charset=utf-8" and age.content.decode().count("\r\n") == 102
    moves = _get(client, token, f"monthly/movements?month={TODAY:%Y-%m}").json()
    assert [r["flow"] for r in moves["rows"]][:2] == ["move_in_domestic", "move_in_abroad"]
    assert moves["period"]["from"] == f"{TODAY:%Y-%m}-01"


def test_scope_and_bad_input(aizu, client, token_for):
    reader = token_for(AIZU, ["registry:read"])
    assert _get(client, reader, "population?as_of=2026-01-01").status_code == 403
    token = token_for(AIZU, ["statistics:read"])
    bad = _get(client, token, "population?as_of=2999-01-01")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "as_of"
    assert _get(client, token, "population?as_of=2026-02-30").status_code == 422
    ancient = _get(client, token, "population?as_of=0001-01-01")
    assert ancient.status_code == 422 and "1900-01-01 以降" in ancient.json()["errors"][0]["message"]
    assert _get(client, token, "monthly/age?month=0000-01").status_code == 422
    month = _get(client, token, "monthly/town?month=2026-1")
    assert month.status_code == 422 and month.json()["errors"][0]["field"] == "month"
    neither = _get(client, token, "monthly/movements?as_of=2026-01-01")
    assert neither.status_code == 422 and "month" in neither.json()["errors"][0]["message"]


def test_a_monthly_table_is_the_clis(small_town, client, token_for, system_actor):
    from yakuba.statistics.services import monthly

    token = token_for(AIZU, ["statistics:read"])
    with tenant_context(AIZU):
        expected = monthly.age_table(AIZU, D)
    assert _get(client, token, f"monthly/age?as_of={D}").json() == expected
