"""The 印鑑登録 rules (civil-facts §2.1–§2.3, §2.5), one test per rule with the clerk's message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from yakuba.seal_registration.codes import Applicant, EndReason, Identity, Procedure, Status
from yakuba.seal_registration.rules import applicant, impression, lifecycle, procedure
from yakuba.seal_registration.rules.impression import Name, Seal
from yakuba.seal_registration.rules.ordinance import Ordinance

YAMADA = Name("山田 花子")


def seal(text="山田", w="15", h="15", **extra) -> Seal:
    return Seal(text, D(w), D(h), **extra)


# §2.1 who may register


def test_fifteen_from_the_day_before_the_birthday():
    """Born 2010-06-15 → 15 at the end of 2025-06-13, so may register on 2025-06-14 (§2.1)."""
    assert applicant.check_applicant(date(2010, 6, 15), date(2025, 6, 14)) == []
    assert applicant.check_applicant(date(2010, 6, 15), date(2025, 6, 13)) == [
        ("birth_date", "15歳未満の方は印鑑登録ができません（2025年6月14日から登録できます）")
    ]


def test_an_unknown_birth_date_is_refused_with_its_reason():
    assert applicant.check_applicant(None, date(2025, 6, 14)) == [("birth_date", applicant.AGE_UNKNOWN)]


def test_an_adult_ward_only_with_the_legal_representative_present():
    day, birth = date(2026, 1, 5), date(1950, 1, 1)
    assert applicant.check_applicant(birth, day, adult_ward=True) == [
        ("guardian_present", "成年被後見人の方の登録には、法定代理人の同行が必要です")
    ]
    assert applicant.check_applicant(birth, day, adult_ward=True, guardian_present=True) == []
    barred = Ordinance(adult_ward_with_guardian=False)
    assert applicant.check_applicant(
        birth, day, adult_ward=True, guardian_present=True, ordinance=barred
    ) == [("adult_ward", applicant.WARD_BARRED)]


# §2.2 what the seal must be


@pytest.mark.parametrize("text", ["山田", "花子", "山田花子", "山田 花子", "山田之印", "花子印"])
def test_the_name_or_its_parts(text):
    assert impression.check_seal(seal(text), YAMADA) == []


def test_former_surname_and_alias_only_where_the_registry_has_them():
    assert impression.check_seal(seal("佐藤"), YAMADA) == [("text", impression.NOT_NAME)]
    with_former = Name("山田 花子", former_surname="佐藤")
    assert impression.check_seal(seal("佐藤"), with_former) == []
    assert impression.check_seal(seal("佐藤花子"), with_former) == []
    smith = Name("SMITH JOHN", alias="須美須 譲")
    assert impression.check_seal(seal("須美須"), smith) == []
    assert impression.check_seal(seal("ＳＭＩＴＨ"), smith) == []


HANAKO_KANA = Name("山田 花子", former_surname="佐藤", kana="ヤマダ ハナコ", former_surname_kana="サトウ")


@pytest.mark.parametrize(
    "text", ["やまだ", "ヤマダ", "はなこ", "やまだはなこ", "ヤマダ ハナコ", "さとう", "サトウハナコ", "ﾔﾏﾀﾞ"]
)
def test_the_name_in_kana_where_the_ordinance_accepts_it(text):
    """Most 条例 accept the 氏名 written in kana (its reading); 佐久市 does not (civil-facts §2.2
    item 1) — ``kana_allowed``."""
    assert impression.check_seal(seal(text), HANAKO_KANA) == []
    assert impression.check_seal(seal(text), HANAKO_KANA, ordinance=Ordinance(kana_allowed=False)) == [
        ("text", impression.NOT_NAME)
    ]


def test_kana_that_is_not_the_reading_or_has_other_words():
    assert impression.check_seal(seal("すずき"), HANAKO_KANA) == [("text", impression.NOT_NAME)]
    assert impression.check_seal(seal("ぜいりしやまだ"), HANAKO_KANA) == [("text", impression.OTHER_MATTER)]


def test_not_the_name():
    assert impression.check_seal(seal("鈴木"), YAMADA) == [
        ("text", "印影が住民票の氏名、氏、名（旧氏・通称を含む）又はその一部を表していません")
    ]


def test_an_occupation_or_other_words():
    assert impression.check_seal(seal("税理士山田"), YAMADA) == [
        ("text", "印影に職業、資格その他氏名以外の事項が含まれています")
    ]
    assert impression.check_seal(seal("山田商店"), YAMADA) == [("text", impression.OTHER_MATTER)]


def test_rubber():
    assert impression.check_seal(seal(deformable=True), YAMADA) == [
        ("deformable", "ゴム印その他の印影が変化しやすい印鑑は登録できません")
    ]


@pytest.mark.parametrize(
    ("w", "h", "message"),
    [
        ("8", "8", "印影が一辺8mmの正方形に収まる大きさです（小さすぎます）"),
        ("7.5", "8", "印影が一辺8mmの正方形に収まる大きさです（小さすぎます）"),
        ("8.1", "6", None),
        ("25", "25", None),
        ("25.1", "20", "印影が一辺25mmの正方形に収まらない大きさです（大きすぎます）"),
        ("0", "10", "印影の大きさ（mm）を正しく入力してください"),
    ],
)
def test_eight_to_twenty_five_millimetres(w, h, message):
    assert impression.check_seal(seal(w=w, h=h), YAMADA) == ([("size", message)] if message else [])


def test_the_size_limits_are_the_ordinance_s():
    assert impression.check_seal(seal(w="9", h="9"), YAMADA, ordinance=Ordinance(min_mm=D(10))) == [
        ("size", "印影が一辺10mmの正方形に収まる大きさです（小さすぎます）")
    ]


def test_a_municipality_that_writes_eight_millimetres_or_more_accepts_exactly_eight():
    """「8mm以上25mm以下」 (civil-facts §0 item 4): 8.0 is in, 7.9 is out."""
    inclusive = Ordinance(min_mm_allowed=True)
    assert impression.check_seal(seal(w="8", h="8"), YAMADA, ordinance=inclusive) == []
    assert impression.check_seal(seal(w="7.9", h="7"), YAMADA, ordinance=inclusive) == [
        ("size", "印影の大きさが8mm未満です（小さすぎます）")
    ]


def test_not_the_same_or_a_like_seal_as_a_household_member_s():
    father = seal("山田", "15", "15", digest="abc")
    assert impression.check_seal(seal("山田", "15.4", "14.6"), YAMADA, [father]) == [
        ("seal", "同じ世帯の方が登録している印鑑と同一又は類似の印鑑は登録できません")
    ]
    assert impression.check_seal(seal("山田", "16", "16", digest="abc"), YAMADA, [father]) == [
        ("seal", impression.SAME_AS_HOUSEHOLD)
    ]
    assert impression.check_seal(seal("山田", "16", "16"), YAMADA, [father]) == []
    assert impression.check_seal(seal("花子", "15", "15"), YAMADA, [father]) == []


def test_every_refusal_at_once():
    fields = [f for f, _m in impression.check_seal(seal("鈴木", "30", "30", deformable=True), YAMADA)]
    assert fields == ["text", "deformable", "size"]


# §2.3 the procedure


def test_same_day_with_a_photo_id_or_a_guarantor_else_the_inquiry():
    assert procedure.procedure(Applicant.SELF, Identity.PHOTO_ID) == Procedure.SAME_DAY
    assert procedure.procedure(Applicant.SELF, Identity.GUARANTOR) == Procedure.SAME_DAY
    assert procedure.procedure(Applicant.SELF, Identity.NONE) == Procedure.INQUIRY
    # a 代理人 always: the 照会書 goes to the person
    assert procedure.procedure(Applicant.AGENT, Identity.PHOTO_ID) == Procedure.INQUIRY


def test_an_agent_needs_a_power_of_attorney():
    assert procedure.check_procedure(Applicant.AGENT, Identity.NONE) == [
        ("power_of_attorney", "代理人による申請には委任状が必要です")
    ]
    assert procedure.check_procedure(Applicant.AGENT, Identity.NONE, power_of_attorney=True) == []


def test_the_guarantor_is_a_registrant_other_than_the_applicant():
    assert procedure.check_procedure(Applicant.SELF, Identity.GUARANTOR) == [
        ("guarantor", "保証人はこの市町村で印鑑登録をしている方でなければなりません")
    ]
    assert procedure.check_procedure(
        Applicant.SELF, Identity.GUARANTOR, guarantor_registered=True, guarantor_is_applicant=True
    ) == [("guarantor", procedure.GUARANTOR_IS_APPLICANT)]
    assert procedure.check_procedure(Applicant.SELF, Identity.GUARANTOR, guarantor_registered=True) == []


def test_the_reply_within_the_deadline():
    deadline = procedure.reply_deadline(date(2026, 1, 10))
    assert deadline == date(2026, 2, 9)
    assert procedure.check_reply(deadline, date(2026, 2, 9)) == []
    assert procedure.check_reply(deadline, date(2026, 2, 10)) == [
        (
            "replied_on",
            "回答書の期限（2026年2月9日）を過ぎているため、この申請は無効です。改めて申請してください",
        )
    ]
    assert procedure.reply_deadline(date(2026, 1, 10), Ordinance(reply_days=14)) == date(2026, 1, 24)


# §2.5 the registry's 異動


def test_move_out_abolishes_death_and_removal_strike_off():
    on = date(2026, 3, 1)
    assert lifecycle.decide("moved-out", on, "山田", None) == lifecycle.End(
        Status.ABOLISHED, EndReason.MOVED_OUT, on
    )
    assert lifecycle.decide("died", on, "山田", None).status == Status.STRUCK
    assert lifecycle.decide("removed", on, "山田", None).reason == EndReason.REMOVED
    assert lifecycle.decide("moved-within", on, "山田", None) is None


def test_a_new_surname_strikes_off_a_seal_of_the_old_one_not_one_of_the_given_name():
    on, married = date(2026, 3, 1), Name("佐藤 花子")
    assert lifecycle.decide("modified", on, "山田", married) == lifecycle.End(
        Status.STRUCK, EndReason.NAME_CHANGED, on
    )
    assert lifecycle.decide("modified", on, "山田花子", married).reason == EndReason.NAME_CHANGED
    assert lifecycle.decide("modified", on, "花子", married) is None
    # the old 氏 recorded as 旧氏 keeps the seal
    assert lifecycle.decide("modified", on, "山田", Name("佐藤 花子", former_surname="山田")) is None


def test_a_kana_seal_follows_the_reading_of_the_new_name():
    on, married = date(2026, 3, 1), Name("佐藤 花子", kana="サトウ ハナコ")
    assert lifecycle.decide("modified", on, "やまだ", married).reason == EndReason.NAME_CHANGED
    assert lifecycle.decide("modified", on, "はなこ", married) is None
