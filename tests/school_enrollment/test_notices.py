"""The 就学時健康診断 notice and the 就学通知 (civil-facts §4.2): one PDF per child with the 指定学校,
protected children withheld from the batch and named, every print audited; a late 転入's work
item closed by its notice."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.school_enrollment.conftest import TODAY, in_town
from yakuba.cli import main
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as door
from yakuba.school_enrollment.events import NOTICE_ISSUED
from yakuba.school_enrollment.models import WorkItem
from yakuba.school_enrollment.services import book, notices

pytestmark = pytest.mark.django_db


@pytest.fixture
def roll(family, districts):
    in_town(book.generate, 2026, as_of=TODAY)
    return family


def test_the_batch_writes_one_pdf_per_child_and_withholds_the_protected(roll, tmp_path, capsys):
    with tenant_context(AIZU):
        door.set_measure(roll["学齢 閏"], starts_on=TODAY, kind="dv")
    assert (
        main(
            ["school", "notices", AIZU, "--entry-year", "2026", "--kind", "enrolment", "--out", str(tmp_path)]
        )
        == 0
    )
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [f"enrolment-2026-{roll['学齢 四一']}.pdf"]
    assert (tmp_path / files[0]).read_bytes().startswith(b"%PDF")
    assert (tmp_path / files[0]).stat().st_mode & 0o777 == 0o600  # print_batch.write: private
    captured = capsys.readouterr()
    # the 2026 entrants' 就学通知 was due by 2026-01-31, long past: the operator is told
    assert "注意: 就学通知の期限（令和8年1月31日、学校教育法施行令第5条）を過ぎています" in captured.err
    out = captured.out
    assert (
        f"支援措置の対象者を含むため一括作成から除きました（窓口で --atena を指定して個別に作成してください）: 1 件 {roll['学齢 閏']}"
        in out
    )
    with tenant_context(AIZU):
        (row,) = AuditEntry.objects.filter(resource=notices.RESOURCE)
    assert row.action == "print" and row.detail["count"] == 1 and row.detail["withheld"] == 1


def test_the_notice_names_the_designated_school(roll, system_actor):
    with tenant_context(AIZU):
        page = notices.notices_page("enrolment", 2026)
    assert {n.child_name: n.school_name for n in page.documents} == {
        "学齢 四一": "東栄小学校",
        "学齢 閏": "東栄小学校",
    }
    assert {n.guardian_name for n in page.documents} == {"学齢 父 様"}
    assert page.documents[0].entry_on == "令和8年4月1日"
    with tenant_context(AIZU):
        issued = {
            (e.subject, e.data["kind"], e.data["school"]) for e in Event.objects.filter(type=NOTICE_ISSUED)
        }
    assert issued == {
        (roll["学齢 四一"], "enrolment", "東栄小学校"),
        (roll["学齢 閏"], "enrolment", "東栄小学校"),
    }


def test_a_single_notice_closes_the_work_item(roll, system_actor):
    with tenant_context(AIZU):
        WorkItem.objects.create(
            lg_code=AIZU,
            kind="enrolment",
            atena_no=roll["学齢 四一"],
            entry_year=2026,
            due_on=TODAY,
            created_at=timezone.now(),
        )
        body, name = notices.notice_of(
            "enrolment", roll["学齢 四一"], visibility=door.Visibility(protected=True)
        )
        assert body.startswith(b"%PDF") and name == f"enrolment-2026-{roll['学齢 四一']}.pdf"
        assert WorkItem.objects.get().status == "done"
        with pytest.raises(notices.NoticeRefused, match="就学予定者"):
            notices.notice_of("health-check", roll["学齢 中三"], visibility=door.Visibility(protected=True))
