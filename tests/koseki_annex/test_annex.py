"""Reading a 附票 (registry-facts §17.2–17.3): the clerk sees every item the rows carry; a copy leaves out
the 戸籍の表示, the 住民票コード and the 在外選挙人 entry unless asked; a person under 支援措置 is
left out unless the caller may see them; the 在外選挙人名簿 writes its note through the door."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU
from tests.koseki_annex.conftest import HITTOSHA, HONSEKI, notice_file, notice_line
from yakuba.koseki_annex.services import (
    Item,
    NotOnAnnex,
    annex_of,
    annex_of_person,
    follow,
    note_overseas_elector,
    take_in,
)
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


def _in_town(fn, *args, **kwargs):
    with tenant_context(AIZU):
        return fn(*args, **kwargs)


def test_the_clerk_sees_every_item_and_a_copy_only_the_default_ones(registry, family, system_actor):
    follow(AIZU)
    taro_code = family["会津 太郎"][1]
    full = _in_town(annex_of, HONSEKI, "会津 太郎", purpose="附票照会")
    assert (full.honseki, full.hittosha, full.full_names) == (HONSEKI, HITTOSHA, False)
    taro = full.persons[0]
    assert (taro.name, taro.birth_date, taro.sex, taro.juminhyo_code) == (
        "会津 太郎",
        date(1980, 5, 5),
        1,
        taro_code,
    )
    copy = _in_town(annex_of, HONSEKI, "会津 太郎", requested=[], purpose="附票の写し")
    assert (copy.honseki, copy.hittosha, copy.full_names) == (None, None, True)
    assert [(p.name, p.juminhyo_code, p.birth_date) for p in copy.persons] == [
        ("会津 太郎", None, date(1980, 5, 5)),
        ("会津 花子", None, date(1982, 7, 7)),
    ]
    asked = _in_town(
        annex_of, HONSEKI, "会津 太郎", requested=[Item.DOMICILE, Item.JUMINHYO_CODE], purpose="附票の写し"
    )
    assert asked.honseki == HONSEKI and asked.persons[0].juminhyo_code == taro_code


@pytest.mark.django_db  # no feed read: the test's own transaction is enough
def test_a_person_under_a_protection_measure_is_left_out_unless_the_caller_may_see_them(aizu, system_actor):
    _in_town(take_in, notice_file(notice_line(**{"支援措置": "1"})), file_name="n.csv")
    assert _in_town(annex_of, HONSEKI, "会津 太郎", purpose="附票照会").persons == ()
    shown = _in_town(annex_of, HONSEKI, "会津 太郎", protected=True, purpose="附票照会")
    assert [(p.name, p.protected) for p in shown.persons] == [("会津 花子", True)]


@pytest.mark.django_db  # no feed read: the test's own transaction is enough
def test_the_overseas_elector_note_is_on_the_persons_annex_and_shown_on_request(aizu, system_actor):
    code = notice_line()[4]
    _in_town(take_in, notice_file(notice_line()), file_name="n.csv")
    line = _in_town(note_overseas_elector, code, "registered", date(2026, 11, 10), "東京都千代田区")
    assert (line.change, line.on, line.municipality) == ("registered", date(2026, 11, 10), "東京都千代田区")
    assert _in_town(annex_of_person, code, requested=[], purpose="附票の写し").persons[0].elector == ()
    asked = _in_town(annex_of_person, code, requested=[Item.OVERSEAS_ELECTOR], purpose="附票の写し")
    assert asked.persons[0].elector == (line,)


@pytest.mark.django_db  # no feed read: the test's own transaction is enough
def test_no_annex_is_one_line_for_the_user(aizu, system_actor):
    with pytest.raises(NotOnAnnex, match="本籍「福島県会津若松市栄町1番」筆頭者「誰 か」の附票はありません"):
        _in_town(annex_of, "福島県会津若松市栄町1番", "誰 か", purpose="附票照会")
    with pytest.raises(NotOnAnnex, match="住民票コード 00000000019 の人はこの団体の附票にありません"):
        _in_town(note_overseas_elector, "00000000019", "registered", date(2026, 11, 10), "東京都千代田区")
    with pytest.raises(ValueError, match="記載の内容は"):
        _in_town(note_overseas_elector, "00000000019", "moved", date(2026, 11, 10), "東京都千代田区")
