"""The 戸籍係's screens (戸籍 role): the search by 本籍・筆頭者 or a person, a 戸籍 with its members
in order and their 身分事項 (除籍 marked), a person's 身分事項, the 届出入力 — a 確認 showing the
戸籍 the 受理 would write and nothing kept, the 受理, every 不受理 reason and input error at its
item — the 受付帳 with each 届出's page, the 振り仮名 status, the menu and home line; other roles
refused; reads audited; query counts flat."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.koseki.conftest import HONSEKI, in_town
from tests.registry.ui.test_screens import staff_client
from tests.seal_registration.test_screens import _error
from yakuba.koseki.models import Koseki, Notification
from yakuba.koseki.services import file_notification, koseki_of
from yakuba.koseki.ui.forms import MODELS
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(aizu):
    return staff_client("kosekigakari", ["koseki"])


def _count(model) -> int:
    with tenant_context(AIZU):
        return model.objects.count()


def _son(ids, given="一郎", birth="2025-06-01", **extra):
    """The 出生届 of the 山田 couple's son, as the screen posts it (和暦 dates work too)."""
    return {
        "kind": "birth",
        "step": "check",
        "filed_on": birth,
        "given_name": given,
        "given_name_kana": "イチロウ",
        "sex": "male",
        "birth_date": birth,
        "legitimate": "1",
        "mother_id": ids["花子"],
        "father_id": ids["太郎"],
        **extra,
    }


def test_search_by_honseki_and_by_a_person_finds_the_koseki(clerk, couple):
    view, ids = couple
    page = clerk.get("/koseki/")
    assert page.status_code == 200 and 'name="honseki"' in page.content.decode()
    text = clerk.get("/koseki/", {"honseki": "福島県会津若松市"}).content.decode()
    assert f"/koseki/register/?id={view.koseki_id}" in text and "山田　太郎" in text
    by_person = clerk.get("/koseki/", {"name": "山田 花子", "born": "H4.7.7"}).content.decode()
    assert f"/koseki/person/?id={ids['花子']}" in by_person and "1992-07-07" in by_person
    by_kana = clerk.get("/koseki/", {"kana": "はなこ"}).content.decode()  # hiragana folds to カタカナ
    assert f"/koseki/person/?id={ids['花子']}" in by_kana
    assert "該当する戸籍はありません" in clerk.get("/koseki/", {"name": "佐藤 花子"}).content.decode()
    bad = clerk.get("/koseki/", {"born": "2月30日"})
    assert bad.status_code == 422 and "生年月日は" in _error(bad.content.decode(), "born")


def test_search_pages_by_key_in_one_query_whatever_the_page(clerk, couple):
    _marriages(55)  # 55 more 戸籍 in the same 本籍 prefix: two pages
    first = clerk.get("/koseki/", {"honseki": HONSEKI}).content.decode()
    assert first.count("/koseki/register/?id=") == 50 and "after=" in first
    after = re.search(r"after=(\d+)", first).group(1)
    with CaptureQueriesContext(connection) as queries:
        second = clerk.get("/koseki/", {"honseki": HONSEKI, "after": after}).content.decode()
    assert second.count("/koseki/register/?id=") == 6 and "最初から" in second
    with CaptureQueriesContext(connection) as again:
        clerk.get("/koseki/", {"honseki": HONSEKI, "after": after})
    assert len(again) == len(queries)


def _marriages(count: int) -> None:
    """``count`` couples from elsewhere marry on 2025-04-01, each a new 戸籍 here under 本籍 N."""
    for n in range(count):
        in_town(
            file_notification,
            {
                "kind": "marriage",
                "filed_on": "2025-04-01",
                "husband": _elsewhere("田中", f"夫{n}", "male"),
                "wife": _elsewhere("鈴木", f"妻{n}", "female"),
                "surname_of": "husband",
                "new_honseki": f"{HONSEKI}{n}",
            },
        )


def _elsewhere(surname, given, sex):
    return {
        "person": {
            "surname": surname,
            "given_name": given,
            "birth_date": "1990-01-01",
            "sex": sex,
            "relationship": "長男" if sex == "male" else "長女",
            "from_koseki": f"東京都千代田区千代田1番　{surname}　一郎",
        }
    }


def test_the_koseki_page_shows_members_in_order_with_their_entries_and_marks_a_removal(clerk, couple):
    view, ids = couple
    in_town(
        file_notification,
        {"kind": "death", "filed_on": "2025-08-03", "person_id": ids["太郎"], "died_on": "2025-08-01"},
    )
    text = clerk.get(f"/koseki/register/?id={view.koseki_id}").content.decode()
    assert HONSEKI in text and text.index("1. ") < text.index("2. ")
    assert text.index("太郎") < text.index("花子")  # 筆頭者 first (戸籍法14条)
    removed = re.search(rf'id="member-{ids["太郎"]}">(.*?)</div>', text, re.S).group(1)
    assert "除籍（死亡 2025-08-01）" in removed
    assert "婚姻" in text and "死亡" in text and "令和7年8月1日" in text
    person = clerk.get(f"/koseki/person/?id={ids['花子']}").content.decode()
    assert "<h1>山田　花子</h1>" in person and "婚姻" in person and "配偶者：山田　太郎" in person
    assert clerk.get("/koseki/register/?id=12").status_code == 404
    assert clerk.get("/koseki/register/?id=9999999999").status_code == 404
    assert clerk.get("/koseki/person/?id=9999999999").status_code == 404


def test_each_read_is_audited_naming_the_persons_shown(clerk, couple):
    view, ids = couple
    with tenant_context(AIZU):
        before = AuditEntry.objects.filter(resource="koseki").count()
    clerk.get(f"/koseki/register/?id={view.koseki_id}")
    clerk.get("/koseki/", {"name": "山田"})
    with tenant_context(AIZU):
        rows = list(AuditEntry.objects.filter(resource="koseki").order_by("id"))[before:]
    assert [r.action for r in rows] == ["read", "search"]
    assert all(set(r.subject_ids) == {ids["太郎"], ids["花子"]} for r in rows)


def test_the_koseki_page_reads_in_the_same_queries_whatever_its_size(clerk, couple):
    view, ids = couple
    in_town(file_notification, {k: v for k, v in _son(ids).items() if k != "step"} | {"legitimate": True})
    with CaptureQueriesContext(connection) as three:
        clerk.get(f"/koseki/register/?id={view.koseki_id}")
    for given, kana, day in (("健", "ケン", "2026-01-05"), ("翔", "ショウ", "2026-06-01")):
        son = _son(ids, given, day) | {"legitimate": True, "given_name_kana": kana}
        in_town(file_notification, {k: v for k, v in son.items() if k != "step"})
    with CaptureQueriesContext(connection) as five:
        text = clerk.get(f"/koseki/register/?id={view.koseki_id}").content.decode()
    assert "翔" in text and len(five) == len(three)


def test_a_birth_is_confirmed_showing_the_entry_then_accepted(clerk, couple):
    view, ids = couple
    before = _count(Notification)
    page = clerk.post("/koseki/notify/", _son(ids, birth="R7.6.1"))
    text = page.content.decode()
    assert page.status_code == 200 and "受理すると、次のとおり戸籍に記載します" in text
    assert (
        "一郎" in text and "この届出で記載" in text and "届出期間の末日 2025年6月16日" in text
    )  # 6/14 is a Saturday
    assert _count(Notification) == before  # the 確認 keeps nothing
    accept = re.search(r'<form [^>]*id="file-form">(.*?)</form>', text, re.S).group(1)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', accept))
    assert hidden["step"] == "file" and hidden["mother_id"] == ids["花子"]
    filed = clerk.post("/koseki/notify/", hidden)
    assert filed.status_code == 302 and "/koseki/ledger/notification/?no=" in filed["Location"]
    shown = clerk.get(filed["Location"]).content.decode()
    assert "受理しました" in shown and "出生届" in shown and "2025年6月16日" in shown
    members = in_town(koseki_of, view.koseki_id).members
    assert [m.name for m in members][-1] == "山田　一郎"


def _marriage(wife_born: str, husband: dict, **extra) -> dict:
    """A 婚姻届 as the screen posts it: the wife 伊藤 咲 from elsewhere, taking his 氏."""
    wife = {
        "surname": "伊藤",
        "given_name": "咲",
        "birth_date": wife_born,
        "sex": "female",
        "relationship": "長女",
    }
    return {
        "kind": "marriage",
        "step": "check",
        "filed_on": "2025-09-01",
        **husband,
        **{f"wife.person.{k}": v for k, v in wife.items()},
        "wife.person.from_koseki": "東京都千代田区千代田2番　伊藤　二郎",
        "surname_of": "husband",
        **extra,
    }


def test_a_marriage_of_two_children_confirms_a_new_koseki(clerk, couple):
    view, ids = couple
    data = _marriage(
        "1996-02-02",
        {
            "husband.person.surname": "高橋",
            "husband.person.given_name": "健",
            "husband.person.birth_date": "1995-01-01",
            "husband.person.sex": "male",
            "husband.person.relationship": "長男",
            "husband.person.from_koseki": "東京都千代田区千代田1番　高橋　一郎",
        },
        new_honseki="福島県会津若松市追手町1番",
    )
    kosekis = _count(Koseki)
    text = clerk.post("/koseki/notify/", data).content.decode()
    assert "新しく編製する戸籍" in text and "福島県会津若松市追手町1番" in text and "高橋　咲" in text
    assert _count(Koseki) == kosekis
    missing = clerk.post("/koseki/notify/", {**data, "new_honseki": ""})
    assert missing.status_code == 422
    assert "新本籍を入力してください" in _error(missing.content.decode(), "new-honseki")


def test_a_refusal_shows_every_reason_at_its_item_and_may_be_kept(clerk, couple):
    view, ids = couple
    data = _marriage("2010-02-02", {"husband.person_id": ids["太郎"]})  # married, and she is 15
    page = clerk.post("/koseki/notify/", data)
    text = page.content.decode()
    assert page.status_code == 422 and "不受理として記録されます" in text
    assert "重婚" in text and "18歳" in text and "入力内容に誤りがあります" in text
    assert _count(Notification) == 1  # only the couple's own 婚姻届
    kept = clerk.post("/koseki/notify/", {**data, "step": "file"})
    assert kept.status_code == 302
    shown = clerk.get(kept["Location"]).content.decode()
    assert "不受理" in shown and "重婚" in shown and _count(Notification) == 2


def test_input_errors_are_at_their_items_and_nothing_is_kept(clerk, couple):
    view, ids = couple
    page = clerk.post(
        "/koseki/notify/", _son(ids) | {"birth_date": "2月30日", "given_name": "", "mother_id": "12"}
    )
    text = page.content.decode()
    assert page.status_code == 422
    assert "日付として読めません" in _error(text, "birth-date")
    assert _error(text, "given-name") and _error(text, "mother-id")
    unknown = clerk.post("/koseki/notify/", _son(ids) | {"mother_id": "9999999999"}).content.decode()
    assert "在籍していません" in _error(unknown, "mother-id")
    assert _count(Notification) == 1


def test_every_kind_has_a_form_and_the_kinds_list(clerk, aizu):
    kinds = clerk.get("/koseki/notify/").content.decode()
    assert {"birth", "marriage", "divorce", "death", "transfer", "entry", "furigana"} <= set(MODELS)
    for kind in MODELS:  # every kind of the door's 届書, each from its own model
        assert f"?kind={kind}" in kinds
        page = clerk.get(f"/koseki/notify/?kind={kind}")
        text = page.content.decode()
        assert page.status_code == 200 and 'name="filed_on"' in text, kind
        assert not re.search(r'<label for="f-[^"]+">[a-z_]+<', text), kind  # every item has words
    assert 'name="filer_ids"' in clerk.get("/koseki/notify/?kind=transfer").content.decode()
    furigana = clerk.get("/koseki/notify/?kind=furigana").content.decode()
    assert '<option value="guardian"' in furigana and "法定代理人" in furigana


def test_the_ledger_lists_the_day_and_each_notification_has_its_page(clerk, couple):
    text = clerk.get("/koseki/ledger/?day=2025-04-01").content.decode()
    assert "婚姻届" in text and "受理" in text and "/koseki/ledger/notification/?no=0000000001" in text
    assert ">山田　太郎</a>" in text  # the 事件本人 by name
    page = clerk.get("/koseki/ledger/notification/?no=0000000001").content.decode()
    assert "婚姻届" in page and "夫 氏" in page and "山田" in page and "届出期間なし" in page
    assert f"/koseki/register/?id={couple[0].koseki_id}" in page  # the 戸籍 it made
    assert "この日の届出はありません" in clerk.get("/koseki/ledger/?day=R7.4.2").content.decode()
    assert clerk.get("/koseki/ledger/?day=xx").status_code == 422
    assert clerk.get("/koseki/ledger/notification/?no=0000000009").status_code == 404


def test_the_furigana_page_counts_and_lists_by_status(clerk, couple):
    text = clerk.get("/koseki/furigana/?status=filed").content.decode()
    assert "届出で記載" in text and "山田　花子" in text and "ヤマダ　ハナコ" in text
    assert "該当する方はいません" in clerk.get("/koseki/furigana/?status=ex_officio").content.decode()


def test_menu_and_home_line_and_other_roles_refused(clerk, couple):
    home = clerk.get("/").content.decode()
    assert "戸籍 本日の届出" in home and 'href="/koseki/"' in home
    counter = staff_client("madoguchi", ["counter"])
    for url in ("/koseki/", "/koseki/notify/", "/koseki/ledger/", "/koseki/furigana/"):
        assert counter.get(url).status_code == 403, url
    assert counter.post("/koseki/notify/", {"kind": "birth"}).status_code == 403


@pytest.fixture
def issuing(couple):
    from yakuba.certificates.services import seal, settings

    with tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    return couple


def test_the_counter_issues_a_full_certificate_to_a_member(issuing):
    view, ids = issuing
    counter = staff_client("madoguchi", ["counter"])  # the 窓口 issues them too
    form = counter.get(f"/koseki/certificate/?id={view.koseki_id}").content.decode()
    assert '<option value="koseki_full" selected>' in form and "山田　花子（長女）" in form
    page = counter.post(
        "/koseki/certificate/",
        {
            "id": view.koseki_id,
            "kind": "koseki_full",
            "requester_type": "self",
            "requester_person_id": ids["花子"],
        },
    )
    text = page.content.decode()
    assert page.status_code == 200 and "戸籍全部事項証明書を交付しました" in text
    number = re.search(r'id="number">([\d-]+)<', text).group(1)
    assert counter.get(f"/certificates/issued/{number}/pdf/").content.startswith(b"%PDF")


def test_certificate_refusals_are_at_their_inputs_and_nothing_is_issued(clerk, issuing):
    from yakuba.certificates.models import Certificate

    view, ids = issuing
    base = {"id": view.koseki_id, "kind": "koseki_full"}
    stranger = clerk.post(
        "/koseki/certificate/", base | {"requester_type": "third_party", "requester_name": "鈴木 一"}
    )
    text = stranger.content.decode()
    assert stranger.status_code == 422 and "請求事由の区分を選んでください" in _error(text, "purpose-kind")
    none = clerk.post(
        "/koseki/certificate/",
        base | {"kind": "koseki_individual", "requester_type": "self", "requester_person_id": ids["太郎"]},
    )
    assert none.status_code == 422 and "記載する者を選んでください" in none.content.decode()
    wide = clerk.post(
        "/koseki/certificate/",
        base | {"requester_type": "agent", "requester_name": "鈴木 一", "wide_area": "1"},
    )
    assert "広域交付は本人・配偶者" in _error(wide.content.decode(), "requester-type")
    assert _count(Certificate) == 0
    assert clerk.get("/koseki/certificate/?id=x").status_code == 404
    welfare = staff_client("fukushi", ["welfare"])
    assert welfare.get(f"/koseki/certificate/?id={view.koseki_id}").status_code == 403


def test_hostile_text_in_the_forms_never_gets_a_5xx(clerk, couple):
    view, ids = couple
    for text in ("青木\x00", "𠮷野", "葛\U000e0100飾", "あ" * 4000, "9" * 30, "R99.99.99"):
        for page in (
            clerk.get("/koseki/", {"name": text, "kana": text, "born": text, "honseki": text, "after": text}),
            clerk.get("/koseki/ledger/", {"day": text, "after": text}),
            clerk.get("/koseki/furigana/", {"status": text, "after": text}),
            clerk.post("/koseki/notify/", _son(ids, given=text) | {"filed_on": text, "father_id": text}),
            clerk.post("/koseki/notify/", {"kind": "transfer", "filer_ids": text, "members[0].role": text}),
            clerk.post(
                "/koseki/certificate/",
                {"id": view.koseki_id, "kind": text, "requester_type": text, "requester_person_id": text},
            ),
        ):
            assert page.status_code < 500, (text[:10], page.request["PATH_INFO"])


def test_the_counter_finds_the_koseki_by_its_honseki_from_its_menu(issuing):
    view, _ids = issuing
    counter = staff_client("madoguchi", ["counter"])
    assert 'href="/koseki/certificate/"' in counter.get("/").content.decode()
    text = counter.get("/koseki/certificate/", {"honseki": HONSEKI}).content.decode()
    assert f"/koseki/certificate/?id={view.koseki_id}" in text and "山田　太郎" in text
    assert (
        "この本籍の戸籍はありません" in counter.get("/koseki/certificate/", {"honseki": "x"}).content.decode()
    )


def test_a_joseki_and_an_original_koseki_are_found_and_read_as_such(clerk, couple):
    from yakuba.koseki.services import record_existing

    view, ids = couple
    moved = {"kind": "transfer", "filed_on": "2025-10-01", "koseki_id": view.koseki_id}
    in_town(
        file_notification,
        moved
        | {
            "new_honseki": "東京都千代田区千代田1番",
            "to_lg_code": "131016",
            "filer_ids": [ids["太郎"], ids["花子"]],
        },
    )
    (original,) = in_town(
        record_existing,
        [
            {
                "honseki": HONSEKI,
                "surname": "山田",
                "formed_on": "1960-04-01",
                "original": True,
                "members": [
                    {
                        "given_name": "一",
                        "birth_date": "1930-01-01",
                        "sex": "male",
                        "role": "head",
                        "relationship": "長男",
                        "entered_on": "1960-04-01",
                    }
                ],
            }
        ],
    )
    text = clerk.get("/koseki/", {"hittosha": "山田"}).content.decode()
    assert "除籍</span>" in text and "改製原戸籍</span>" in text
    joseki = clerk.get(f"/koseki/register/?id={view.koseki_id}").content.decode()
    assert "除籍（戸籍ID" in joseki and "転籍" in joseki and "東京都千代田区千代田1番" in joseki
    assert "改製原戸籍（戸籍ID" in clerk.get(f"/koseki/register/?id={original}").content.decode()
    form = clerk.get(f"/koseki/certificate/?id={view.koseki_id}").content.decode()
    assert '<option value="joseki_full" selected>' in form
    form = clerk.get(f"/koseki/certificate/?id={original}").content.decode()
    assert '<option value="original_koseki" selected>' in form


def test_the_ledger_and_the_furigana_list_read_in_the_same_queries_whatever_their_length(clerk, couple):
    view, ids = couple
    with CaptureQueriesContext(connection) as one:
        clerk.get("/koseki/ledger/?day=2025-04-01")
    with CaptureQueriesContext(connection) as listed_one:
        clerk.get("/koseki/furigana/?status=filed")
    _marriages(3)
    with CaptureQueriesContext(connection) as four:
        text = clerk.get("/koseki/ledger/?day=2025-04-01").content.decode()
    assert text.count("/koseki/ledger/notification/?no=") == 4 and len(four) == len(one)
    in_town(file_notification, _furigana(ids))
    with CaptureQueriesContext(connection) as listed_more:
        clerk.get("/koseki/furigana/?status=filed")
    assert len(listed_more) == len(listed_one)


def _furigana(ids):
    return {
        "kind": "furigana",
        "filed_on": "2025-06-01",
        "part": "given_name",
        "person_id": ids["太郎"],
        "filer_id": ids["太郎"],
        "reading": "タロウ",
    }


def test_the_live_check_says_each_problem_as_the_clerk_types_and_keeps_nothing(clerk, couple):
    view, ids = couple
    form = clerk.get("/koseki/notify/?kind=birth").content.decode()
    assert 'hx-post="/koseki/notify/?live=1"' in form
    live = clerk.post("/koseki/notify/?live=1", _son(ids) | {"mother_id": "9999999999"}).content.decode()
    assert "このままでは受理できません（1件）" in live and 'href="#f-mother-id"' in live
    assert "見つかりません" in clerk.post("/koseki/notify/?live=1", _son(ids)).content.decode()
    assert "（1件）" in clerk.post("/koseki/notify/?live=1", _son(ids) | {"birth_date": ""}).content.decode()
    assert _count(Notification) == 1


def test_a_late_birth_is_shown_late_on_the_confirmation_the_ledger_and_its_page(clerk, couple):
    view, ids = couple
    late = _son(ids) | {"filed_on": "2025-07-01"}  # born 6/1: due 6/16 (6/14 a Saturday)
    confirm = clerk.post("/koseki/notify/", late).content.decode()
    assert (
        "届出期間の末日 2025年6月16日" in confirm and "期間経過：受理し、失期通知の対象になります" in confirm
    )
    filed = clerk.post("/koseki/notify/", late | {"step": "file"})
    assert "期間経過（失期通知の対象）" in clerk.get(filed["Location"]).content.decode()
    assert "期間経過</span>" in clerk.get("/koseki/ledger/?day=2025-07-01").content.decode()


def test_a_transfer_within_the_town_and_one_into_it_are_confirmed_from_the_screen(clerk, couple):
    view, ids = couple
    within = {
        "kind": "transfer",
        "step": "check",
        "filed_on": "2025-10-01",
        "koseki_id": view.koseki_id,
        "new_honseki": "福島県会津若松市中町4番",
        "to_lg_code": AIZU,
        "filer_ids": f"{ids['太郎']}, {ids['花子']}",
    }
    text = clerk.post("/koseki/notify/", within).content.decode()  # no member rows typed: none sent
    assert "受理すると" in text and "福島県会津若松市中町4番" in text
    person = {"sex": "male", "entered_on": "2010-04-01"}
    into = {
        "kind": "transfer",
        "step": "check",
        "filed_on": "2025-10-01",
        "new_honseki": "福島県会津若松市栄町1番",
        "to_lg_code": AIZU,
        "from_honseki": "東京都千代田区千代田3番",
        "surname": "田中",
        **{
            f"members[0].{k}": v
            for k, v in (
                person
                | {
                    "role": "head",
                    "given_name": "太一",
                    "birth_date": "1980-01-01",
                    "relationship": "長男",
                    "filer": "1",
                }
            ).items()
        },
        **{
            f"members[1].{k}": v
            for k, v in (
                person
                | {"role": "child", "given_name": "一郎", "birth_date": "2012-01-01", "relationship": "長男"}
            ).items()
        },
    }
    text = clerk.post("/koseki/notify/", into).content.decode()
    assert "新しく編製する戸籍" in text and "田中　太一" in text and "田中　一郎" in text
    half = clerk.post("/koseki/notify/", into | {"members[1].birth_date": ""})
    assert half.status_code == 422 and "入力してください" in _error(
        half.content.decode(), "members-1-birth-date"
    )


def test_every_kind_sent_empty_names_its_missing_items(clerk, couple):
    for kind in MODELS:
        page = clerk.post("/koseki/notify/", {"kind": kind, "step": "check", "filed_on": "2025-10-01"})
        text = page.content.decode()
        assert page.status_code == 422 and "入力内容に誤りがあります" in text, kind
        assert '<a href="#f-' in text, kind  # at least one message is linked to its input
