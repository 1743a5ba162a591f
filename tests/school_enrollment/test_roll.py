"""The 学齢簿 through real 異動 in the registry (docs/school_enrollment.md): the cohort's edges, a
2月29日 birth, a child who moved out or died, a late 転入, a protected child, the audit row, the
CLI and the API — and a query count that does not grow with the children."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import days_ago, person, registry  # noqa: F401 (fixture)
from tests.school_enrollment.conftest import move_out
from yakuba.cli import main
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as door
from yakuba.school_enrollment.services import roll

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def family(registry, system_actor):  # noqa: F811
    """A 世帯 with a child on each side of the 2026 cohort's edges, filed 30 days ago."""
    people = [
        person("学齢 父", "ガクレイ チチ", "1985-05-05", 1, "世帯主"),
        person("学齢 四一", "ガクレイ シイチ", "2020-04-01", 1, "子"),  # 2026
        person("学齢 四二", "ガクレイ シニ", "2020-04-02", 2, "子"),  # 2027
        person("学齢 閏", "ガクレイ ウルウ", "2020-02-29", 2, "子"),  # 2026
        person("学齢 初日", "ガクレイ ショニチ", "2019-04-02", 1, "子"),  # 2026
        person("学齢 前年", "ガクレイ ゼンネン", "2019-04-01", 1, "子"),  # 2025
    ]
    filed = registry.move_in(*people, move_date=days_ago(30))
    return {p["name"]: f["atena_no"] for p, f in zip(people, filed["persons"], strict=True)}


def _roll(year, **options) -> dict:
    with tenant_context(AIZU):
        return roll.school_roll(AIZU, year, **options).json


def _names(result: dict) -> list[str]:
    return [c["name"] for c in result["children"]]


def test_the_cohort_edges_through_the_registry(family):
    result = _roll(2026)
    assert result["cohort"] == {"from": "2019-04-02", "to": "2020-04-01"}
    assert sorted(_names(result)) == sorted(["学齢 四一", "学齢 閏", "学齢 初日"])
    assert _names(_roll(2027)) == ["学齢 四二"]
    assert _names(_roll(2025)) == ["学齢 前年"]
    child = next(c for c in result["children"] if c["name"] == "学齢 閏")
    assert child == {
        "atena_no": family["学齢 閏"],
        "birth_date": "2020-02-29",
        "name": "学齢 閏",
        "guardian_atena_no": family["学齢 父"],  # the 世帯主
        "school": "",
        "protected": False,
    }


def test_a_child_who_moved_out_or_died_is_not_listed(registry, family):  # noqa: F811
    move_out(registry, family["学齢 四一"], days_ago(10))
    registry.move({"kind": "death", "move_date": days_ago(5), "persons": [{"atena_no": family["学齢 初日"]}]})
    assert _names(_roll(2026)) == ["学齢 閏"]
    # Before those 異動 both were registered: the 基準日 decides
    assert sorted(_names(_roll(2026, as_of=TODAY - timedelta(days=20)))) == sorted(
        ["学齢 四一", "学齢 閏", "学齢 初日"]
    )


def test_a_late_move_in_appears_from_its_day(registry, family):  # noqa: F811
    late = registry.move_in(
        person("転入 遅子", "テンニュウ オソコ", "2019-12-24", 2, "世帯主"),
        move_date=days_ago(2),
    )["persons"][0]["atena_no"]
    assert "転入 遅子" not in _names(_roll(2026, as_of=TODAY - timedelta(days=3)))
    child = next(c for c in _roll(2026)["children"] if c["atena_no"] == late)
    assert child["guardian_atena_no"] == ""  # their own 世帯主: no 保護者 in the registry


def test_one_audit_row_per_roll(family):
    _roll(2026)
    with tenant_context(AIZU):
        rows = list(AuditEntry.objects.filter(resource=roll.RESOURCE))
    assert len(rows) == 1
    assert (
        rows[0].action == "export" and rows[0].detail["count"] == 3 and rows[0].detail["entry_year"] == 2026
    )


def _queries(year) -> int:
    with tenant_context(AIZU), CaptureQueriesContext(connection) as captured:
        roll.school_roll(AIZU, year)
    return len(captured)


def test_the_query_count_does_not_grow_with_the_children(registry, family):  # noqa: F811
    few = _queries(2026)
    registry.move_in(
        *[
            person(f"多数 {n}", "タスウ", f"2019-{5 + n % 7:02d}-{1 + n:02d}", 1, "子" if n else "世帯主")
            for n in range(20)
        ],
        move_date=days_ago(1),
    )
    assert len(_roll(2026)["children"]) == 23
    assert _queries(2026) == few <= 8


def test_a_protected_child_is_listed_flagged_and_without_an_address(family):
    with tenant_context(AIZU):
        door.set_measure(family["学齢 閏"], starts_on=TODAY, kind="dv")
        made = roll.school_roll(AIZU, 2026, output="csv")
        seen = roll.school_roll(AIZU, 2026, visibility=door.Visibility(protected=True), output="csv")
    text = roll.roll_text(made, "csv")
    assert text.startswith(
        "\ufeff宛名番号,氏名,氏名カナ,生年月日,保護者宛名番号,住所,就学予定校,支援措置\r\n"
    )
    row = next(line for line in text.splitlines() if line.startswith(family["学齢 閏"]))
    assert (
        row
        == f"{family['学齢 閏']},学齢 閏,ガクレイ\u3000ウルウ,2020-02-29,{family['学齢 父']},,,{roll.PROTECTED_NOTE}"
    )
    other = next(line for line in text.splitlines() if line.startswith(family["学齢 四一"]))
    assert "東栄町" in other and other.endswith(",")
    assert next(c for c in seen.children if c.name == "学齢 閏").address.endswith("東栄町3番46号")


def test_the_cli_writes_the_contract_json_and_the_csv(family, tmp_path, capsys):
    assert main(["school", "roll", AIZU, "--entry-year", "2026"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"lg_code", "entry_year", "cohort", "children"} and len(result["children"]) == 3
    out = tmp_path / "roll.csv"
    assert main(["school", "roll", AIZU, "--entry-year", "2027", "--format", "csv", "--out", str(out)]) == 0
    assert out.read_bytes().startswith("\ufeff宛名番号".encode())
    assert "学齢 四二" in out.read_text("utf-8-sig")
    assert main(["school", "roll", AIZU, "--entry-year", "1800"]) == 2
    assert "--entry-year: 入学年度は 1950 から 2100 の間で指定してください（1800）" in capsys.readouterr().err


def test_the_api_needs_its_scope_and_shows_the_address_only_with_the_protected_scope(family, api, token_for):
    path = f"/api/v1/{AIZU}/school/roll?entry_year=2026"
    assert api.get(path, token_for(AIZU, scopes=["registry:read"])).status_code == 403
    response = api.get(path, token_for(AIZU, scopes=["school_enrollment:read"]))
    assert response.status_code == 200 and len(response.json()["children"]) == 3
    with tenant_context(AIZU):
        door.set_measure(family["学齢 閏"], starts_on=TODAY, kind="dv")
    plain = api.get(path + "&format=csv", token_for(AIZU, scopes=["school_enrollment:read"]))
    full = api.get(
        path + "&format=csv", token_for(AIZU, scopes=["school_enrollment:read", "registry:protected"])
    )
    assert plain["Content-Type"].startswith("text/csv")
    assert "東栄町3番46号,,支援措置" not in plain.content.decode("utf-8-sig")
    assert "東栄町3番46号,,支援措置" in full.content.decode("utf-8-sig")
    assert (
        api.get(
            f"/api/v1/{AIZU}/school/roll?entry_year=1800", token_for(AIZU, scopes=["school_enrollment:read"])
        ).status_code
        == 422
    )


def test_the_roll_names_the_designated_school_of_the_kept_roll(family, districts):
    from yakuba.school_enrollment.services import book

    with tenant_context(AIZU):
        book.generate(2026, as_of=TODAY)
    schools = {c["name"]: c["school"] for c in _roll(2026)["children"]}
    assert schools == {"学齢 四一": "東栄小学校", "学齢 閏": "東栄小学校", "学齢 初日": "東栄小学校"}
