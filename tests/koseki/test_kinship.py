"""養子縁組, 養子離縁 and 認知 against real PostgreSQL (docs/koseki.md "届書"): which 戸籍 the 養子
enters (戸籍法17・18・20条, 民法810条), where a 離縁 sends them back (19条, 民法816条), the 養父母 and
続柄 written (13条), the refusals of 民法792〜798・779・782条 kept with their field, the events."""

from __future__ import annotations

import pytest

from tests.koseki.conftest import NEW, born, elsewhere, file, in_town
from tests.koseki.test_notifications import accepted_events
from yakuba.koseki.codes import Event, Outcome, Role
from yakuba.koseki.rules import kinship
from yakuba.koseki.services import Invalid, entries_of, file_notification, koseki_of

pytestmark = pytest.mark.django_db


def grandchild(ids):
    """花 (a child of her parents' 戸籍) has a son out of wedlock: a new 戸籍 for her (17条)."""
    son = born(ids["花"], "翔", "ショウ", "2026-05-01", legitimate=False, new_honseki=NEW)
    return son.person_id, next(k for k in son.koseki_ids if k)


def adopt(adoptee_id, *adopter_ids, **extra):
    return file(
        kind="adoption", filed_on="2026-06-01", adoptee_id=adoptee_id, adopter_ids=list(adopter_ids), **extra
    )


def test_grandparents_adopt_a_grandchild_without_the_court_and_a_dissolution_sends_him_back(suzuki):
    koseki_id, ids, _ = suzuki
    child_id, mothers = grandchild(ids)
    no_proxy = adopt(child_id, ids["一郎"], ids["和子"])
    assert no_proxy.outcome == Outcome.REFUSED and [f for f, _ in no_proxy.reasons] == ["proxy"]  # 797条
    # 798条ただし書: a 直系卑属 needs no 家庭裁判所 permission.
    done = adopt(child_id, ids["一郎"], ids["和子"], proxy="鈴木\u3000花")
    assert done.outcome == Outcome.ACCEPTED
    family = in_town(koseki_of, koseki_id)
    last = family.members[-1]
    assert (last.person_id, last.role, last.name, last.relationship) == (
        child_id,
        Role.CHILD,
        "鈴木\u3000翔",
        "長男",
    )
    assert (last.adoptive_father, last.adoptive_mother, last.adoptive_relationship) == (
        "鈴木\u3000一郎",
        "鈴木\u3000和子",
        "養子",
    )
    adoption = last.entries[-1]
    assert adoption.event == Event.ADOPTION and adoption.detail["from_koseki"] == f"{NEW}\u3000鈴木\u3000花"
    assert [e.event for e in family.members[0].entries] == [Event.ADOPTION]  # the 養父's 身分事項
    assert in_town(koseki_of, mothers).members[1].removed_reason == Event.ADOPTION
    _subject, data = accepted_events()[-1]
    assert data["kind"] == "adoption" and {p["person_id"] for p in data["persons"]} == {
        child_id,
        ids["一郎"],
        ids["和子"],
    }
    # 離縁 with one of the two 養親: the other remains, he keeps the 氏 and the 戸籍 (816条1項ただし書).
    one = file(
        kind="dissolve",
        filed_on="2026-07-01",
        adoptee_id=child_id,
        adopter_ids=[ids["和子"]],
        proxy="鈴木\u3000花",
    )
    assert one.outcome == Outcome.ACCEPTED
    stayed = in_town(koseki_of, koseki_id).members[-1]
    assert (
        stayed.removed_on,
        stayed.adoptive_father,
        stayed.adoptive_mother,
        stayed.adoptive_relationship,
    ) == (
        None,
        "鈴木\u3000一郎",
        "",
        "養子",
    )
    twice = {
        "kind": "dissolve",
        "filed_on": "2026-07-02",
        "adoptee_id": child_id,
        "adopter_ids": [ids["和子"]],
    }
    with pytest.raises(Invalid) as invalid:
        in_town(file_notification, twice)
    assert invalid.value.errors[0][0] == "adopter_ids"
    keep = file(
        **twice
        | {"adopter_ids": [ids["一郎"]], "keep_surname": True, "proxy": "鈴木\u3000花", "new_honseki": NEW}
    )
    assert keep.outcome == Outcome.REFUSED and keep.reasons == [("keep_surname", kinship.NOT_SEVEN_YEARS)]
    back = file(**twice | {"adopter_ids": [ids["一郎"]], "proxy": "鈴木\u3000花"})
    assert back.outcome == Outcome.ACCEPTED
    home = in_town(koseki_of, mothers)
    assert [(m.name, m.removed_on is None) for m in home.members] == [
        ("鈴木\u3000花", True),
        ("鈴木\u3000翔", False),  # the row he left for the 縁組, kept in its place
        ("鈴木\u3000翔", True),  # 19条1項本文: back at the end of the 戸籍 before the 縁組
    ]
    assert (home.members[2].adoptive_father, home.members[2].adoptive_relationship) == ("", "")
    events = [e.entry.event for e in in_town(entries_of, child_id)]
    assert events.count(Event.DISSOLUTION) == 2 and events.count(Event.ADOPTION) == 1


def test_an_unmarried_adult_child_adopting_gets_a_new_koseki_first(suzuki):
    koseki_id, ids, yamada = suzuki
    son = born(ids["花子"], "一郎", "イチロウ", "2026-04-01", father_id=ids["太郎"])
    refused = adopt(son.person_id, ids["次郎"], proxy="山田\u3000太郎", new_honseki=NEW)
    assert refused.outcome == Outcome.REFUSED and [f for f, _ in refused.reasons] == [
        "court_permission"
    ]  # 798条
    with pytest.raises(Invalid) as invalid:  # 17条: a new 戸籍 for 次郎 needs its 本籍
        in_town(file_notification, {"kind": "adoption", "filed_on": "2026-06-01", "adoptee_id": son.person_id,
                                    "adopter_ids": [ids["次郎"]], "proxy": "山田\u3000太郎", "court_permission": True})  # fmt: skip
    assert invalid.value.errors[0][0] == "new_honseki"
    done = adopt(son.person_id, ids["次郎"], proxy="山田\u3000太郎", court_permission=True, new_honseki=NEW)
    made = in_town(koseki_of, next(k for k in done.koseki_ids if k not in (koseki_id, yamada)))
    assert made.hittosha == "鈴木\u3000次郎" and [
        (m.role, m.name, m.adoptive_relationship) for m in made.members
    ] == [
        (Role.HEAD, "鈴木\u3000次郎", ""),
        (Role.CHILD, "鈴木\u3000一郎", "養子"),  # he takes the 養親's 氏 (民法810条)
    ]
    assert made.members[1].adoptive_father == "鈴木\u3000次郎" and made.members[1].father == "山田\u3000太郎"
    _subject, data = accepted_events()[-1]
    assert [k["koseki_id"] for k in data["formed"]] == [made.koseki_id]


def test_a_married_head_moves_with_the_spouse_and_a_married_spouse_stays(suzuki):
    koseki_id, ids, yamada = suzuki
    consent = adopt(ids["太郎"], ids["一郎"], new_honseki=NEW)
    assert consent.outcome == Outcome.REFUSED and consent.reasons[0][0] == "spouse_consent"  # 796条
    done = adopt(ids["太郎"], ids["一郎"], spouse_consent=True, new_honseki=NEW)
    made = in_town(koseki_of, next(k for k in done.koseki_ids if k not in (koseki_id, yamada)))
    # 20条: the couple takes the 養親's 氏 in a new 戸籍, the 養子 its 筆頭者.
    assert made.surname == "鈴木" and [(m.role, m.name) for m in made.members] == [
        (Role.HEAD, "鈴木\u3000太郎"),
        (Role.SPOUSE, "鈴木\u3000花子"),
    ]
    assert made.members[0].adoptive_father == "鈴木\u3000一郎" and made.members[1].adoptive_father == ""
    assert in_town(koseki_of, yamada).closed
    # 810条ただし書: 花子 took her husband's 氏 at marriage and keeps it — an entry, no move.
    stays = adopt(ids["花子"], ids["次郎"], spouse_consent=True)
    assert stays.koseki_ids == sorted([made.koseki_id, koseki_id])
    wife = in_town(koseki_of, made.koseki_id).members[1]
    assert (wife.removed_on, wife.adoptive_father, wife.adoptive_relationship) == (
        None,
        "鈴木\u3000次郎",
        "養女",
    )


def test_adoption_refusals(suzuki):
    _, ids, _ = suzuki
    elder = adopt(ids["一郎"], ids["次郎"], spouse_consent=True, new_honseki=NEW)
    assert ("adoptee_id", kinship.ELDER.format(name="鈴木\u3000次郎")) in elder.reasons  # 793条
    son = born(ids["花子"], "一郎", "イチロウ", "2026-04-01", father_id=ids["太郎"])
    alone = adopt(son.person_id, ids["一郎"], proxy="山田\u3000太郎", court_permission=True)
    assert ("adopter_ids", kinship.WITH_SPOUSE) in alone.reasons  # 795条: a minor, without 和子
    with pytest.raises(Invalid) as invalid:
        adopt(son.person_id, ids["一郎"], ids["次郎"])
    assert invalid.value.errors == [
        ("adopter_ids", "養親が2人のときは、夫婦として同じ戸籍に記載されている方を指定してください")
    ]


def test_acknowledgement_writes_the_father_and_moves_nobody(suzuki):
    _, ids, _ = suzuki
    child_id, mothers = grandchild(ids)
    done = file(kind="acknowledge", filed_on="2026-06-01", child_id=child_id, father_id=ids["太郎"])
    assert done.outcome == Outcome.ACCEPTED and mothers in done.koseki_ids
    child = in_town(koseki_of, mothers).members[1]
    assert (child.removed_on, child.father, child.name) == (None, "山田\u3000太郎", "鈴木\u3000翔")
    assert (
        child.entries[-1].event == Event.ACKNOWLEDGEMENT
        and child.entries[-1].detail["father_id"] == ids["太郎"]
    )
    # The next 嫡出でない子 of the mother counts the acknowledged one: 二男 (平成16年通達: the mother's).
    brother = born(ids["花"], "陸", "リク", "2026-06-01", legitimate=False, reading_checked=True)
    assert in_town(koseki_of, mothers).members[-1].relationship == "二男" and brother.koseki_ids == [mothers]
    fathers = [e.entry for e in in_town(entries_of, ids["太郎"]) if e.entry.event == Event.ACKNOWLEDGEMENT]
    assert fathers[0].detail["child"] == "鈴木\u3000翔"
    again = file(kind="acknowledge", filed_on="2026-06-02", child_id=child_id,
                 father=elsewhere("佐藤", "健", "サトウ", "ケン", "1980-01-01", "male")["person"])  # fmt: skip
    assert again.outcome == Outcome.REFUSED and again.reasons == [("child_id", kinship.HAS_FATHER)]
    adult = file(kind="acknowledge", filed_on="2026-06-02", child_id=ids["花"],
                 father=elsewhere("佐藤", "健", "サトウ", "ケン", "1950-01-01", "male")["person"])  # fmt: skip
    assert adult.outcome == Outcome.REFUSED  # 花 has a father written (779条) and is adult (782条)
    assert {f for f, _ in adult.reasons} == {"child_id", "child_consent"}


def test_kinship_rules():
    from datetime import date

    assert kinship.adult_age(date(2022, 3, 31)) == 20 and kinship.adult_age(date(2022, 4, 1)) == 18
    # 816条2項: adopted 2019-04-01 → the seven years end with 2026-04-01; from 2026-04-02.
    assert kinship.may_keep_surname(date(2019, 4, 1), date(2026, 4, 1)) == [
        ("keep_surname", kinship.NOT_SEVEN_YEARS)
    ]
    assert kinship.may_keep_surname(date(2019, 4, 1), date(2026, 4, 2)) == []
    # 792条: 20 on the day before the 20th birthday (年齢計算ニ関スル法律).
    adoptee = kinship.Adoptee("乙", date(2007, 1, 1), "2", frozenset(), frozenset(), False)

    def refusals(born):
        adopter = kinship.Adopter("甲", born, "1", "", frozenset())
        return kinship.adoption(
            [adopter], adoptee, date(2026, 6, 1), court_permission=True, spouse_consent=False, proxy=""
        )

    assert refusals(date(2006, 6, 3)) == [("adopter_ids", kinship.TOO_YOUNG_ADOPTER.format(name="甲"))]
    assert refusals(date(2006, 6, 2)) == []  # 20 on 2026-06-01
    assert kinship.division(False, date(2008, 4, 2), date(2026, 4, 1)) == []  # 18 on 4月1日
    assert kinship.division(False, date(2008, 4, 3), date(2026, 4, 1)) == [("person_id", kinship.NOT_ADULT)]
    assert kinship.division(True, date(1980, 1, 1), date(2026, 4, 1)) == [
        ("person_id", kinship.HEAD_OR_SPOUSE)
    ]


def test_court_decisions_are_reported_within_ten_days(suzuki):
    """裁判認知 and 裁判離婚 (戸籍法63・77条): 10 days from the day the decision became final, that
    day counted, a closed last day moved to the next open one; late is still accepted, marked."""
    from datetime import date

    from yakuba.koseki.rules import deadlines

    assert deadlines.court(date(2026, 6, 1)) == date(2026, 6, 10)
    assert deadlines.court(date(2026, 4, 20)) == date(2026, 4, 30)  # 4/29 昭和の日
    _, ids, _ = suzuki
    child_id, mothers = grandchild(ids)
    court = file(kind="acknowledge", filed_on="2026-06-11", child_id=child_id, father_id=ids["太郎"],
                 court_finalised_on="2026-06-01")  # fmt: skip
    assert (court.outcome, court.deadline, court.late) == (Outcome.ACCEPTED, date(2026, 6, 10), True)
    entry = in_town(koseki_of, mothers).members[1].entries[-1]
    assert (entry.on, entry.detail["court"]) == (date(2026, 6, 1), True)
    divorced = file(kind="divorce", filed_on="2026-06-10", husband_id=ids["太郎"], wife_id=ids["花子"],
                    restore_former=False, new_honseki=NEW, court_finalised_on="2026-06-01")  # fmt: skip
    assert (divorced.deadline, divorced.late) == (date(2026, 6, 10), False)
    assert [e.entry.on for e in in_town(entries_of, ids["花子"]) if e.entry.event == Event.DIVORCE] == [
        date(2026, 6, 1)
    ]
    with pytest.raises(Invalid) as invalid:
        in_town(file_notification, {"kind": "divorce", "filed_on": "2026-06-10", "husband_id": ids["一郎"],
                                    "wife_id": ids["和子"], "court_finalised_on": "2026-06-11"})  # fmt: skip
    assert invalid.value.errors == [("court_finalised_on", "届出日より後の日付です")]


def test_a_child_of_another_towns_koseki_enters_the_adopters(couple):
    view, ids = couple
    child = elsewhere("佐藤", "健太", "サトウ", "ケンタ", "2020-05-05", "male")["person"]
    base = {"kind": "adoption", "filed_on": "2026-06-01", "adopter_ids": [ids["太郎"], ids["花子"]]}
    with pytest.raises(Invalid) as invalid:
        in_town(file_notification, base)
    assert invalid.value.errors[0][0] == "adoptee_id"
    refused = file(**base, adoptee=child)
    assert {f for f, _m in refused.reasons} == {"proxy", "court_permission"}  # 797・798条
    done = file(**base, adoptee=child, proxy="佐藤\u3000一郎", court_permission=True)
    new = in_town(koseki_of, view.koseki_id).members[-1]
    assert (new.person_id, new.name, new.role, new.father, new.adoptive_father, new.adoptive_mother) == (
        done.person_id,
        "山田\u3000健太",  # the 養親's 氏 (民法810条)
        Role.CHILD,
        "",
        "山田\u3000太郎",
        "山田\u3000花子",
    )
    assert new.from_koseki.startswith("東京都千代田区") and new.entries[-1].detail["former_surname"] == "佐藤"
    # 離縁 (民法816条): back to 佐藤 in a new 戸籍 here (none of his to return to), read as the 縁組届
    # gave it — a 氏 keeps its reading.
    ended = file(
        kind="dissolve", filed_on="2026-07-01", adoptee_id=done.person_id, adopter_ids=[ids["太郎"], ids["花子"]],
        restore_former=False, new_honseki=NEW, proxy="佐藤\u3000一郎",
    )  # fmt: skip
    assert ended.outcome == Outcome.ACCEPTED, ended.reasons
    own = in_town(koseki_of, next(k for k in ended.koseki_ids if k != view.koseki_id))
    assert (own.hittosha, own.surname_kana, own.members[0].name_kana) == (
        "佐藤\u3000健太",
        "サトウ",
        "サトウ\u3000ケンタ",
    )
