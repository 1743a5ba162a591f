"""The 届出 door against real PostgreSQL (docs/koseki.md): each kind's resulting 戸籍 — who is in
it, in what order, which new 戸籍 are made (婚姻 when neither is 筆頭者, 三代戸籍) — the 届出期間,
受理 and 不受理 kept with their reasons, the events and the audit rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.koseki.conftest import HONSEKI, born, elsewhere, file, in_town, member, people, yamada_marriage
from yakuba.koseki import events
from yakuba.koseki.codes import Event, Outcome, Role
from yakuba.koseki.models import Entry, Koseki, Member, Notification
from yakuba.koseki.services import (
    Invalid,
    check_notification,
    entries_of,
    file_notification,
    koseki_ids,
    koseki_of,
)
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event as LinkageEvent
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def accepted_events():
    with tenant_context(AIZU):
        return list(
            LinkageEvent.objects.filter(type=events.ACCEPTED).order_by("seq").values_list("subject", "data")
        )


def test_marriage_of_two_from_elsewhere_makes_their_koseki(couple):
    view, ids = couple
    assert (view.honseki, view.hittosha, view.surname, view.surname_kana) == (
        HONSEKI,
        "山田\u3000太郎",
        "山田",
        "ヤマダ",
    )
    assert [(m.position, m.role, m.name) for m in view.members] == [
        (1, Role.HEAD, "山田\u3000太郎"),
        (2, Role.SPOUSE, "山田\u3000花子"),
    ]
    assert [e.event for e in view.entries] == [Event.FORMED]
    wife = view.members[1]
    assert (
        wife.from_koseki.startswith("東京都千代田区") and wife.entries[0].detail["former_surname"] == "佐藤"
    )
    subject, data = accepted_events()[0]
    assert subject == ids["太郎"] and data["kind"] == "marriage"
    assert {p["name"] for p in data["persons"]} == {"山田\u3000太郎", "山田\u3000花子"}
    assert data["persons"][0]["honseki"] == HONSEKI and data["persons"][0]["name_kana"]
    assert (
        data["formed"]
        == [{"koseki_id": view.koseki_id, "honseki": HONSEKI, "hittosha": "山田　太郎", "reason": "marriage"}]
        and data["closed"] == []
    )
    with tenant_context(AIZU):
        row = AuditEntry.objects.filter(action="create", resource="koseki").get()
        assert set(row.subject_ids) == set(ids.values())


def test_a_birth_enters_the_parents_koseki_in_birth_order(couple):
    view, ids = couple
    first = born(ids["花子"], "一郎", "いちろう", "2026-04-01", father_id=ids["太郎"])
    assert first.outcome == Outcome.ACCEPTED and first.deadline == date(2026, 4, 14) and not first.late
    born(ids["花子"], "心愛", "ココア", "2026-04-01", sex="female", father_id=ids["太郎"])  # twins
    born(ids["花子"], "次郎", "ジロウ", "2026-09-01", father_id=ids["太郎"])
    members = in_town(koseki_of, view.koseki_id).members
    assert [(m.name, m.relationship, m.name_kana) for m in members[2:]] == [
        ("山田\u3000一郎", "長男", "ヤマダ\u3000イチロウ"),
        ("山田\u3000心愛", "長女", "ヤマダ\u3000ココア"),
        ("山田\u3000次郎", "二男", "ヤマダ\u3000ジロウ"),
    ]
    assert members[2].father == "山田\u3000太郎" and members[2].mother == "山田\u3000花子"
    subject, data = accepted_events()[1]
    assert subject == first.person_id and data["kind"] == "birth" and data["event_on"] == "2026-04-01"
    assert [p["person_id"] for p in data["persons"]] == [first.person_id]  # the parents did not change
    assert [(p["person_id"], p["atena_no"], p["role"]) for p in data["parents"]] == [
        (ids["花子"], "000000000000202", "mother"),  # the 宛名番号 the 婚姻届 linked
        (ids["太郎"], "000000000000101", "father"),
    ]


def test_birth_deadline_boundary_days(couple):
    _view, ids = couple
    on_time = born(
        ids["花子"], "一郎", "イチロウ", "2026-04-16", father_id=ids["太郎"], filed_on="2026-04-30"
    )
    assert on_time.deadline == date(2026, 4, 30) and not on_time.late  # 4/29 昭和の日 → 4/30
    late = born(ids["花子"], "次郎", "ジロウ", "2026-04-16", father_id=ids["太郎"], filed_on="2026-05-01")
    assert late.outcome == Outcome.ACCEPTED and late.late  # accepted; the 失期通知 follows
    with tenant_context(AIZU):
        assert Notification.objects.get(notification_no=late.notification_no).late


def test_three_generations_make_a_new_koseki_for_the_mother(couple):
    view, ids = couple
    daughter = born(
        ids["花子"], "桜良", "サラ", "2000-01-01", sex="female", father_id=ids["太郎"], filed_on="2025-06-01"
    )
    with pytest.raises(Invalid) as caught:
        born(daughter.person_id, "陽斗", "ハルト", "2026-06-01", legitimate=False)
    assert caught.value.errors[0][0] == "new_honseki" and "17条" in caught.value.errors[0][1]
    grandchild = born(
        daughter.person_id,
        "陽斗",
        "ハルト",
        "2026-06-01",
        legitimate=False,
        new_honseki="福島県会津若松市追手町1番",
    )
    assert grandchild.outcome == Outcome.ACCEPTED
    new_id = next(k for k in grandchild.koseki_ids if k != view.koseki_id)
    new = in_town(koseki_of, new_id)
    assert new.hittosha == "山田\u3000桜良" and new.surname_kana == "ヤマダ"
    assert [(m.role, m.name, m.relationship) for m in new.members] == [
        (Role.HEAD, "山田\u3000桜良", "長女"),
        (Role.CHILD, "山田\u3000陽斗", "長男"),
    ]
    old = people(view.koseki_id)["桜良"]
    assert old.removed_reason == Event.FORMED and old.to_koseki.startswith("福島県会津若松市追手町1番")


def son_marries_away(ids):
    """Their son 一郎 (born 2000, filed in 2025) marries 鈴木 美羽, who takes his 氏: neither is
    筆頭者, so a new 戸籍 at 栄町2番 — the 受理."""
    son = born(ids["花子"], "一郎", "イチロウ", "2000-01-01", father_id=ids["太郎"], filed_on="2025-06-01")
    return file(
        kind="marriage",
        filed_on="2026-06-01",
        husband={"person_id": son.person_id},
        wife=elsewhere("鈴木", "美羽", "スズキ", "ミウ", "2001-02-02", "female", "長女"),
        surname_of="husband",
        new_honseki="福島県会津若松市栄町2番",
    )


def test_marriage_when_neither_is_head_makes_a_new_koseki(couple):
    view, ids = couple
    filed = son_marries_away(ids)
    new = in_town(koseki_of, next(k for k in filed.koseki_ids if k != view.koseki_id))
    assert [(m.role, m.name) for m in new.members] == [
        (Role.HEAD, "山田\u3000一郎"),
        (Role.SPOUSE, "山田\u3000美羽"),
    ]
    assert people(view.koseki_id)["一郎"].removed_reason == Event.MARRIAGE


def test_marriage_into_the_koseki_of_a_head(couple):
    """After a 離婚 the 筆頭者 marries again: the new wife enters his 戸籍, at its end (16条, 14条3項)."""
    view, ids = couple
    born(ids["花子"], "一郎", "イチロウ", "2026-04-01", father_id=ids["太郎"])
    file(
        kind="divorce",
        filed_on="2026-06-01",
        husband_id=ids["太郎"],
        wife_id=ids["花子"],
        new_honseki="東京都千代田区千代田1番",
    )
    file(
        kind="marriage",
        filed_on="2026-07-01",
        husband={"person_id": ids["太郎"]},
        wife=elsewhere("田中", "葵", "タナカ", "アオイ", "1995-03-03", "female", "二女"),
        surname_of="husband",
    )
    members = in_town(koseki_of, view.koseki_id).members
    assert [(m.position, m.name, m.removed_reason) for m in members] == [
        (1, "山田\u3000太郎", ""),
        (2, "山田\u3000花子", Event.DIVORCE),
        (3, "山田\u3000一郎", ""),
        (4, "山田\u3000葵", ""),
    ]


def test_divorce_back_to_the_former_koseki_or_a_new_one(couple):
    view, ids = couple
    # A daughter of this 戸籍 marries a man from elsewhere who takes his own 氏: she leaves.
    daughter = born(
        ids["花子"],
        "結菜",
        "ユイナ",
        "2000-01-01",
        sex="female",
        father_id=ids["太郎"],
        filed_on="2025-06-01",
    )
    married = file(
        kind="marriage",
        filed_on="2026-01-10",
        husband=elsewhere("高橋", "翔", "タカハシ", "ショウ", "1999-09-09", "male"),
        wife={"person_id": daughter.person_id},
        surname_of="husband",
        new_honseki="福島県会津若松市栄町2番",
    )
    (theirs,) = [k for k in married.koseki_ids if k != view.koseki_id]
    back = file(
        kind="divorce",
        filed_on="2026-08-01",
        husband_id=in_town(koseki_of, theirs).members[0].person_id,
        wife_id=daughter.person_id,
    )
    assert back.outcome == Outcome.ACCEPTED
    returned = [m for m in in_town(koseki_of, view.koseki_id).members if m.person_id == daughter.person_id]
    assert [(m.name, m.removed_reason) for m in returned] == [
        ("山田\u3000結菜", Event.MARRIAGE),  # her first row stays, marked
        ("山田\u3000結菜", ""),  # written again at the end (復籍)
    ]
    assert returned[1].position == max(m.position for m in in_town(koseki_of, view.koseki_id).members)


def test_divorce_to_a_new_koseki_with_the_married_surname(couple):
    view, ids = couple
    filed = file(
        kind="divorce",
        filed_on="2026-06-01",
        husband_id=ids["太郎"],
        wife_id=ids["花子"],
        restore_former=False,
        keep_surname=True,
        new_honseki="福島県会津若松市城東町5番",
    )
    new = in_town(koseki_of, next(k for k in filed.koseki_ids if k != view.koseki_id))
    assert new.hittosha == "山田\u3000花子" and new.surname_kana == "ヤマダ"
    assert [e.event for e in new.members[0].entries] == [Event.DIVORCE]
    # She came from elsewhere: without a former 戸籍 here, a new one is required.
    again = file(kind="divorce", filed_on="2026-06-01", husband_id=ids["太郎"], wife_id=ids["花子"])
    assert again.outcome == Outcome.REFUSED and again.reasons[0][0] == "wife_id"  # no longer his wife


def test_divorce_to_a_new_koseki_carries_the_reading_of_her_surname(couple):
    """A 氏 keeps its reading: 花子 (of another town's 戸籍) returns to 佐藤 in a new 戸籍 here, read as
    the 婚姻届 gave it (サトウ), so her new 戸籍 and the event carry her 氏名の振り仮名."""
    view, ids = couple
    filed = divorce_apart(ids)
    new = in_town(koseki_of, next(k for k in filed.koseki_ids if k != view.koseki_id))
    assert (new.hittosha, new.surname_kana) == ("佐藤\u3000花子", "サトウ")
    _subject, data = accepted_events()[-1]
    assert {p["name"]: p["name_kana"] for p in data["persons"]}["佐藤\u3000花子"] == "サトウ\u3000ハナコ"


def test_divorce_out_of_a_recorded_koseki_keeps_the_reading_of_the_same_surname(aizu, system_actor):
    """A 戸籍 recorded at 移行 has no 婚姻 entry to give her former 氏: she stays 髙橋 in her new
    戸籍, and the same 氏 keeps its reading (タカハシ)."""
    from yakuba.koseki.services import record_existing

    (koseki_id,) = in_town(
        record_existing,
        [
            {
                "honseki": HONSEKI, "surname": "髙橋", "surname_kana": "タカハシ", "formed_on": "2000-04-01",
                "members": [
                    member("太郎", "1975-05-05", "head", "長男", entered_on="2000-04-01"),
                    member("和子", "1976-02-02", "spouse", "二女", "female", entered_on="2000-04-01"),
                ],
            }
        ],
    )  # fmt: skip
    ids = {m.name.split("\u3000")[1]: m.person_id for m in in_town(koseki_of, koseki_id).members}
    filed = file(
        kind="divorce", filed_on="2026-06-01", husband_id=ids["太郎"], wife_id=ids["和子"],
        restore_former=False, new_honseki="福島県会津若松市城東町5番",
    )  # fmt: skip
    new = in_town(koseki_of, next(k for k in filed.koseki_ids if k != koseki_id))
    assert (new.hittosha, new.surname_kana) == ("髙橋\u3000和子", "タカハシ")


def test_death_keeps_the_head_in_place_and_the_last_death_closes_the_koseki(couple):
    view, ids = couple
    filed = file(
        kind="death",
        filed_on="2026-04-08",
        person_id=ids["太郎"],
        died_on="2026-03-20",
        known_on="2026-04-01",
    )
    assert filed.deadline == date(2026, 4, 7) and filed.late  # 7 days from knowing, day 8 is late
    after = in_town(koseki_of, view.koseki_id)
    assert after.hittosha == "山田\u3000太郎" and after.members[0].role == Role.HEAD
    assert after.members[0].removed_on == date(2026, 3, 20) and not after.closed
    file(kind="death", filed_on="2026-05-01", person_id=ids["花子"], died_on="2026-05-01")
    closed = in_town(koseki_of, view.koseki_id)
    assert closed.closed and closed.closed_on == date(2026, 5, 1) and closed.entries[-1].event == Event.CLOSED
    with pytest.raises(Invalid):  # nobody to file for any more
        file(kind="death", filed_on="2026-05-02", person_id=ids["花子"], died_on="2026-05-01")


def test_transfer_within_the_town_and_out_of_it(couple):
    view, ids = couple
    both = [ids["太郎"], ids["花子"]]
    alone = file(
        kind="transfer",
        filed_on="2026-02-01",
        koseki_id=view.koseki_id,
        new_honseki="福島県会津若松市追手町1番",
        to_lg_code=AIZU,
        filer_ids=[ids["太郎"]],
    )
    assert alone.outcome == Outcome.REFUSED and alone.reasons[0][1].endswith(
        "届出人に加えてください: 山田\u3000花子"
    )
    file(
        kind="transfer",
        filed_on="2026-02-01",
        koseki_id=view.koseki_id,
        new_honseki="福島県会津若松市追手町1番",
        to_lg_code=AIZU,
        filer_ids=both,
    )
    moved = in_town(koseki_of, view.koseki_id)
    assert moved.honseki == "福島県会津若松市追手町1番" and not moved.closed
    assert in_town(koseki_ids, "福島県会津若松市追手町1番") == [(view.koseki_id, "山田\u3000太郎", False)]
    # The same 戸籍, neither made nor closed: the event names both 本籍 for the 附票 (``moved``).
    _subject, within = accepted_events()[-1]
    assert (within["formed"], within["closed"]) == ([], [])
    assert within["moved"] == {"from": HONSEKI, "to": "福島県会津若松市追手町1番"}
    out = file(
        kind="transfer",
        filed_on="2026-03-01",
        koseki_id=view.koseki_id,
        new_honseki="東京都千代田区千代田1番",
        to_lg_code="131016",
        filer_ids=both,
    )
    gone = in_town(koseki_of, view.koseki_id)
    assert gone.closed and gone.honseki == "福島県会津若松市追手町1番"  # the 除籍 keeps its last 本籍
    _subject, data = accepted_events()[-1]
    assert data["kind"] == "transfer" and {p["honseki"] for p in data["persons"]} == {
        "東京都千代田区千代田1番"
    }
    # The 附票 app closes the 附票 of the 戸籍 named under "closed" (its last 本籍 here).
    assert data["closed"] == [
        {
            "koseki_id": view.koseki_id,
            "honseki": "福島県会津若松市追手町1番",
            "hittosha": "山田　太郎",
            "reason": "transfer",
            "to": "東京都千代田区千代田1番",
            "to_lg_code": "131016",
        }
    ]
    assert data["formed"] == [] and "moved" not in data
    assert out.koseki_ids == [view.koseki_id]


def divorce_apart(ids):
    """花子 divorces 太郎 into a new 戸籍 of her own, under her former 氏 (佐藤)."""
    return file(
        kind="divorce",
        filed_on="2026-06-01",
        husband_id=ids["太郎"],
        wife_id=ids["花子"],
        restore_former=False,
        new_honseki="福島県会津若松市城東町5番",
    )


def test_entry_needs_the_court_and_follows_the_three_generation_rule(couple):
    view, ids = couple
    son = born(ids["花子"], "一郎", "イチロウ", "2026-04-01", father_id=ids["太郎"])
    divorce_apart(ids)
    refused = file(kind="entry", filed_on="2026-07-01", person_id=son.person_id, parent_id=ids["花子"])
    assert refused.outcome == Outcome.REFUSED and refused.reasons[0][0] == "permission"
    with tenant_context(AIZU):  # the refusal's audit row names both persons of the 届書
        last = AuditEntry.objects.filter(resource="koseki", action="create").order_by("-id").first()
        assert set(last.subject_ids) == {son.person_id, ids["花子"]}
    with tenant_context(AIZU):
        assert (
            Notification.objects.get(notification_no=refused.notification_no)
            .reasons[0][1]
            .startswith("子の氏の変更")
        )
    entered = file(
        kind="entry", filed_on="2026-07-02", person_id=son.person_id, parent_id=ids["花子"], permission=True
    )
    mothers = in_town(koseki_of, next(k for k in entered.koseki_ids if k != view.koseki_id))
    assert [(m.role, m.name) for m in mothers.members] == [
        (Role.HEAD, "佐藤\u3000花子"),
        (Role.CHILD, "佐藤\u3000一郎"),
    ]
    # 佐藤 read as her 婚姻届 gave it (the 離婚's new 戸籍), the same for her son who enters it
    assert [m.name_kana for m in mothers.members] == ["サトウ\u3000ハナコ", "サトウ\u3000イチロウ"]


def test_refusals_are_kept_and_nothing_changes(couple):
    view, ids = couple
    young = file(
        kind="marriage",
        filed_on="2026-06-01",
        husband={"person_id": ids["太郎"]},
        wife=elsewhere("伊藤", "芽依", "イトウ", "メイ", "2008-06-02", "female"),  # 18 on 2026-06-01
        surname_of="husband",
    )
    assert young.outcome == Outcome.REFUSED
    assert ("husband", "現に婚姻をしています（重婚の禁止、民法732条）") in young.reasons
    assert not any(f == "wife" for f, _m in young.reasons)  # 18 reached the day before the birthday
    too_young = in_town(
        check_notification,
        {
            "kind": "marriage",
            "filed_on": "2026-05-30",
            "husband": {"person_id": ids["太郎"]},
            "wife": elsewhere("伊藤", "芽依", "イトウ", "メイ", "2008-06-01", "female"),  # 18 on 2026-05-31
            "surname_of": "husband",
        },
    )
    assert ("wife", "婚姻は18歳にならなければできません（民法731条）") in too_young
    with tenant_context(AIZU):
        assert Member.objects.count() == 2 and Koseki.objects.count() == 1
        assert Notification.objects.filter(outcome="refused").count() == 1  # check_ wrote nothing
    assert len(accepted_events()) == 1


def test_bad_input_names_the_field_in_japanese(couple):
    _view, ids = couple
    errors = check_notification(
        {"kind": "death", "filed_on": "2026-04-01", "person_id": "12", "died_on": "x"}
    )
    assert ("person_id", "形式が正しくありません") in errors and (
        "died_on",
        "日付は YYYY-MM-DD で指定してください",
    ) in errors
    assert in_town(
        check_notification,
        {"kind": "death", "filed_on": "2026-04-01", "person_id": "9999999999", "died_on": "2026-04-01"},
    ) == [("person_id", "個人ID 9999999999 の方は、この市町村の戸籍に在籍していません")]
    assert in_town(check_notification, {"kind": "naturalisation"})[0][0] == "kind"
    born_later = yamada_marriage(read=True) | {"filed_on": "2025-04-01"}
    born_later["wife"]["person"]["birth_date"] = "9999-12-31"
    assert in_town(check_notification, born_later) == [("wife.person.birth_date", "届出日より後の日付です")]
    transfer = in_town(check_notification, {"kind": "transfer", "filed_on": "2026-01-01"})
    assert [f for f, _m in transfer] == ["new_honseki", "to_lg_code"]
    base = {"kind": "transfer", "filed_on": "2026-01-01", "new_honseki": HONSEKI, "to_lg_code": AIZU}
    assert [f for f, _m in in_town(check_notification, base)] == [
        "koseki_id",
        "from_honseki",
        "surname",
        "members",
    ]
    assert in_town(check_notification, base | {"koseki_id": "0000000001"}) == [
        ("filer_ids", "届出人を入力してください")
    ]


def test_rare_characters_are_kept_as_stored(couple):
    view, ids = couple
    names = ["𠮷", "髙", "﨑", "葛\U000e0100", "\ufa19"]
    for i, name in enumerate(names):
        born(
            ids["花子"],
            name,
            "ヨシ",
            f"2026-0{i + 1}-01",
            filed_on=f"2026-0{i + 1}-01",
            father_id=ids["太郎"],
            reading_checked=True,
            proof_of_use=True,
        )
    stored = [m.name.split("\u3000")[1] for m in in_town(koseki_of, view.koseki_id).members[2:]]
    assert stored == names  # code point for code point: no NFC, the selector kept


def test_a_koseki_reads_in_a_fixed_number_of_queries(couple):
    view, ids = couple
    for month in range(1, 7):
        born(ids["花子"], "一郎", "イチロウ", f"2026-0{month}-01", father_id=ids["太郎"])
    with tenant_context(AIZU), CaptureQueriesContext(connections["default"]) as captured:
        read = koseki_of(view.koseki_id)
    assert len(read.members) == 8
    assert len([q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]) <= 3


def test_a_persons_entries_across_koseki(couple):
    view, ids = couple
    divorce_apart(ids)
    found = in_town(entries_of, ids["花子"])
    assert [(p.entry.event, p.koseki_id == view.koseki_id) for p in found] == [
        (Event.MARRIAGE, True),
        (Event.LEFT, True),  # her row in his 戸籍 stays, marked
        (Event.DIVORCE, False),  # the 離婚 in her new 戸籍
    ]
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(
            action="read", resource="koseki", subject_ids__contains=[ids["花子"]]
        ).exists()
        assert Entry.objects.filter(member__person_id=ids["花子"]).count() == 3


def _queries_to(fn, *args) -> int:
    with tenant_context(AIZU), CaptureQueriesContext(connections["default"]) as captured:
        fn(*args)
    return len(captured.captured_queries)


def test_filing_costs_the_same_whatever_the_size_of_the_koseki(couple):
    """No query per member: a 転籍 and a 氏の振り仮名 of a 戸籍 of 4 and of 10 cost the same."""
    view, ids = couple

    def both(honseki, reading):
        body = {"kind": "transfer", "filed_on": "2026-08-01", "koseki_id": view.koseki_id, "to_lg_code": AIZU}
        body["filer_ids"] = [ids["太郎"], ids["花子"]]
        surname = {"kind": "furigana", "filed_on": "2026-08-01", "part": "surname", "person_id": ids["太郎"]}
        return (
            _queries_to(file_notification, {**body, "new_honseki": honseki}),
            _queries_to(
                file_notification,
                {**surname, "filer_id": ids["太郎"], "reading": reading, "court_permission": True},
            ),
        )

    for month in (1, 2):
        born(ids["花子"], "一郎", "イチロウ", f"2026-0{month}-01", father_id=ids["太郎"])
    small = both("福島県会津若松市追手町1番", "ヤマダ")
    for month in range(3, 9):
        born(ids["花子"], "一郎", "イチロウ", f"2026-0{month}-01", father_id=ids["太郎"])
    assert both("福島県会津若松市栄町2番", "ヤマタ") == small


def test_the_rank_counts_children_who_left_once(couple):
    """A 長男 who married away has two rows; the next son is still 二男 (distinct persons)."""
    view, ids = couple
    son_marries_away(ids)
    born(ids["花子"], "次郎", "ジロウ", "2026-07-01", father_id=ids["太郎"])
    assert people(view.koseki_id)["次郎"].relationship == "二男"
