"""The 選管's screens (role 選挙管理委員会): the roll per 投票区 with its keyset pages in a fixed
number of queries and a protected address hidden, a person's entries and history, the run form
(refusals at their fields, a good run recorded), the 投票区 upload, the 抄本 download audited,
the 閲覧 申出 → 審査 → 閲覧 with no person under 支援措置 shown, the election periods; other
roles refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import AIZU
from tests.elections.test_extract import KIJUN, town, voter  # noqa: F401 (fixture)
from tests.elections.test_viewing import open_day
from tests.registry.ui.test_screens import protect, staff_client
from yakuba.elections.models import Viewing
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(town):  # noqa: F811
    return staff_client("senkan", ["election"])


def test_other_roles_are_refused(town):  # noqa: F811
    counter = staff_client("madoguchi", ["counter"])
    assert counter.get("/elections/").status_code == 403


def test_the_roll_pages_in_fixed_queries_and_hides_a_protected_address(clerk, town, registry):  # noqa: F811
    protect(town["二番"])
    text = clerk.get("/elections/").content.decode()
    assert "抄本 十番" in text and "第1投票区" in text and "平成元年1月8日" in text
    assert "（支援措置対象のため表示しません）" in text and "2番1号" not in text
    assert 'action="/elections/person/"' in text  # the 宛名番号 lookup
    with CaptureQueriesContext(connection) as few:
        clerk.get("/elections/?tohyoku=第1投票区")
    for n in range(4):
        voter(registry, f"抄本 画面{n}", 1, f"{n + 30}番1号", birth=f"1950-02-0{n + 1}")
    with tenant_context(AIZU):
        from yakuba.elections import services
        from yakuba.platform.audit.log import SYSTEM, bind_actor

        with bind_actor(SYSTEM):
            services.register("election", KIJUN + timedelta(days=1), KIJUN + timedelta(days=18))
    with CaptureQueriesContext(connection) as more:
        clerk.get("/elections/?tohyoku=第1投票区")
    assert len(few) == len(more)
    person = clerk.get(f"/elections/person/?atena_no={town['十番']}").content.decode()
    assert "登録 " in person and "住所地（第21条第1項）" in person
    assert clerk.get("/elections/person/?atena_no=999999").status_code == 404
    hidden = clerk.get(f"/elections/person/?atena_no={town['二番']}").content.decode()
    assert "（支援措置対象のため表示しません）" in hidden and "2番1号" not in hidden


def test_the_run_form_names_its_fields_and_records_a_good_run(clerk, town):  # noqa: F811
    bad = clerk.post("/elections/runs/", {"kind": "teiji", "kijun": "2026-04-01", "election_day": ""})
    assert bad.status_code == 422
    assert "定時登録の基準日は3月・6月・9月・12月の1日です" in bad.content.decode()
    missing = clerk.post("/elections/runs/", {"kind": "x", "kijun": "x", "election_day": "y"})
    text = missing.content.decode()
    assert "登録の種類を選んでください" in text and "基準日を YYYY-MM-DD で入力してください" in text
    good = clerk.post(
        "/elections/runs/",
        {"kind": "election", "kijun": (KIJUN + timedelta(days=2)).isoformat(),
         "election_day": (KIJUN + timedelta(days=19)).isoformat()},
    )  # fmt: skip
    assert good.status_code == 302
    page = clerk.get(good["Location"]).content.decode()
    assert "登録しました: 登録 0 人" in page and "選挙時登録" in page


def test_the_precinct_upload_and_the_extract_download(clerk, town):  # noqa: F811
    bad = clerk.post("/elections/precincts/", {"effective_from": "x"})
    assert bad.status_code == 422 and "施行日を YYYY-MM-DD で入力してください" in bad.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = "町字,番地から,番地まで,投票区コード,投票区名,投票所\n東栄町,1,9,1,第1投票区,東栄小学校\n東栄町,10,99,2,第2投票区,栄公民館\n"
    upload = SimpleUploadedFile("tohyoku.csv", body.encode(), content_type="text/csv")
    loaded = clerk.post(
        "/elections/precincts/",
        {"effective_from": (timezone.localdate() - timedelta(days=1)).isoformat(), "file": upload},
    )
    assert loaded.status_code == 200, loaded.content.decode()
    assert "取り込みました" in loaded.content.decode() and "栄公民館" in loaded.content.decode()
    form = clerk.get("/elections/extract/").content.decode()
    assert '<option value="第2投票区">' in form
    pdf = clerk.get(f"/elections/extract/?as_of={timezone.localdate()}&tohyoku=第2投票区&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    csv = clerk.get(f"/elections/extract/?as_of={timezone.localdate()}&format=csv").content.decode(
        "utf-8-sig"
    )
    assert csv.splitlines()[1].startswith("第1投票区,1,抄本 二番") and "第2投票区,1,抄本 十番" in csv
    refused = clerk.get(f"/elections/extract/?as_of={timezone.localdate()}&tohyoku=第9投票区")
    assert refused.status_code == 422 and "投票区「第9投票区」はありません" in refused.content.decode()
    with tenant_context(AIZU):
        printed = list(
            AuditEntry.objects.filter(resource="elections.extract").values_list("action", flat=True)
        )
    assert printed == ["print", "export"]


def test_request_decide_and_view_on_screen(clerk, town, monkeypatch):  # noqa: F811
    day = open_day(timezone.localdate())
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    protect(town["二番"])
    bad = clerk.post(
        "/elections/viewings/", {"purpose": "political", "requester_name": "", "viewing_on": "x"}
    )
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "申出者の氏名（名称）を入力してください" in text and "閲覧日を入力してください" in text
    made = clerk.post(
        "/elections/viewings/",
        {"purpose": "political", "requester_name": "会津 次郎", "requester_address": "会津若松市",
         "viewing_on": day.isoformat(), "purpose_detail": "後援会の案内", "viewers": "会津 次郎",
         "precincts": ["第1投票区"]},
    )  # fmt: skip
    assert made.status_code == 302
    url = made["Location"]
    assert "審査中" in clerk.get(url).content.decode()
    viewing_id = url.rsplit("=", 1)[1]
    assert (
        clerk.post(
            "/elections/viewings/one/", {"id": viewing_id, "action": "decide", "allowed": "1"}
        ).status_code
        == 200
    )
    shown = clerk.post(
        "/elections/viewings/one/", {"id": viewing_id, "action": "view", "identity": "運転免許証"}
    )
    text = shown.content.decode()
    assert "閲覧に供する抄本（2 人）" in text and "抄本 十番" in text and "抄本 二番" not in text
    again = clerk.post(
        "/elections/viewings/one/", {"id": viewing_id, "action": "view", "identity": "運転免許証"}
    )
    assert again.status_code == 422 and "この申出の閲覧は済んでいます" in again.content.decode()
    listed = clerk.get("/elections/viewings/").content.decode()
    assert "会津 次郎" in listed and "済（2 人）" in listed
    published = clerk.get(f"/elections/viewings/published/?from={day}&to={day}").content.decode("utf-8-sig")
    assert "会津 次郎" in published
    assert clerk.get("/elections/viewings/one/?id=99999").status_code == 404
    with tenant_context(AIZU):
        assert Viewing.objects.get().shown == 2


def test_election_periods_and_the_home_tasks(clerk):
    bad = clerk.post(
        "/elections/periods/", {"name": "", "announced_on": "2027-04-19", "election_day": "2027-04-18"}
    )
    assert bad.status_code == 422
    assert "選挙の名称を入力してください" in bad.content.decode()
    clerk.post(
        "/elections/periods/",
        {"name": "市長選挙", "announced_on": "2027-04-11", "election_day": "2027-04-18"},
    )
    both = clerk.post(
        "/elections/periods/",
        {"name": "市議会議員選挙", "announced_on": "2027-04-13", "election_day": "2027-04-18"},
    )
    text = both.content.decode()
    assert "期間が重なる選挙があります: 市長選挙" in text and "2027-04-11〜2027-04-23" in text
    runs = clerk.get("/elections/runs/?").content.decode()
    assert "選挙時登録" in runs
    home = clerk.get("/").content.decode()
    assert "選挙人名簿抄本 閲覧の申出（審査待ち）" in home


HOSTILE = ["𠮷" * 2600, "葛\U000e0100" * 1000, "\u202eﾃｽﾄ\ufeff", "-1", "9" * 40, "../..", "%00"]


def test_hostile_text_in_every_field_never_gets_a_5xx(clerk):
    forms = {
        "/elections/runs/": ["kind", "kijun", "election_day"],
        "/elections/periods/": ["name", "announced_on", "election_day"],
        "/elections/viewings/": ["purpose", "requester_name", "requester_address", "representative", "viewing_on",
                                 "purpose_detail", "viewers", "persons", "precincts"],
        "/elections/viewings/one/": ["id", "action", "allowed", "refusal_reason", "identity"],
        "/elections/precincts/": ["effective_from", "notice"],
    }  # fmt: skip
    gets = {
        "/elections/": ["tohyoku", "after"],
        "/elections/person/": ["atena_no"],
        "/elections/extract/": ["as_of", "tohyoku", "format", "for_viewing"],
        "/elections/viewings/": ["after"],
        "/elections/viewings/one/": ["id"],
        "/elections/viewings/published/": ["from", "to"],
    }
    for text in HOSTILE:
        for path, fields in forms.items():
            response = clerk.post(path, dict.fromkeys(fields, text))
            assert response.status_code < 500, (path, text[:20])
        for path, fields in gets.items():
            response = clerk.get(path, dict.fromkeys(fields, text))
            assert response.status_code < 500, (path, text[:20])
