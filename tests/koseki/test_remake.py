"""改製 (docs/koseki.md "改製"): the old 戸籍 kept as the 改製原戸籍, closed and readable with every
row as it was; the new one with the same 本籍, 筆頭者, 氏 and reading, the members still in it in
their order with their 身分事項 carried (移記), in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.koseki.conftest import NEW, SUZUKI, file, in_town
from yakuba.koseki.codes import Event, Role
from yakuba.koseki.services import Invalid, entries_of, koseki_ids, koseki_of, remake
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def test_remake_keeps_the_original_and_carries_who_is_left(suzuki):
    koseki_id, ids, _ = suzuki
    file(kind="division", filed_on="2026-06-01", person_id=ids["花"], new_honseki=NEW)
    file(kind="given_name", filed_on="2026-06-02", person_id=ids["次郎"], given_name="治郎",
         given_name_kana="ジロウ", court_permission=True, reading_checked=True)  # fmt: skip
    with tenant_context(AIZU), CaptureQueriesContext(connections["default"]) as queries:
        new_id = remake(koseki_id)
    original, new = in_town(koseki_of, koseki_id), in_town(koseki_of, new_id)
    assert original.original and original.closed and len(original.members) == 4
    assert original.entries[-1].event == Event.CLOSED and original.entries[-1].detail["remade_into"] == new_id
    assert (new.honseki, new.hittosha, new.surname_kana, new.original, new.closed) == (
        SUZUKI,
        "鈴木\u3000一郎",
        "スズキ",
        False,
        False,
    )
    assert [(m.position, m.role, m.name, m.person_id) for m in new.members] == [
        (1, Role.HEAD, "鈴木\u3000一郎", ids["一郎"]),
        (2, Role.SPOUSE, "鈴木\u3000和子", ids["和子"]),
        (3, Role.CHILD, "鈴木\u3000治郎", ids["次郎"]),  # 花 left by 分籍 before: only in the original
    ]
    assert new.members[2].entered_on == original.members[2].entered_on
    assert [e.event for e in new.members[2].entries] == [Event.GIVEN_NAME_CHANGE]  # 移記
    assert [e.event for e in new.entries] == [Event.FORMED, Event.REMADE]
    assert [k for k, _h, _c in in_town(koseki_ids, SUZUKI)] == [koseki_id, new_id]
    assert Event.GIVEN_NAME_CHANGE in [e.entry.event for e in in_town(entries_of, ids["次郎"])]
    assert len(queries) <= 20  # set-based whatever the number of members
    # The 改製原戸籍 is never written again; a 届出 reaches the person in the new 戸籍.
    with pytest.raises(Invalid) as invalid:
        in_town(remake, koseki_id)
    assert invalid.value.errors[0][0] == "koseki_id"
    died = file(kind="death", filed_on="2026-07-01", person_id=ids["和子"], died_on="2026-06-30")
    assert died.koseki_ids == [new_id]
