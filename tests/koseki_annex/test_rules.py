"""The 附票's pure rules (registry-facts §17): items by the law in force on a date with their boundary
days, what a copy shows by default and on request, what a 異動 writes, the 本籍地 of a 本籍, and
the notice file read line by line."""

from __future__ import annotations

from datetime import date

import pytest

from tests.koseki_annex.conftest import CODE, code, notice_file, notice_line
from yakuba.koseki_annex.rules.domicile import is_local, koseki_key, municipality_of
from yakuba.koseki_annex.rules.entries import AddressLine, line_of
from yakuba.koseki_annex.rules.items import Item, copy_items, items_in_force, items_of_person
from yakuba.koseki_annex.rules.notice_file import COLUMNS, read_notices, write_notices
from yakuba.koseki_annex.rules.requests import Requester, check_request
from yakuba.platform.file_issues import FileRejected

AIZU = "072028"  # 会津若松市
TODAY = date(2026, 12, 6)
BASE = {Item.DOMICILE, Item.NAME, Item.ADDRESS, Item.ADDRESS_SET_ON, Item.OVERSEAS_ELECTOR}


# --- items by date -----------------------------------------------------------------------------------
# 宜野湾市 https://www.city.ginowan.lg.jp/kurashi_tetsuzuki/sumai/10/10259.html (生年月日・性別 from
# 令和4年1月11日); 毛呂山町 (住民票コード and 国外転出者 from 令和6年5月27日).


def test_birth_date_and_sex_are_items_from_2022_01_11_not_the_day_before():
    assert items_in_force(date(2022, 1, 10)) == BASE
    assert items_in_force(date(2022, 1, 11)) == BASE | {Item.BIRTH_DATE, Item.SEX}


def test_the_juminhyo_code_is_an_item_from_2024_05_27_not_the_day_before():
    assert Item.JUMINHYO_CODE not in items_in_force(date(2024, 5, 26))
    assert items_in_force(date(2024, 5, 27)) == set(Item)


def test_a_person_who_left_before_an_item_existed_never_got_it():
    assert items_of_person(date(2022, 1, 10), TODAY) == BASE
    assert items_of_person(date(2024, 5, 26), TODAY) == BASE | {Item.BIRTH_DATE, Item.SEX}
    assert items_of_person(None, TODAY) == set(Item)  # still in the 附票: today's items


# --- the copy --------------------------------------------------------------------------------------------


def test_a_copy_leaves_out_the_domicile_elector_entry_and_code_unless_asked():
    """宜野湾市・中井町: since 2022-01-11 本籍・筆頭者 and the 在外選挙人 entry only on request;
    毛呂山町: the 住民票コード only on request."""
    plain = copy_items(issued_on=TODAY, left_on=None)
    assert plain.shown == {Item.NAME, Item.ADDRESS, Item.ADDRESS_SET_ON, Item.BIRTH_DATE, Item.SEX}
    assert plain.full_names  # no 戸籍の表示: each person by full name
    asked = copy_items(issued_on=TODAY, left_on=None, requested=iter([Item.DOMICILE, Item.JUMINHYO_CODE]))
    assert asked.shown == plain.shown | {Item.DOMICILE, Item.JUMINHYO_CODE} and not asked.full_names
    assert copy_items(
        issued_on=TODAY, left_on=None, requested=[Item.OVERSEAS_ELECTOR]
    ).shown == plain.shown | {Item.OVERSEAS_ELECTOR}


def test_a_copy_issued_before_2022_01_11_showed_the_domicile_by_default():
    assert copy_items(issued_on=date(2022, 1, 10), left_on=None).shown == BASE
    assert Item.DOMICILE not in copy_items(issued_on=date(2022, 1, 11), left_on=None).shown


def test_asking_for_an_item_the_person_never_carried_shows_nothing_for_it():
    """Removed 2022-01-10: no 生年月日・性別, and no 住民票コード however asked (registry-facts §17.2; civil-facts §7, pitfall 8)."""
    shown = copy_items(issued_on=TODAY, left_on=date(2022, 1, 10), requested=list(Item)).shown
    assert shown == BASE
    assert copy_items(issued_on=TODAY, left_on=date(2024, 5, 26), requested=[Item.JUMINHYO_CODE]).shown == {
        Item.NAME,
        Item.ADDRESS,
        Item.ADDRESS_SET_ON,
        Item.BIRTH_DATE,
        Item.SEX,
    }


# --- what a 異動 writes --------------------------------------------------------------------------------


def _data(**extra) -> dict:
    return {
        "status": 1,
        "address": "福島県会津若松市栄町1番1号",
        "address_extra": "",
        "address_set_on": "2026-12-01",
        "move_date": "2026-12-01",
        **extra,
    }


def test_a_resident_row_is_the_address_with_its_extra_and_the_date_it_was_set():
    assert line_of(_data(address_extra="コーポ栄101")) == AddressLine(
        "福島県会津若松市栄町1番1号\u3000コーポ栄101", date(2026, 12, 1)
    )
    # No 住所を定めた年月日 on the record: the 異動日 is the day the address was set.
    assert line_of(_data(address_set_on="", move_date="2026-11-30")).address_set_on == date(2026, 11, 30)


def test_a_domestic_move_out_a_death_and_a_removal_write_nothing():
    assert (
        line_of(_data(status=3, removal_reason="move_out_domestic", planned_move_out_on="2026-12-01")) is None
    )
    assert (
        line_of(_data(status=2, removal_reason="move_out_domestic", planned_move_out_on="2026-12-20")) is None
    )
    assert line_of(_data(status=3, removal_reason="death")) is None
    assert line_of(_data(address="")) is None


def test_a_move_abroad_is_the_overseas_entry_dated_by_the_planned_day_from_2024_05_27():
    moving = _data(
        status=2,
        removal_reason="move_out_abroad",
        planned_move_out_on="2026-12-20",
        destination_address=" アメリカ合衆国 ",
    )
    assert line_of(moving) == AddressLine("", date(2026, 12, 20), overseas=True, country="アメリカ合衆国")
    on_the_day = _data(
        status=3,
        removal_reason="move_out_abroad",
        planned_move_out_on="2024-05-27",
        destination_address="フランス",
    )
    assert line_of(on_the_day).overseas
    assert line_of({**on_the_day, "planned_move_out_on": "2024-05-26"}) is None


def test_a_row_is_new_only_when_an_address_item_differs():
    a = AddressLine("福島県会津若松市栄町1番1号", date(2026, 12, 1))
    assert a.same_as(AddressLine("福島県会津若松市栄町1番1号", date(2026, 12, 1)))
    assert not a.same_as(AddressLine("福島県会津若松市栄町1番1号", date(2026, 12, 2)))
    assert not a.same_as(None)


# --- the 本籍地 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("honseki", "lg_code"),
    [
        ("福島県会津若松市東栄町3番", "072028"),
        ("福島県 会津若松市東栄町3番", "072028"),  # spaces as typed
        ("神奈川県横浜市中区日本大通1番地", "141003"),  # a ward: the 指定都市 keeps the registry
        ("長野県北佐久郡軽井沢町大字軽井沢1番地", "203211"),
        ("長野県軽井沢町大字軽井沢1番地", "203211"),  # 郡 left out
        ("東京都千代田区千代田1番", "131016"),
    ],
)
def test_the_domicile_is_kept_by_the_municipality_it_starts_with(honseki, lg_code):
    assert municipality_of(honseki).lg_code == lg_code


def test_the_koseki_is_kept_under_one_spelling_of_its_spaces_and_its_characters_as_given():
    assert koseki_key(" 福島県会津若松市 東栄町3番", "会津 太郎") == (
        "福島県会津若松市東栄町3番",
        "会津\u3000太郎",
    )
    assert koseki_key("福島県会津若松市東栄町3番", "会津\u3000\u3000太郎") == koseki_key(
        "福島県会津若松市東栄町3番", "会津 太郎"
    )
    assert (
        koseki_key("福島県会津若松市東栄町3番", "葛\U000e0100城 太郎")[1] == "葛\U000e0100城\u3000太郎"
    )  # the IVS kept


def test_an_unknown_or_bare_municipality_is_no_domicile():
    assert municipality_of("アメリカ合衆国カリフォルニア州") is None
    assert municipality_of("福島県会津若松市") is None  # no place within it
    assert is_local("福島県会津若松市東栄町3番", AIZU) and not is_local("東京都千代田区千代田1番", AIZU)


# --- the notice file -----------------------------------------------------------------------------------


def test_a_notice_file_reads_each_line_as_a_person_and_their_new_address():
    (n,) = read_notices(notice_file(notice_line()), receiver=AIZU, today=TODAY)
    assert (n.line_no, n.sender, n.honseki, n.hittosha, n.juminhyo_code, n.name, n.birth_date, n.sex) == (
        2, "131016", "福島県会津若松市東栄町3番", "会津 太郎", CODE, "会津 花子", date(1990, 4, 1), 2,
    )  # fmt: skip
    assert n.line == AddressLine("東京都千代田区千代田1番1号", date(2026, 11, 1)) and not n.protected


def test_a_notice_file_is_refused_with_every_bad_line_and_column():
    bad = notice_file(
        notice_line(),
        notice_line(**{"住民票コード": "12345678901", "性別": "3"}),
        notice_line(**{"本籍": "東京都千代田区千代田1番"}),
        notice_line(**{"住所を定めた年月日": "2026-12-07"}),  # tomorrow
        notice_line(**{"国外転出者": "1"}),  # abroad with an address and no country
        notice_line(**{"送付先団体コード": "131016", "支援措置": "x"}),
    )
    with pytest.raises(FileRejected) as refused:
        read_notices(bad, receiver=AIZU, today=TODAY)
    assert [str(i) for i in refused.value.issues] == [
        "3行目 住民票コード: 11桁の住民票コード（検査数字付き）にしてください",
        "3行目 性別: 1（男）か 2（女）にしてください",
        "4行目 本籍: 本籍がこの団体にありません",
        "5行目 住所を定めた年月日: 未来の日付です",
        "6行目 住所: 国外転出者の住所は空欄にしてください（転出先国名に国名を）",
        "6行目 転出先国名: 国外転出者は転出先国名を入力してください",
        f"7行目 送付先団体コード: この団体（{AIZU}）あての通知ではありません",
        "7行目 支援措置: 0 か 1 にしてください",
    ]


def test_an_overseas_notice_may_be_dated_ahead_and_carries_the_country():
    (n,) = read_notices(
        notice_file(
            notice_line(
                **{
                    "住所": "",
                    "国外転出者": "1",
                    "転出先国名": "フランス",
                    "住所を定めた年月日": "2026-12-20",
                }
            )
        ),
        receiver=AIZU,
        today=TODAY,
    )
    assert n.line == AddressLine("", date(2026, 12, 20), overseas=True, country="フランス")


def test_a_file_with_another_header_no_lines_or_another_encoding_is_refused():
    for data, message in [
        (b"a,b\r\n", f"1行目: 見出しは「{','.join(COLUMNS)}」にしてください"),
        (notice_file(), "2行目: 通知がありません"),
        (
            notice_file(notice_line()).replace("会津".encode(), "会津".encode("cp932")),
            "2行目: 文字コードが UTF-8 ではありません",
        ),
        (notice_file(notice_line()[:5]), "2行目: 列の数が見出しと違います（13 列、この行は 5 列）"),
    ]:
        with pytest.raises(FileRejected) as refused:
            read_notices(data, receiver=AIZU, today=TODAY)
        assert str(refused.value.issues[0]) == message


def test_a_written_file_reads_back_as_the_same_notices():
    notices = read_notices(
        notice_file(notice_line(), notice_line(**{"住民票コード": code(2222222222), "生年月日": ""})),
        receiver=AIZU,
        today=TODAY,
    )
    assert read_notices(write_notices(notices).encode(), receiver=AIZU, today=TODAY) == notices


# --- who may ask for a copy (registry-facts §17.3) -------------------------------------------------


def test_a_person_on_the_annex_or_a_lineal_relative_needs_no_reason():
    for requester in (Requester.ON_ANNEX, Requester.LINEAL):
        assert check_request(requester, agent=False, mandate=False, reason="", at_honseki_town=True) == []


def test_a_third_party_needs_a_reason_and_an_agent_a_mandate():
    assert check_request(
        Requester.THIRD_PARTY, agent=True, mandate=False, reason=" ", at_honseki_town=True
    ) == [
        ("mandate", "代理人の請求には委任状が必要です"),
        ("reason", "第三者の請求には請求の事由（正当な理由）を記入してください"),
    ]
    assert (
        check_request(
            Requester.THIRD_PARTY, agent=True, mandate=True, reason="相続手続のため", at_honseki_town=True
        )
        == []
    )


def test_the_annex_is_not_issued_by_wide_area_delivery():
    """名古屋市 FAQ: the 附票 is not among the 広域交付 certificates — only the 本籍地 issues it."""
    assert check_request(
        Requester.ON_ANNEX, agent=False, mandate=False, reason="", at_honseki_town=False
    ) == [("counter", "戸籍の附票の写しは広域交付の対象ではありません（本籍地の市区町村に請求してください）")]
