"""The 学齢簿 screens (福祉 role): the list with its filters and keyset pages in a fixed number of
queries, the child's record with its history, the 指定校変更 form (errors shown, nothing written;
a good one recorded), the audited CSV/XLSX export, the late-転入 notice; 窓口 staff refused."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.conftest import person, registry  # noqa: F401 (fixture)
from tests.registry.ui.test_screens import protect, staff_client
from tests.school_enrollment.conftest import TODAY, in_town
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.school_enrollment.models import Designation, WorkItem
from yakuba.school_enrollment.services import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(family, districts, system_actor):
    in_town(book.generate, 2026, as_of=TODAY)
    return staff_client("gakumu", ["welfare"])


def test_the_list_filters_pages_and_hides_a_protected_address(clerk, family):
    protect(family["学齢 閏"])
    text = clerk.get("/school_enrollment/").content.decode()
    assert "学齢 四一" in text and "学齢 中三" in text and "東栄小学校" in text
    assert "（支援措置対象のため表示しません）" in text
    juniors = clerk.get("/school_enrollment/?school=J01&grade=9").content.decode()
    assert "学齢 中三" in juniors and "学齢 四一" not in juniors
    with CaptureQueriesContext(connection) as few:
        clerk.get("/school_enrollment/?grade=9")
    with CaptureQueriesContext(connection) as more:
        clerk.get("/school_enrollment/")
    assert len(few) == len(more)


def test_the_child_record_and_the_designation_form(clerk, family):
    child = family["学齢 四一"]
    page = clerk.get(f"/school_enrollment/child/?atena_no={child}").content.decode()
    assert "学齢簿編製" in page and "東栄小学校" in page
    bad = clerk.post("/school_enrollment/child/designate/", {"atena_no": child, "kind": "change", "level": "elementary",
                                                             "school_code": "", "reason": "", "approved_on": "x",
                                                             "starts_on": ""})  # fmt: skip
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "日付は YYYY-MM-DD で入力してください" in text
    good = clerk.post("/school_enrollment/child/designate/", {"atena_no": child, "kind": "change", "level": "elementary",
                                                              "school_code": "E02", "reason": "兄弟姉妹が在籍",
                                                              "approved_on": TODAY.isoformat(),
                                                              "starts_on": TODAY.isoformat()})  # fmt: skip
    assert good.status_code == 302
    page = clerk.get(f"/school_enrollment/child/?atena_no={child}").content.decode()
    assert "栄北小学校（指定校変更）" in page
    with tenant_context(AIZU):
        assert Designation.objects.count() == 1
    assert clerk.get("/school_enrollment/child/?atena_no=9999").status_code == 404


def test_the_export_is_audited(clerk):
    csv = clerk.get("/school_enrollment/export/?grade=1")
    assert csv.content.decode("utf-8-sig").startswith("宛名番号,氏名")
    xlsx = clerk.get("/school_enrollment/export/?format=xlsx")
    assert xlsx.content[:2] == b"PK"
    with tenant_context(AIZU):
        rows = list(
            AuditEntry.objects.filter(action="export", resource="school_enrollment.book").order_by("id")
        )
    assert [(r.detail["format"], r.detail["count"]) for r in rows] == [("csv", 2), ("xlsx", 3)]


def test_a_work_item_prints_its_notice(clerk, family):
    with tenant_context(AIZU):
        WorkItem.objects.create(lg_code=AIZU, kind="enrolment", atena_no=family["学齢 四一"], entry_year=2026,
                                due_on=TODAY, created_at="2026-12-01T00:00:00Z")  # fmt: skip
    assert "就学通知" in clerk.get("/school_enrollment/work/").content.decode()
    printed = clerk.post(
        "/school_enrollment/work/notice/", {"kind": "enrolment", "atena_no": family["学齢 四一"]}
    )
    assert printed["Content-Type"] == "application/pdf"
    with tenant_context(AIZU):
        assert WorkItem.objects.get().status == "done"


def test_counter_staff_are_refused(family):
    assert staff_client("madoguchi", ["counter"]).get("/school_enrollment/").status_code == 403


def test_the_home_page_counts_the_notices_to_send(clerk, family):
    with tenant_context(AIZU):
        WorkItem.objects.create(lg_code=AIZU, kind="health-check", atena_no=family["学齢 四一"], entry_year=2026,
                                due_on=TODAY, created_at="2026-12-01T00:00:00Z")  # fmt: skip
    text = clerk.get("/").content.decode()
    assert "学齢簿 通知の作成待ち（健診後・通知後の転入）" in text and "/school_enrollment/work/" in text


def test_the_administrator_loads_the_districts_with_every_bad_line_named(aizu):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.school_enrollment.conftest import DISTRICTS

    admin = staff_client("kanri", ["admin"])
    bad = SimpleUploadedFile("d.csv", (DISTRICTS + "栄町,3,,E01,東栄小学校,J02,第二中学校\r\n").encode())
    refused = admin.post("/school_enrollment/districts/", {"file": bad})
    assert refused.status_code == 422
    assert "5行目 番地から: 栄町 の番地が 4行目の範囲と重なっています" in refused.content.decode()
    good = admin.post(
        "/school_enrollment/districts/", {"file": SimpleUploadedFile("d.csv", DISTRICTS.encode())}
    )
    text = good.content.decode()
    assert good.status_code == 200 and "通学区域 3 行、学校 4 校" in text and "栄北小学校" in text
    assert staff_client("fukushi", ["welfare"]).get("/school_enrollment/districts/").status_code == 403


def test_the_guardian_confirmed_is_kept_against_the_registry(clerk, family, registry):  # noqa: F811
    from yakuba.school_enrollment.models import RollEntry
    from yakuba.school_enrollment.services import follow

    child = family["学齢 四一"]
    mother = registry.move_in(person("学齢 母", "ガクレイ ハハ", "1987-03-03", 2, "世帯主"))["persons"][0][
        "atena_no"
    ]
    bad = clerk.post("/school_enrollment/child/guardian/", {"atena_no": child, "guardian_atena_no": "999",
                                                            "guardian_reason": ""})  # fmt: skip
    assert (
        bad.status_code == 422 and "住民記録にある保護者の宛名番号を入力してください" in bad.content.decode()
    )
    good = clerk.post("/school_enrollment/child/guardian/", {"atena_no": child, "guardian_atena_no": mother,
                                                             "guardian_reason": "親権者（戸籍で確認）"})  # fmt: skip
    assert good.status_code == 302
    page = clerk.get(f"/school_enrollment/child/?atena_no={child}").content.decode()
    assert f"保護者: {family['学齢 父']} → {mother}" in page and "根拠: 親権者（戸籍で確認）" in page
    with tenant_context(AIZU):
        follow.follow(AIZU)  # the registry's 世帯主 does not overwrite it
        assert RollEntry.objects.get(atena_no=child, closed_on__isnull=True).guardian_atena_no == mother
