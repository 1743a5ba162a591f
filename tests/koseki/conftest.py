"""戸籍 fixtures: a couple whose 本籍 were elsewhere marry and make their 戸籍 here, and helpers
that file a 届書 in 会津若松市 as the system actor."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from yakuba.koseki.services import file_notification, koseki_of, record_existing
from yakuba.platform.tenancy.context import tenant_context

HONSEKI = "福島県会津若松市東栄町3番"


def in_town(fn, *args, **kwargs):
    with tenant_context(AIZU):
        return fn(*args, **kwargs)


def file(**data):
    return in_town(file_notification, data)


def elsewhere(surname, given, kana_surname, kana_given, birth, sex, relationship="長男", **extra):
    """A person of a 戸籍 kept in another town, as a 婚姻届 gives them."""
    return {
        "person": {
            "surname": surname,
            "given_name": given,
            "surname_kana": kana_surname,
            "given_name_kana": kana_given,
            "birth_date": birth,
            "sex": sex,
            "relationship": relationship,
            "from_koseki": "東京都千代田区千代田1番　" + surname + "　一郎",
            **extra,
        }
    }


def born(mother_id, given, kana, birth, sex="male", filed_on=None, **extra):
    return file(
        kind="birth",
        filed_on=filed_on or birth,
        given_name=given,
        given_name_kana=kana,
        sex=sex,
        birth_date=birth,
        mother_id=mother_id,
        **extra,
    )


def people(koseki_id):
    """{名: member} of a 戸籍 read through the door."""
    view = in_town(koseki_of, koseki_id)
    return {m.name.split("\u3000")[1]: m for m in view.members}


def yamada_marriage(*, read: bool) -> dict:
    """The 婚姻届 of 山田 太郎 and 花子 (born 佐藤), 2025-04-01, taking his 氏, 本籍 here — with their
    振り仮名 (``read``) or none (before the 施行 nothing had to be given)."""
    return {
        "kind": "marriage",
        "filed_on": "2025-04-01",
        "husband": elsewhere(
            "山田",
            "太郎",
            *(("ヤマダ", "タロウ") if read else ("", "")),
            "1990-05-05",
            "male",
            atena_no="000000000000101",
        ),
        "wife": elsewhere(
            "佐藤",
            "花子",
            *(("サトウ", "ハナコ") if read else ("", "")),
            "1992-07-07",
            "female",
            "長女",
            atena_no="000000000000202",
        ),
        "surname_of": "husband",
        "new_honseki": HONSEKI,
    }


def yamada(*, read: bool):
    return file(**yamada_marriage(read=read))


@pytest.fixture
def couple(aizu, system_actor):
    """The 山田 couple's 戸籍 (read) and {名: person_id}."""
    view = in_town(koseki_of, yamada(read=True).koseki_ids[0])
    return view, {m.name.split("\u3000")[1]: m.person_id for m in view.members}


@pytest.fixture
def unread(aizu, system_actor):
    """The 山田 couple with no 振り仮名 recorded, and their son 一郎 born 2011-01-10 (15 on
    2026-01-09), his 名 unread too: (koseki_id, {名: person_id})."""
    koseki_id = yamada(read=False).koseki_ids[0]
    ids = {name: m.person_id for name, m in people(koseki_id).items()}
    ids["一郎"] = born(
        ids["花子"], "一郎", "", "2011-01-10", filed_on="2025-04-10", father_id=ids["太郎"]
    ).person_id
    return koseki_id, ids


SUZUKI = "福島県会津若松市追手町2番"
NEW = "福島県会津若松市城前1番"
PARENTS = {"father": "鈴木\u3000一郎", "mother": "鈴木\u3000和子"}


def member(given, birth, role, relationship, sex="male", entered_on="1975-04-01", **extra):
    """A member as the 移行 file gives them (``record_existing``)."""
    return {
        "given_name": given,
        "birth_date": birth,
        "sex": sex,
        "role": role,
        "relationship": relationship,
        "entered_on": entered_on,
        **extra,
    }


@pytest.fixture
def suzuki(couple):
    """The 鈴木 戸籍 (an older couple, their adult son 次郎 and daughter 花) beside the 山田
    couple's: (鈴木 koseki_id, {名: person_id} of both 戸籍, 山田 koseki_id)."""
    yamada, ids = couple
    koseki_id = in_town(
        record_existing,
        [
            {
                "honseki": SUZUKI,
                "surname": "鈴木",
                "surname_kana": "スズキ",
                "formed_on": "1975-04-01",
                "members": [
                    member("一郎", "1950-01-10", "head", "長男"),
                    member("和子", "1952-02-20", "spouse", "長女", "female"),
                    member("次郎", "1980-03-30", "child", "二男", given_name_kana="ジロウ", **PARENTS),
                    member("花", "1985-08-08", "child", "長女", "female", given_name_kana="ハナ", **PARENTS),
                ],
            }
        ],
    )[0]
    ids |= {name: m.person_id for name, m in people(koseki_id).items()}
    return koseki_id, ids, yamada.koseki_id
