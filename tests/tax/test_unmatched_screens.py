"""未突合の課税資料 on the 税務 screens: the review list (keyset pages, its count, a fixed number of
queries whatever its length), the registry's candidates for a report, the clerk's pick → 確認 →
突合 (audited with who and why; a 更正 「課税資料の突合」 for a person already assessed), the
persons who cannot be picked (not registered on 1月1日, under 支援措置), and 「当市の住民ではない」."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.conftest import person, registry  # noqa: F401 (fixture)
from tests.registry.ui.test_screens import page, protect, staff_client
from tests.tax.test_declaration_screens import YEAR, town  # noqa: F401 (fixture)
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as door
from yakuba.tax.codes import Match, ReportKind
from yakuba.tax.models import Assessment, ImportBatch, IncomeReport
from yakuba.tax.services import assessment, load_reports, read_reports

pytestmark = pytest.mark.django_db
HEADER = "支払者名称,氏名,フリガナ,生年月日,住所,支払金額\n"


def load(lines: list[str]) -> None:
    data = (HEADER + "".join(f"{line}\n" for line in lines)).encode()
    with bind_actor(SYSTEM), tenant_context(AIZU):
        load_reports(
            read_reports(data, kind=ReportKind.SALARY, fiscal_year=YEAR),
            kind=ReportKind.SALARY,
            fiscal_year=YEAR,
            file_name="kyuyo.csv",
        )


def resident():
    """An adult of 1月1日 with a フリガナ (the report is theirs, but with another address)."""
    from datetime import date

    with bind_actor(SYSTEM), tenant_context(AIZU):
        people, _last = door.inhabitants_page(date(YEAR, 1, 1), after="", limit=200, purpose="試験")
    return next(p for p in people if p.birth_date and p.birth_date.year < 1985 and p.name_kana)


def misaddressed(p, salary: int = 2_400_000) -> str:
    return f"会津商事,{p.name},{p.name_kana},{p.birth_date.isoformat()},東京都千代田区千代田1番1号,{salary}"


def report_of(name: str) -> IncomeReport:
    with tenant_context(AIZU):
        return IncomeReport.objects.get(name=name, batch__file_name="kyuyo.csv")


def test_the_list_pages_by_keyset_with_its_count_in_a_fixed_number_of_queries(town):  # noqa: F811
    clerk = staff_client("zeimu", ["tax"])
    load(
        [
            f"不明商会,未登録 {i:02d}郎,ミトウロク,1980-01-{i % 28 + 1:02d},東京都港区1番,1000000"
            for i in range(3)
        ]
    )
    with CaptureQueriesContext(connection) as few:
        text = page(clerk.get(f"/tax/unmatched/?fiscal_year={YEAR}"))
    assert (
        "未突合 3 件" in text and "未登録 00郎" in text and "kyuyo.csv 2行目" in text and "次へ" not in text
    )

    load(
        [
            f"不明商会,未登録 {i:02d}番,ミトウロク,1980-02-{i % 28 + 1:02d},東京都港区1番,1000000"
            for i in range(60)
        ]
    )
    with CaptureQueriesContext(connection) as many:
        first = clerk.get(f"/tax/unmatched/?fiscal_year={YEAR}")
    text = page(first)
    assert "未突合 63 件" in text and len(re.findall(r'<th scope="row">未登録', text)) == 50
    assert 0 < len(many.captured_queries) == len(few.captured_queries)  # the page, not the list, costs
    assert not any("OFFSET" in q["sql"] for q in many.captured_queries)
    after = re.search(r'href="(/tax/unmatched/\?fiscal_year=2026&amp;after=\d+)"', text).group(1)
    rest = page(clerk.get(after.replace("&amp;", "&")))
    assert (
        len(re.findall(r'<th scope="row">未登録', rest)) == 13 and "最初から" in rest and "次へ<" not in rest
    )
    assert "未登録 59番" in rest and "未登録 00郎" not in rest
    assert staff_client("madoguchi", ["counter"]).get("/tax/unmatched/").status_code == 403


def test_a_clerk_matches_a_report_and_the_assessed_person_is_recalculated(town):  # noqa: F811
    with bind_actor(SYSTEM):
        assessment.run_initial(AIZU, YEAR)
    p = resident()
    load([misaddressed(p)])
    report = report_of(p.name)
    assert report.match == Match.UNMATCHED
    clerk = staff_client("zeimu", ["tax"])
    assert "未突合の課税資料: " in page(clerk.get(f"/tax/?fiscal_year={YEAR}"))

    screen = page(clerk.get(f"/tax/unmatched/{report.id}/"))
    assert "課税資料に書かれた人" in screen and "東京都千代田区千代田1番1号" in screen
    assert f'value="{p.atena_no}"' in screen  # found by its フリガナ and 生年月日
    with tenant_context(AIZU):
        searched = AuditEntry.objects.filter(resource="resident", action="search").latest("chain_no")
        assert p.atena_no in searched.subject_ids and searched.actor == "zeimu"

    nobody = clerk.post(f"/tax/unmatched/{report.id}/", {"_step": "confirm"})
    assert nobody.status_code == 422 and "突合する人を選んでください" in page(nobody)
    confirm = clerk.post(f"/tax/unmatched/{report.id}/", {"_step": "confirm", "atena_no": p.atena_no})
    text = page(confirm)
    assert (
        confirm.status_code == 200 and "まだ登録されていません" in text and "住民記録（2026年1月1日）" in text
    )
    assert report_of(p.name).match == Match.UNMATCHED  # nothing written yet

    no_reason = clerk.post(f"/tax/unmatched/{report.id}/", {"_step": "match", "atena_no": p.atena_no})
    assert no_reason.status_code == 422 and "理由を入力してください" in page(no_reason)
    assert report_of(p.name).match == Match.UNMATCHED

    done = clerk.post(
        f"/tax/unmatched/{report.id}/", {"_step": "match", "atena_no": p.atena_no, "note": "前住所で提出"}
    )
    assert done.status_code == 302 and done["Location"] == f"/tax/unmatched/?fiscal_year={YEAR}"
    shown = page(clerk.get(done["Location"]))
    assert f"kyuyo.csv 2行目を {p.name}（宛名番号 {p.atena_no}）に突合しました。再計算して第2版" in shown
    assert "未突合 0 件" in shown
    matched = report_of(p.name)
    assert (matched.atena_no, matched.match) == (p.atena_no, Match.MANUAL)
    with tenant_context(AIZU):
        assert ImportBatch.objects.get(id=matched.batch_id).matched == 1
        v2 = Assessment.objects.get(atena_no=p.atena_no, version=2)
        assert v2.note == "課税資料の突合" and v2.calculation["input"]["incomes"]["salary"] >= 2_400_000
        audit = AuditEntry.objects.get(
            resource="tax.income_reports", action="update", subject_ids=[p.atena_no]
        )
        assert (
            audit.actor == "zeimu"
            and audit.detail["note"] == "前住所で提出"
            and audit.detail["match"] == "manual"
        )
    gone = clerk.get(f"/tax/unmatched/{report.id}/")  # resolved: no longer on the list
    assert gone.status_code == 302 and "一覧にありません" in page(clerk.get(gone["Location"]))


def test_before_the_annual_run_a_match_writes_no_assessment(town):  # noqa: F811
    p = resident()
    load([misaddressed(p)])
    clerk = staff_client("zeimu", ["tax"])
    report = report_of(p.name)
    done = clerk.post(
        f"/tax/unmatched/{report.id}/", {"_step": "match", "atena_no": p.atena_no, "note": "確認済み"}
    )
    assert done.status_code == 302 and "再計算" not in page(clerk.get(done["Location"]))
    with tenant_context(AIZU):
        assert not Assessment.objects.filter(atena_no=p.atena_no).exists()


def test_who_cannot_be_picked_and_nothing_is_written(town, registry):  # noqa: F811
    p = resident()
    load([misaddressed(p)])
    report = report_of(p.name)
    clerk = staff_client("zeimu", ["tax"])
    newcomer = registry.move_in(person("新井 来人", "アライ キタト", "1990-02-02"))["persons"][0]["atena_no"]
    late = clerk.post(f"/tax/unmatched/{report.id}/", {"_step": "confirm", "atena_no": newcomer})
    assert late.status_code == 422 and "2026年1月1日に住民登録がありません" in page(late)
    forced = clerk.post(f"/tax/unmatched/{report.id}/", {"_step": "match", "atena_no": newcomer, "note": "x"})
    assert forced.status_code == 422 and report_of(p.name).match == Match.UNMATCHED

    protect(p.atena_no)
    screen = page(clerk.get(f"/tax/unmatched/{report.id}/"))
    assert f'value="{p.atena_no}"' not in screen  # the registry's search hides them
    hidden = clerk.post(
        f"/tax/unmatched/{report.id}/", {"_step": "match", "atena_no": p.atena_no, "note": "x"}
    )
    assert hidden.status_code == 404 and "見つかりません" in page(hidden)
    assert report_of(p.name).match == Match.UNMATCHED
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(subject_ids=[p.atena_no], detail__refused="protected").exists()
    assert staff_client("madoguchi", ["counter"]).get(f"/tax/unmatched/{report.id}/").status_code == 403


def test_a_report_about_someone_else_leaves_the_list_with_its_reason(town):  # noqa: F811
    load(["他市商事,他市 太郎,タシ タロウ,1975-03-03,新潟県新潟市中央区1番,3000000"])
    report = report_of("他市 太郎")
    clerk = staff_client("zeimu", ["tax"])
    empty = clerk.post(f"/tax/unmatched/{report.id}/", {"_step": "outside", "note": ""})
    assert empty.status_code == 422 and "理由を入力してください" in page(empty)
    done = clerk.post(f"/tax/unmatched/{report.id}/", {"_step": "outside", "note": "新潟市へ回送"})
    assert done.status_code == 302
    assert "当市の住民ではないとしました" in page(clerk.get(done["Location"]))
    assert report_of("他市 太郎").match == Match.OUTSIDE
    with tenant_context(AIZU):
        audit = AuditEntry.objects.get(
            resource="tax.income_reports", action="update", detail__report=report.id
        )
        assert audit.detail["match"] == "outside" and audit.detail["note"] == "新潟市へ回送"
