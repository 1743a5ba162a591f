"""Recording the existing 戸籍 (移行, docs/koseki.md): members put in the statutory order whatever
the file's order (戸籍法14条), 除籍 members kept in place, the file whole or not at all."""

from __future__ import annotations

import functools
import json

import pytest

from tests.conftest import AIZU
from tests.koseki import conftest
from tests.koseki.conftest import born, in_town, people
from yakuba.cli import main
from yakuba.koseki.codes import Role
from yakuba.koseki.models import Koseki
from yakuba.koseki.services import Invalid, koseki_of, record_existing
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


member = functools.partial(conftest.member, entered_on="2000-04-01")


def kosekis():
    return [
        {
            "honseki": "福島県会津若松市東栄町3番",
            "surname": "髙橋",
            "surname_kana": "タカハシ",
            "formed_on": "2000-04-01",
            "members": [
                member("花子", "2003-03-03", "child", "長女", "female", given_name_kana="ハナコ"),
                member(
                    "和子",
                    "1972-02-02",
                    "spouse",
                    "二女",
                    "female",
                    removed_on="2020-01-01",
                    removed_reason="death",
                ),
                member("一郎", "2001-01-01", "child", "長男"),
                member("太郎", "1975-05-05", "head", "長男", atena_no="000000000000101"),
            ],
        },
        {
            "honseki": "福島県会津若松市栄町1番",
            "surname": "𠮷田",
            "formed_on": "1990-01-01",
            "members": [member("葛\U000e0100男", "1950-01-01", "head", "三男")],
        },  # fmt: skip
    ]


def test_recorded_in_the_statutory_order(aizu, system_actor):
    first, second = in_town(record_existing, kosekis())
    view = in_town(koseki_of, first)
    assert view.hittosha == "髙橋\u3000太郎" and view.surname_kana == "タカハシ"
    assert [(m.position, m.role, m.name, m.removed_on is not None) for m in view.members] == [
        (1, Role.HEAD, "髙橋\u3000太郎", False),
        (2, Role.SPOUSE, "髙橋\u3000和子", True),  # 除籍, in her place
        (3, Role.CHILD, "髙橋\u3000一郎", False),
        (4, Role.CHILD, "髙橋\u3000花子", False),
    ]
    assert in_town(koseki_of, second).members[0].name == "𠮷田\u3000葛\U000e0100男"
    # A 届出 follows on: a child of the recorded couple is written at the end.
    ids = {name: m.person_id for name, m in people(first).items()}
    born(
        ids["花子"], "陽斗", "ハルト", "2026-06-01", legitimate=False, new_honseki="福島県会津若松市追手町1番"
    )
    assert people(first)["花子"].removed_on is not None  # 三代戸籍: she left for her own 戸籍


def test_a_bad_file_records_nothing_and_names_each_error(aizu, system_actor):
    bad = kosekis()
    bad[0]["members"][3]["role"] = "child"
    bad[1]["members"][0]["birth_date"] = "x"
    bad[1]["surname_kana"] = "Yoshida"
    with pytest.raises(Invalid) as caught:
        in_town(record_existing, bad)
    assert ("[1].members[0].birth_date", "日付は YYYY-MM-DD で指定してください") in caught.value.errors
    bad[1]["members"][0]["birth_date"] = "1950-01-01"
    with pytest.raises(Invalid) as caught:
        in_town(record_existing, bad)
    assert [f for f, _m in caught.value.errors] == ["[0].members", "[1].surname_kana"]
    with tenant_context(AIZU):
        assert not Koseki.objects.exists()


def test_the_command(aizu, tmp_path, capsys):
    path = tmp_path / "kosekis.json"
    path.write_text(json.dumps(kosekis(), ensure_ascii=False), encoding="utf-8")
    assert main(["koseki", "record", AIZU, str(path)]) == 0
    assert "戸籍 2 件を記録しました（戸籍ID 0000000001〜0000000002）" in capsys.readouterr().out
    path.write_text('[{"honseki": ""}]', encoding="utf-8")
    assert main(["koseki", "record", AIZU, str(path)]) == 1
    assert f"{path}: [0].honseki: 1文字以上で指定してください" in capsys.readouterr().err
