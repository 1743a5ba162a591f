"""The 在外選挙人名簿 screens (選挙管理委員会 role): a 出国時申請 and a 在外公館申請 through the forms
(broken rules shown at their fields, nothing written), registration, the book paged in a fixed
number of queries, an entry with its history and the 国内住所 表示 and 抹消 forms, the work list
of 国外転出 and 附票 notices; other staff refused."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.overseas_electors.conftest import (
    MISSION,
    TODAY,
    follow_registry,
    in_town,
    move_abroad,
    resident,
    run_roll,
)
from tests.overseas_electors.test_applications import mission
from tests.registry.conftest import registry  # noqa: F401 (fixture)
from tests.registry.ui.test_screens import staff_client
from yakuba.overseas_electors import services
from yakuba.overseas_electors.models import AnnexNotice, Application
from yakuba.overseas_electors.rules.eligibility import months_on, struck_off_from
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

BASE = "/overseas_electors/"


@pytest.fixture
def clerk(aizu, system_actor):
    return staff_client("senkan", ["election"])


def test_only_the_election_commission_sees_the_book(clerk, aizu):
    assert clerk.get(BASE).status_code == 200
    home = clerk.get("/").content.decode()
    assert "在外選挙 出国時申請の案内" in home and "0件・0件" in home and 'href="/overseas_electors/"' in home
    counter = staff_client("madoguchi", ["counter"])
    assert counter.get(BASE).status_code == 403


def test_the_application_forms_show_each_error_at_its_field(registry, clerk, system_actor):  # noqa: F811
    voter = resident(registry, "在外 画面")
    run_roll()
    move_abroad(registry, voter)
    bad = clerk.post(f"{BASE}applications/departure/", {"atena_no": voter, "applied_on": "2026-13-01"})
    assert bad.status_code == 422 and "日付は YYYY-MM-DD" in bad.content.decode()
    early = clerk.post(f"{BASE}applications/departure/", {"atena_no": voter, "applied_on": "2000-01-01"})
    assert early.status_code == 422 and "出国時申請は国外への転出届を出した日" in early.content.decode()
    assert (
        clerk.post(
            f"{BASE}applications/departure/", {"atena_no": voter, "applied_on": str(TODAY)}
        ).status_code
        == 302
    )
    blank = clerk.post(f"{BASE}applications/mission/", {"applied_on": str(TODAY), "name": "", "mission": ""})
    text = blank.content.decode()
    assert (
        blank.status_code == 422 and "在外公館を入力してください" in text and "氏名を入力してください" in text
    )
    good = clerk.post(f"{BASE}applications/mission/", {
        "applied_on": str(TODAY), "name": "在外 画面二", "birth_date": "1970-02-02", "domicile": "福島県会津若松市",
        "mission": MISSION, "overseas_address": "英国ロンドン", "arrived_on": str(months_on(TODAY, -3)),
    })  # fmt: skip
    assert good.status_code == 302
    page = clerk.get(f"{BASE}applications/").content.decode()
    assert (
        "在外 画面" in page and "在外 画面二" in page and "（保留）" in page
    )  # the departure waits for its 予定日
    with tenant_context(AIZU):
        app = Application.objects.get(name="在外 画面二")
    assert clerk.post(f"{BASE}applications/register/", {"application": app.pk, "on": str(TODAY), "mission": "",
                                                         "overseas_address": ""}).status_code == 302  # fmt: skip
    follow_registry()
    work = clerk.get(f"{BASE}work/").content.decode()
    assert voter not in work  # applied: no longer a lead
    assert "在外 画面二" in work and "福島県会津若松市" in work  # the 附票 notice of the registration
    with tenant_context(AIZU):
        notice = AnnexNotice.objects.get()
    printed = clerk.post(f"{BASE}work/print/", {"notice": notice.pk})
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    assert printed.content.startswith(b"%PDF")
    nothing = clerk.post(f"{BASE}work/print/", {})
    assert nothing.status_code == 422 and "印刷する通知を選んでください" in nothing.content.decode()
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(resource="overseas_electors.notice", action="print").count() == 1
    assert clerk.post(f"{BASE}work/sent/", {"notice": notice.pk}).status_code == 302
    assert "未送付の通知はありません" in clerk.get(f"{BASE}work/").content.decode()


def test_the_book_pages_and_an_entry_is_marked_and_struck_off(clerk, system_actor):
    for i in range(3):
        in_town(services.register, services.Registration(
            in_town(services.apply_mission, mission(name=f"在外 名簿{i}")).pk, TODAY, MISSION, ""))  # fmt: skip
    with CaptureQueriesContext(connection) as few:
        clerk.get(f"{BASE}?as_of={TODAY}")
    for i in range(3, 60):
        in_town(services.register, services.Registration(
            in_town(services.apply_mission, mission(name=f"在外 名簿{i}")).pk, TODAY, MISSION, ""))  # fmt: skip
    with CaptureQueriesContext(connection) as more:
        first = clerk.get(f"{BASE}?as_of={TODAY}").content.decode()
    assert len(few) == len(more)
    assert "在外 名簿0" in first and "在外 名簿55" not in first and "after=00000050" in first
    assert "在外 名簿55" in clerk.get(f"{BASE}?as_of={TODAY}&after=00000050").content.decode()
    entry = clerk.get(f"{BASE}entry/?card_no=00000001").content.decode()
    assert "在外 名簿0" in entry and "登録" in entry and "本籍地" in entry
    assert clerk.get(f"{BASE}entry/?card_no=99999999").status_code == 404
    card = clerk.post(f"{BASE}entry/card/", {"card_no": "00000001"})
    assert card.status_code == 200 and card.content.startswith(b"%PDF")
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(action="print", detail__document="在外選挙人証").count() == 1
    marked = clerk.post(f"{BASE}entry/came-home/", {"card_no": "00000001", "came_home_on": str(TODAY)})
    assert marked.status_code == 302
    page = clerk.get(f"{BASE}entry/?card_no=00000001").content.decode()
    assert f"{struck_off_from(TODAY)} から抹消できます" in page
    early = clerk.post(
        f"{BASE}entry/strike-off/", {"card_no": "00000001", "on": str(TODAY), "reason": "came_home"}
    )
    assert early.status_code == 422 and "後4か月を経過する" in early.content.decode()
    died = clerk.post(f"{BASE}entry/strike-off/", {"card_no": "00000001", "on": str(TODAY), "reason": "died"})
    assert died.status_code == 302
    assert "抹消（死亡" in clerk.get(f"{BASE}entry/?card_no=00000001").content.decode()
    assert clerk.post(f"{BASE}entry/card/", {"card_no": "00000001"}).status_code == 422  # struck off


def test_unstorable_text_in_a_form_is_refused_not_a_server_error(clerk):
    for text in ("青木\x00", "𠮷" * 5000):
        response = clerk.post(f"{BASE}applications/mission/", {"applied_on": str(TODAY), "name": text,
                                                              "mission": text, "birth_date": text})  # fmt: skip
        assert response.status_code in (400, 422)
    long = clerk.post(f"{BASE}applications/mission/", {"applied_on": str(TODAY), "name": "長" * 150, "mission": "m",
                                                        "domicile": "d", "overseas_address": "o",
                                                        "birth_date": "1970-01-01", "arrived_on": "2020-01-01"})  # fmt: skip
    assert long.status_code == 422 and "氏名は100文字以内" in long.content.decode()
    assert clerk.get(f"{BASE}?as_of=\x00&after=%00").status_code in (200, 400)
    assert clerk.get(f"{BASE}entry/?card_no=%00").status_code in (400, 404)
