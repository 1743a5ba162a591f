"""分籍, 氏の変更, 名の変更 and 転籍 into this town against real PostgreSQL (docs/koseki.md "届書"):
the resulting 戸籍 (a new 戸籍 for the 分籍者, the whole 戸籍 under its new 氏, the 筆頭者氏名
following a 名の変更, a 戸籍 moved here in its order), the refusals (戸籍法21・107・107条の2・108条)
and what the events tell the registry and the 附票."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.koseki.conftest import NEW, SUZUKI, file, in_town
from tests.koseki.test_notifications import accepted_events
from yakuba.koseki import events
from yakuba.koseki.codes import Event, Outcome, Role
from yakuba.koseki.rules import kinship
from yakuba.koseki.services import Invalid, file_notification, koseki_ids, koseki_of
from yakuba.platform.linkage.models import Event as LinkageEvent
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def refused_at(data: dict) -> list[str]:
    with pytest.raises(Invalid) as invalid:
        in_town(file_notification, data)
    return [f for f, _m in invalid.value.errors]


def test_division_makes_a_koseki_of_ones_own(suzuki):
    koseki_id, ids, _ = suzuki
    head = file(kind="division", filed_on="2026-06-01", person_id=ids["一郎"], new_honseki=NEW)
    assert head.outcome == Outcome.REFUSED and head.reasons == [("person_id", kinship.HEAD_OR_SPOUSE)]
    done = file(kind="division", filed_on="2026-06-01", person_id=ids["次郎"], new_honseki=NEW)
    own = in_town(koseki_of, next(k for k in done.koseki_ids if k != koseki_id))
    assert (own.honseki, own.hittosha, own.surname, own.surname_kana) == (
        NEW,
        "鈴木\u3000次郎",
        "鈴木",
        "スズキ",
    )
    assert [(m.role, m.name, m.name_kana) for m in own.members] == [
        (Role.HEAD, "鈴木\u3000次郎", "スズキ\u3000ジロウ")
    ]
    assert own.members[0].entries[-1].detail["from_koseki"] == f"{SUZUKI}\u3000鈴木\u3000一郎"
    left = in_town(koseki_of, koseki_id).members[2]
    assert (left.removed_reason, [e.event for e in left.entries]) == (
        Event.DIVISION,
        [Event.DIVISION, Event.LEFT],
    )
    _subject, data = accepted_events()[-1]
    assert data["formed"][0]["koseki_id"] == own.koseki_id and data["formed"][0]["reason"] == "division"
    # To another town: 除籍 here, that town makes the 戸籍 (戸籍法101条).
    out = file(kind="division", filed_on="2026-06-02", person_id=ids["花"], new_honseki="東京都千代田区千代田2番",
               to_lg_code="131016")  # fmt: skip
    assert out.koseki_ids == [koseki_id]
    _subject, data = accepted_events()[-1]
    assert data["to"] == {
        "honseki": "東京都千代田区千代田2番",
        "hittosha": "鈴木\u3000花",
        "lg_code": "131016",
    }
    assert [p["removed"] for p in data["persons"]] == [True]


def test_surname_change_renames_the_whole_koseki(suzuki):
    koseki_id, ids, _ = suzuki
    base = {"kind": "surname", "filed_on": "2026-06-01", "koseki_id": koseki_id, "surname": "鈴樹",
            "filer_ids": [ids["一郎"], ids["和子"]], "court_permission": True, "reading_checked": True}  # fmt: skip
    assert refused_at(base) == ["surname_kana"]  # from 2025-05-26 the new 氏 comes with its reading
    alone = file(**base | {"surname_kana": "スズキ", "filer_ids": [ids["一郎"]], "court_permission": False})
    assert [f for f, _m in alone.reasons] == ["filer_ids", "court_permission"]  # 107条1項
    file(kind="division", filed_on="2026-06-01", person_id=ids["花"], new_honseki=NEW)
    done = file(**base | {"surname_kana": "スズキ"})
    assert done.outcome == Outcome.ACCEPTED
    view = in_town(koseki_of, koseki_id)
    assert (view.surname, view.hittosha) == ("鈴樹", "鈴樹\u3000一郎")
    assert view.members[3].name == "鈴木\u3000花"  # she left by 分籍 before: the 氏 of her day
    assert [m.name for m in view.members if m.removed_on is None] == [
        "鈴樹\u3000一郎",
        "鈴樹\u3000和子",
        "鈴樹\u3000次郎",
    ]
    assert view.entries[-1].event == Event.SURNAME_CHANGE and view.entries[-1].detail["old"] == "鈴木"
    _subject, data = accepted_events()[-1]
    assert {p["name"] for p in data["persons"]} == {"鈴樹\u3000一郎", "鈴樹\u3000和子", "鈴樹\u3000次郎"}
    assert {p["hittosha"] for p in data["persons"]} == {"鈴樹\u3000一郎"}
    with tenant_context(AIZU):  # the registry copies the reading of each member still in it
        readings = LinkageEvent.objects.filter(type=events.FURIGANA).values_list("subject", flat=True)
        assert set(readings) == {ids["一郎"], ids["和子"], ids["次郎"]}
    unreadable = file(**base | {"surname": "鈴木", "surname_kana": "マイケル"})
    assert unreadable.outcome == Outcome.REFUSED and unreadable.reasons[0][0] == "surname_kana"


def test_given_name_change_and_the_hittosha(suzuki):
    koseki_id, ids, _ = suzuki
    base = {"kind": "given_name", "filed_on": "2026-06-01", "person_id": ids["一郎"], "given_name": "市郎",
            "given_name_kana": "イチロウ", "reading_checked": True}  # fmt: skip
    refused = file(**base)
    assert refused.reasons == [
        ("court_permission", "名の変更には家庭裁判所の許可が必要です（戸籍法107条の2）")
    ]
    assert refused_at(base | {"given_name": "一郎"}) == ["given_name"]
    file(**base | {"court_permission": True})
    view = in_town(koseki_of, koseki_id)
    assert (view.hittosha, view.members[0].name, view.members[0].name_kana) == (
        "鈴木\u3000市郎",
        "鈴木\u3000市郎",
        "スズキ\u3000イチロウ",
    )
    change = view.members[0].entries[-1]
    assert (change.event, change.detail["old"], change.detail["new"]) == (
        Event.GIVEN_NAME_CHANGE,
        "一郎",
        "市郎",
    )
    guardian = file(**base | {"person_id": ids["次郎"], "given_name": "治郎", "given_name_kana": "ジロウ",
                              "court_permission": True, "filer": "guardian"})  # fmt: skip
    assert [f for f, _m in guardian.reasons] == ["filer"]  # he is 46: he files himself


def incoming(**extra):
    """The 転籍届 of the 田中 戸籍 from 東京都千代田区: the 筆頭者, his wife and two children."""
    member = {"sex": "male", "entered_on": "2010-04-01"}
    return {
        "kind": "transfer",
        "filed_on": "2026-06-01",
        "new_honseki": "福島県会津若松市中町4番",
        "to_lg_code": AIZU,
        "from_honseki": "東京都千代田区千代田3番",
        "surname": "田中",
        "surname_kana": "タナカ",
        "members": [
            member | {"role": "child", "given_name": "二郎", "birth_date": "2015-01-01", "relationship": "二男"},
            member | {"role": "spouse", "given_name": "良子", "birth_date": "1982-02-02", "sex": "female",
                      "relationship": "長女", "filer": True},
            member | {"role": "child", "given_name": "一郎", "birth_date": "2012-01-01", "relationship": "長男",
                      "given_name_kana": "イチロウ", "atena_no": "000000000000303"},
            member | {"role": "head", "given_name": "太一", "birth_date": "1980-01-01", "relationship": "長男",
                      "filer": True},
        ],
        **extra,
    }  # fmt: skip


def test_transfer_into_this_town_makes_the_koseki_here(aizu, system_actor):
    unsigned = incoming()
    unsigned["members"][1]["filer"] = False
    refused = file(**unsigned)
    assert refused.outcome == Outcome.REFUSED and refused.reasons[0][1].endswith("田中\u3000良子")  # 108条
    assert refused_at(incoming(to_lg_code="131016")) == ["to_lg_code"]
    done = file(**incoming())
    view = in_town(koseki_of, done.koseki_ids[0])
    assert (view.honseki, view.hittosha, view.surname_kana) == (
        "福島県会津若松市中町4番",
        "田中\u3000太一",
        "タナカ",
    )
    # 14条: the 筆頭者, the 配偶者, the children by birth — whatever the 届書's order.
    assert [(m.position, m.role, m.name) for m in view.members] == [
        (1, Role.HEAD, "田中\u3000太一"),
        (2, Role.SPOUSE, "田中\u3000良子"),
        (3, Role.CHILD, "田中\u3000一郎"),
        (4, Role.CHILD, "田中\u3000二郎"),
    ]
    assert {m.from_koseki for m in view.members} == {"東京都千代田区千代田3番\u3000田中\u3000太一"}
    assert (
        view.members[2].entered_on.isoformat() == "2010-04-01"
        and view.members[2].name_kana == "タナカ\u3000イチロウ"
    )
    assert [e.event for e in view.entries] == [Event.FORMED, Event.TRANSFER]
    assert in_town(koseki_ids, "福島県会津若松市中町4番") == [(view.koseki_id, "田中\u3000太一", False)]
    _subject, data = accepted_events()[-1]
    # The 附票 app opens the 附票 of the 戸籍 under "formed", the registry reads the new 本籍.
    assert data["formed"] == [
        {
            "koseki_id": view.koseki_id,
            "honseki": "福島県会津若松市中町4番",
            "hittosha": "田中\u3000太一",
            "reason": "transfer",
            "from": "東京都千代田区千代田3番\u3000田中\u3000太一",
        }
    ]
    assert {p["atena_no"] for p in data["persons"]} == {"", "000000000000303"}
    # 管外転籍 back out: this 戸籍 is closed and kept (a 除籍), readable as before.
    heads = [view.members[0].person_id, view.members[1].person_id]
    file(kind="transfer", filed_on="2026-07-01", koseki_id=view.koseki_id, new_honseki="東京都千代田区千代田3番",
         to_lg_code="131016", filer_ids=heads)  # fmt: skip
    closed = in_town(koseki_of, view.koseki_id)
    assert closed.closed and len(closed.members) == 4 and closed.entries[-1].event == Event.CLOSED


def test_transfer_in_when_the_head_has_died(aizu, system_actor):
    data = incoming()
    data["members"] = [m for m in data["members"] if m["role"] != "head"]
    assert refused_at(data) == ["hittosha"]
    done = file(**data | {"hittosha": "田中\u3000太一"})
    view = in_town(koseki_of, done.koseki_ids[0])
    assert view.hittosha == "田中\u3000太一" and [m.role for m in view.members] == [
        Role.SPOUSE,
        Role.CHILD,
        Role.CHILD,
    ]


def test_whole_koseki_changes_cost_the_same_whatever_its_size(aizu, system_actor):
    """No query per member: a 転籍 into this town of a 戸籍 of 3 and of 8, and their 氏の変更."""
    from tests.koseki.test_notifications import _queries_to

    def both(children: int, honseki: str) -> tuple[int, int]:
        data = incoming(new_honseki=honseki)
        kids = [
            dict(data["members"][0], given_name=f"子{i}", birth_date=f"20{10 + i}-01-01")
            for i in range(children)
        ]
        data["members"] = [m for m in data["members"] if m["role"] != "child"] + kids
        moved = _queries_to(file_notification, data)
        koseki_id = in_town(koseki_ids, honseki)[0][0]
        heads = [m.person_id for m in in_town(koseki_of, koseki_id).members[:2]]
        change = {"kind": "surname", "filed_on": "2026-06-02", "koseki_id": koseki_id, "surname": "田仲",
                  "surname_kana": "タナカ", "filer_ids": heads, "court_permission": True, "reading_checked": True}  # fmt: skip
        return moved, _queries_to(file_notification, change)

    assert both(1, "福島県会津若松市中町5番") == both(6, "福島県会津若松市中町6番")
