"""The 戸籍's pure rules (yakuba/koseki/rules), each against its source: order (戸籍法14条),
formation (16条・17条・19条), the 届出期間 with their boundary days (43条・49条・86条, 民法143条,
地方自治法4条の2), the 振り仮名 (改正戸籍法, civil-facts §3.4) and characters kept as stored (§3.5)."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest

from yakuba.koseki.codes import Kind, Role
from yakuba.koseki.rules import characters, filers, formation, furigana, order
from yakuba.koseki.rules.deadlines import deadline, is_late
from yakuba.koseki.rules.furigana import Filer, Source, Standing, Verdict

# -- order (法14条) --------------------------------------------------------------------------


def test_formation_order_head_spouse_then_children_by_birth():
    people = [
        order.Entrant("次女", Role.CHILD, date(2015, 3, 1)),
        order.Entrant("妻", Role.SPOUSE, date(1985, 1, 1)),
        order.Entrant("長男", Role.CHILD, date(2010, 9, 9)),
        order.Entrant("夫", Role.HEAD, date(1990, 1, 1)),  # younger than his wife: still first
    ]
    assert order.formation_order(people) == ["夫", "妻", "長男", "次女"]


def test_a_later_entrant_goes_at_the_end():
    assert order.next_position([1, 2, 3]) == 4
    assert order.next_position([]) == 1


def test_child_relationship_by_rank_among_the_same_sex():
    assert [order.child_relationship(True, n) for n in (1, 2, 3, 10, 11, 21)] == [
        "長男",
        "二男",
        "三男",
        "十男",
        "十一男",
        "二十一男",
    ]
    assert order.child_relationship(False, 2) == "二女"


def test_a_koseki_has_one_head():
    with pytest.raises(ValueError, match="筆頭者が1人"):
        order.formation_order([order.Entrant("a", Role.SPOUSE, date(1990, 1, 1))])


# -- formation (法16条・17条・19条) ---------------------------------------------------------


def test_marriage_new_koseki_unless_the_surname_spouse_is_already_head():
    assert formation.marriage(Role.HEAD).new_koseki is False  # the other spouse enters it
    assert formation.marriage(Role.CHILD).new_koseki is True  # neither is 筆頭者: new 戸籍
    assert formation.marriage(None).new_koseki is True


def test_three_generations_never_share_a_koseki():
    assert formation.child(Role.HEAD).new_koseki is False
    assert formation.child(Role.SPOUSE).new_koseki is False
    # A daughter still in her parents' 戸籍 has a child: a new 戸籍 for her (法17条).
    placement = formation.child(Role.CHILD)
    assert placement.new_koseki is True and "17条" in placement.reason


def test_divorce_back_to_the_former_koseki_or_a_new_one():
    assert formation.divorce(restore_former=True, former_open=True).new_koseki is False
    assert formation.divorce(restore_former=True, former_open=False).new_koseki is True  # 除籍済み
    assert formation.divorce(restore_former=False, former_open=True).new_koseki is True  # 新戸籍の希望


# -- filers (法108条) ----------------------------------------------------------------------


def test_transfer_by_the_head_and_the_spouse_still_in_the_koseki():
    heads = {"1": "山田\u3000太郎", "2": "山田\u3000花子"}
    assert filers.couple_filers(heads, {"1", "2"}) == []
    assert filers.couple_filers(heads, {"1"}) == [
        (
            "filer_ids",
            "転籍の届出人は筆頭者及びその配偶者です（戸籍法108条）。届出人に加えてください: 山田\u3000花子",
        )
    ]
    assert filers.couple_filers({"2": "山田\u3000花子"}, {"2"}) == []  # the 筆頭者 has died
    assert filers.couple_filers({}, {"3"}) == [  # a child: 分籍 first
        ("filer_ids", "筆頭者も配偶者も在籍していないため転籍はできません（分籍の届出をしてください）")
    ]
    assert filers.couple_filers(heads, {"2"}, filers.SURNAME)[0][1].startswith(
        "氏の変更の届出人は筆頭者及びその配偶者です（戸籍法107条1項）"
    )


# -- deadlines (法43条 初日算入, 49条, 86条) ------------------------------------------------


@pytest.mark.parametrize(
    ("born", "last"),
    [
        # Municipal worked examples: 1月1日 → 1月14日, 12月2日 → 12月15日 (the first day counts).
        (date(2025, 1, 1), date(2025, 1, 14)),
        (date(2025, 12, 2), date(2025, 12, 15)),
        (date(2026, 4, 1), date(2026, 4, 14)),
        (date(2026, 4, 16), date(2026, 4, 30)),  # the 14th day is 昭和の日 → the next open day
        (date(2025, 12, 16), date(2026, 1, 5)),  # 12/29 is 年末年始, 1/4 a Sunday → 1/5
    ],
)
def test_birth_fourteen_days_counting_the_day_of_birth(born, last):
    assert deadline(Kind.BIRTH, born) == last
    assert not is_late(Kind.BIRTH, born, last)
    assert is_late(Kind.BIRTH, born, last + timedelta(days=1))


@pytest.mark.parametrize(
    ("born", "last"),
    [
        (date(2026, 1, 15), date(2026, 4, 14)),  # the day before the 15th of the third month
        (date(2027, 11, 30), date(2028, 2, 29)),  # no 2月30日: the month's last day (民法143条2項)
        (date(2026, 11, 30), date(2027, 3, 1)),  # 2027-02-28 is a Sunday → Monday
    ],
)
def test_birth_abroad_three_months(born, last):
    assert deadline(Kind.BIRTH, born, abroad=True) == last


def test_death_seven_days_from_the_day_it_became_known():
    assert deadline(Kind.DEATH, date(2026, 4, 1)) == date(2026, 4, 7)
    assert is_late(Kind.DEATH, date(2026, 4, 1), date(2026, 4, 8))
    assert deadline(Kind.DEATH, date(2026, 1, 15), abroad=True) == date(2026, 4, 14)


@pytest.mark.parametrize("kind", [Kind.MARRIAGE, Kind.DIVORCE, Kind.TRANSFER, Kind.ENTRY, Kind.FURIGANA])
def test_creative_notifications_have_no_deadline(kind):
    assert deadline(kind, date(2026, 4, 1)) is None
    assert not is_late(kind, date(2000, 1, 1), date(2026, 4, 1))


# -- 振り仮名: window and changes -----------------------------------------------------------


def test_window_boundaries():
    assert furigana.may_change(Source.NONE, date(2025, 5, 25)) == [("filed_on", furigana.BEFORE_START)]
    assert furigana.may_change(Source.NONE, date(2025, 5, 26)) == []
    # Filed once in the window: a second 届 on its last day is refused, the day after it needs
    # the 家庭裁判所 as any filed reading does.
    assert furigana.may_change(Source.FILED, date(2026, 5, 25)) == [("filed_on", furigana.ALREADY_FILED)]
    assert furigana.may_change(Source.FILED, date(2026, 5, 26)) == [
        ("court_permission", furigana.COURT_NEEDED)
    ]
    assert furigana.may_change(Source.FILED, date(2026, 5, 26), court_permission=True) == []


def test_ex_officio_recording_from_the_day_after_the_window():
    assert not furigana.may_record_ex_officio(Source.NONE, date(2026, 5, 25))
    assert furigana.may_record_ex_officio(Source.NONE, date(2026, 5, 26))
    assert not furigana.may_record_ex_officio(Source.FILED, date(2026, 6, 1))


def test_one_free_change_after_ex_officio_then_the_court():
    on = date(2026, 7, 1)
    assert furigana.may_change(Source.EX_OFFICIO, on) == []
    used = furigana.source_after_filing(Source.EX_OFFICIO)
    assert used == Source.CHANGED
    assert furigana.may_change(used, on) == [("court_permission", furigana.COURT_NEEDED)]
    assert furigana.source_after_filing(Source.NONE) == Source.FILED


# -- 振り仮名: who files --------------------------------------------------------------------


def test_surname_reading_by_the_head_then_spouse_then_a_member():
    head_in = Standing(filer_is_head=False, filer_is_spouse=True, head_present=True, spouse_present=True)
    assert furigana.may_file_surname(head_in) == [("filer_id", furigana.NOT_HEAD)]
    head_gone = Standing(filer_is_head=False, filer_is_spouse=True, head_present=False, spouse_present=True)
    assert furigana.may_file_surname(head_gone) == []
    child_while_spouse_in = Standing(False, False, head_present=False, spouse_present=True)
    assert furigana.may_file_surname(child_while_spouse_in) == [("filer_id", furigana.NOT_HEAD)]
    assert furigana.may_file_surname(Standing(False, False, head_present=False, spouse_present=False)) == []


def test_given_name_reading_by_age():
    birth = date(2011, 6, 15)
    fifteen = date(2026, 6, 14)  # reached the day before the birthday
    eighteen = date(2029, 6, 14)
    assert furigana.may_file_given_name(Filer.SELF, birth, fifteen - timedelta(days=1)) == [
        ("filer", furigana.GUARDIAN_ONLY)
    ]
    assert furigana.may_file_given_name(Filer.SELF, birth, fifteen) == []
    assert furigana.may_file_given_name(Filer.GUARDIAN, birth, eighteen - timedelta(days=1)) == []
    assert furigana.may_file_given_name(Filer.GUARDIAN, birth, eighteen) == [("filer", furigana.SELF_ONLY)]


# -- 振り仮名: readings (戸籍法13条2項) --------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "reading"),
    [
        ("心愛", "ココア"),  # 法務省's example of a cut reading (ココロ, アイ)
        ("桜良", "サラ"),
        ("飛鳥", "アスカ"),  # 熟字訓
        ("山崎", "ヤマザキ"),  # 連濁
        ("一輝", "イッキ"),  # 促音
        ("佐々木", "ササキ"),
        ("寅子", "トモコ"),  # 名乗り
        ("太郎", "たろう"),  # hiragana typed, katakana kept
    ],
)
def test_generally_accepted_readings(written, reading):
    assert furigana.check_reading(written, reading) == (Verdict.ACCEPT, [])


@pytest.mark.parametrize(
    ("written", "reading"), [("太郎", "マイケル"), ("一郎", "ジロウ"), ("健", "ケンジロウ")]
)
def test_unrelated_readings_are_refused_unless_proved_in_use(written, reading):
    verdict, refusals = furigana.check_reading(written, reading)
    assert verdict == Verdict.REFUSE and refusals[0][0] == "reading"
    assert f"「{written}」" in refusals[0][1]
    assert furigana.check_reading(written, reading, proof_of_use=True) == (Verdict.ACCEPT, [])


def test_an_unknown_character_goes_to_the_clerk():
    assert furigana.check_reading("龍", "リュウ") == (Verdict.REVIEW, [])


def test_small_kana_are_kept_and_latin_refused():
    assert furigana.normalise("ｷｮｳｺ") == "キョウコ"
    assert furigana.normalise("しょう") == "ショウ"
    verdict, refusals = furigana.check_reading("翔", "Sho")
    assert verdict == Verdict.REFUSE and refusals[0][1].startswith("振り仮名はカタカナで")


# -- characters (§3.5) ---------------------------------------------------------------------


def test_characters_are_kept_with_their_selectors():
    kuzu_ivs = "葛\U000e0100"
    name = f"{kuzu_ivs}城 𠮷髙 﨑\ufa19"
    assert characters.check_name(name, "name") == []
    assert characters.glyphs(kuzu_ivs + "城") == [kuzu_ivs, "城"]
    assert characters.code_points(kuzu_ivs) == "U+845B U+E0100"
    # What we must never do to a stored name: NFC would change 神 U+FA19 to U+795E.
    assert unicodedata.normalize("NFC", "\ufa19") != "\ufa19"


def test_a_selector_without_a_kanji_and_control_characters_are_refused():
    assert characters.check_name("\U000e0100あ", "name")[0][1].startswith("異体字セレクタ")
    assert characters.check_name("山\u0000田", "name")[0][1].startswith("氏名に使えない文字")
