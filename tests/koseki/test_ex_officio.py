"""The notified 振り仮名 and their 職権記載 (civil-facts §3.4): kept from the 通知's CSV (all or
nothing, every bad line named), recorded by 職権 from 2026-05-26 only where nothing was filed,
then changeable once by 届 without the 家庭裁判所; each reading is an event for the registry."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU
from tests.koseki.conftest import file, in_town
from yakuba.cli import main
from yakuba.koseki import events
from yakuba.koseki.codes import Outcome
from yakuba.koseki.rules import furigana
from yakuba.koseki.services import Rejected, koseki_of, note_notified, record_ex_officio
from yakuba.platform.linkage.models import Event as LinkageEvent
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(unread, system_actor):
    """The 山田 family (conftest ``unread``) with 一郎's 名 filed on 2025-06-01."""
    koseki_id, ids = unread
    file(kind="furigana", filed_on="2025-06-01", part="given_name", person_id=ids["一郎"],
         filer_id=ids["太郎"], filer="guardian", reading="イチロウ")  # fmt: skip
    return koseki_id, ids


def csv_of(ids, **readings):
    return "person_id,surname_kana,given_name_kana\n" + "".join(
        f"{ids[name]},{surname},{given}\n" for name, (surname, given) in readings.items()
    )


def test_a_bad_file_is_refused_whole_naming_each_line(family):
    koseki_id, ids = family
    text = (
        csv_of(ids, 太郎=("ヤマダ", "タロウ"), 花子=("ヤマダ", "Hanako")) + "0000000099,ヤマダ,ジロウ\n1,2\n"
    )
    with pytest.raises(Rejected) as caught:
        in_town(note_notified, text)
    assert caught.value.errors == [
        "3行目 given_name_kana: カタカナで入力してください（Hanako）",
        "4行目 person_id: 個人ID 0000000099 の方は、この市町村の戸籍に在籍していません",
        "5行目: 項目の数が3ではありません",
    ]
    with pytest.raises(Rejected):
        in_town(note_notified, "id,kana\n")


def test_recorded_by_ex_officio_from_the_26th_of_may_2026_where_nothing_was_filed(family):
    koseki_id, ids = family
    assert (
        in_town(
            note_notified,
            csv_of(ids, 太郎=("やまだ", "たろう"), 花子=("ヤマダ", "ハナコ"), 一郎=("ヤマダ", "カズオ")),
        )
        == 3
    )
    with pytest.raises(ValueError, match="2026年5月26日から"):
        in_town(record_ex_officio, date(2026, 5, 25))
    done = in_town(record_ex_officio, date(2026, 5, 26))
    assert (done.surnames, done.given_names) == (1, 2)  # 一郎's filed 名 is not overwritten
    read = in_town(koseki_of, koseki_id)
    assert read.surname_kana == "ヤマダ" and [m.name_kana for m in read.members] == [
        "ヤマダ\u3000タロウ",
        "ヤマダ\u3000ハナコ",
        "ヤマダ\u3000イチロウ",
    ]
    with tenant_context(AIZU):
        copied = LinkageEvent.objects.filter(type=events.FURIGANA, data__source="ex_officio")
        assert sorted(copied.values_list("subject", flat=True)) == sorted(ids.values())
    again = in_town(record_ex_officio, date(2026, 6, 1))
    assert (again.surnames, again.given_names) == (0, 0)  # idempotent


def test_one_change_without_the_court_after_ex_officio(family):
    _koseki_id, ids = family
    in_town(note_notified, csv_of(ids, 花子=("ヤマダ", "カコ")))
    in_town(record_ex_officio, date(2026, 5, 26))

    def change(reading, **extra):
        return file(
            kind="furigana", filed_on="2026-07-01", part="given_name", person_id=ids["花子"],
            filer_id=ids["花子"], reading=reading, **extra,
        )  # fmt: skip

    assert change("ハナコ").outcome == Outcome.ACCEPTED
    second = change("ハナ")
    assert second.outcome == Outcome.REFUSED and second.reasons[0] == (
        "court_permission",
        furigana.COURT_NEEDED,
    )


def test_the_commands(family, tmp_path, capsys):
    _koseki_id, ids = family
    path = tmp_path / "notified.csv"
    path.write_text(csv_of(ids, 太郎=("ヤマダ", "タロウ")), encoding="utf-8")
    assert main(["koseki", "notified", AIZU, str(path)]) == 0
    assert "通知した振り仮名 1 人分を取り込みました" in capsys.readouterr().out
    assert main(["koseki", "ex-officio", AIZU, "--on", "2026-05-25"]) == 2
    assert "職権記載は2026年5月26日から行います" in capsys.readouterr().err
    assert main(["koseki", "ex-officio", AIZU, "--on", "2026-05-26"]) == 0
    assert "氏の振り仮名 1 戸籍、名の振り仮名 1 人" in capsys.readouterr().out
    path.write_text("bad\n", encoding="utf-8")
    assert main(["koseki", "notified", AIZU, str(path)]) == 1
    assert f"{path}: 1行目: 見出しは" in capsys.readouterr().err
