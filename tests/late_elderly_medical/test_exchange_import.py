"""The 賦課結果 file in: every bad line named with its line and column, all at once, nothing
written; the CLI prints them and exits 1 (a rejected import file, contract §3.2)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU
from yakuba.cli import main
from yakuba.late_elderly_medical import services as kouki
from yakuba.late_elderly_medical.models import PremiumFile, PremiumResult
from yakuba.late_elderly_medical.services.premium_import import COLUMNS
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.generate import generate_population

HEADER = ",".join(COLUMNS)
BLANK_MONTHS = "," * 11


def _line(
    year="2025", number="12345678", atena="", premium="50000", per_capita="47300", income="2700", *, rest=""
):
    return f"{year},{number},{atena},{premium},{per_capita},{income},{rest or ',,,'},{BLANK_MONTHS}"


def _file(*lines: str) -> bytes:
    return "\r\n".join([HEADER, *lines]).encode("cp932")


@pytest.fixture
def insured(aizu, system_actor):
    with tenant_context(AIZU):
        generate_population(60, seed=3, as_of=date(2024, 12, 1))
    kouki.seed_insured(AIZU, date(2025, 3, 1))
    with tenant_context(AIZU):
        return sorted(kouki.insured_on(date(2025, 4, 1)))


def test_every_bad_line_is_named_with_its_column_and_nothing_is_read():
    data = _file(
        _line(atena="1"),
        _line(year="令和7", number="123", atena="2"),
        _line(atena="3", premium="60000"),
        _line(atena="4", premium="１，０００", rest="9割,,,"),
        _line(atena="5", rest="なし,口座,,"),
        _line(year="2024", atena="6"),
        _line(atena="1"),
        "2025,12345678,7,100,100,0,,,,,",
    )
    with pytest.raises(kouki.PremiumsRejected) as caught:
        kouki.read_premiums(data)
    assert [str(i) for i in caught.value.issues] == [
        "3行目 年度: 西暦4桁で書いてください: '令和7'",
        "3行目 被保険者番号: 8桁の数字です: '123'",
        "4行目 保険料額: 均等割額と所得割額の合計 50,000円を超えています",
        "5行目 軽減区分: 空欄・なし・7割・5割・2割のいずれかです",
        "6行目 徴収方法: 特別・普通のいずれか（空欄は特別徴収の判定による）です",
        "7行目 年度: 1つのファイルは1つの年度です（2行目は 2025年度）",
        "8行目 宛名番号: 2行目と重複しています",
        "9行目: 列の数が見出しと違います（見出しは 22 列、この行は 11 列）",
    ]


def test_header_and_encoding_are_checked():
    with pytest.raises(kouki.PremiumsRejected) as caught:
        kouki.read_premiums("年度,宛名番号,保険料,保険料\r\n".encode("cp932"))
    assert [str(i) for i in caught.value.issues] == [
        "1行目 保険料: 賦課結果ファイルにない列です",
        "1行目 保険料: 列が重複しています",
        "1行目 被保険者番号: 必須の列がありません",
        "1行目 保険料額: 必須の列がありません",
        "1行目 均等割額: 必須の列がありません",
        "1行目 所得割額: 必須の列がありません",
    ]
    with pytest.raises(kouki.PremiumsRejected) as caught:
        kouki.read_premiums(_file(_line(atena="1")).decode("cp932").encode("utf-8"), encoding="cp932")
    assert "--encoding utf-8" in str(caught.value.issues[0])


def test_installments_must_add_up_to_the_premium():
    months = ",".join(["", "", "", "30000", "", "", "", "", "", "", "", ""])
    data = f"{HEADER}\r\n2025,12345678,1,50000,47300,2700,,普通,,,{months}".encode("cp932")
    with pytest.raises(kouki.PremiumsRejected) as caught:
        kouki.read_premiums(data)
    assert [str(i) for i in caught.value.issues] == [
        "2行目 4月: 納期ごとの額の合計 30,000円が保険料額 50,000円と違います"
    ]


def test_a_person_without_a_kouki_record_refuses_the_whole_file(insured):
    data = _file(_line(atena=insured[0]), _line(atena="999999999999999"))
    with tenant_context(AIZU):
        with pytest.raises(kouki.PremiumsRejected) as caught:
            kouki.load_premiums(kouki.read_premiums(data), file_name="f.csv", data=data)
        assert [str(i) for i in caught.value.issues] == [
            "3行目 宛名番号: 後期高齢者医療の資格の記録がない方です"
        ]
        assert not PremiumFile.objects.exists() and not PremiumResult.objects.exists()
        assert not Event.objects.filter(type__contains="premium").exists()


def test_cli_import_prints_every_issue_and_exits_1(insured, tmp_path, capsys):
    """A rejected import file exits 1 like every import (contract §3.2), each issue on stderr."""
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_file(_line(atena=insured[0], premium="x"), _line(atena=insured[1], number="1")))
    assert main(["insurance", "kouki", "import", AIZU, "--file", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: 2行目 保険料額: 0以上の整数（円）で書いてください: 'x'" in err
    assert f"{bad}: 3行目 被保険者番号: 8桁の数字です: '1'" in err
    good = tmp_path / "good.csv"
    good.write_bytes(_file(_line(atena=insured[0]), _line(atena=insured[1], rest=",普通,,")))
    assert main(["insurance", "kouki", "import", AIZU, "--file", str(good)]) == 0
    assert "2025年度の賦課結果 2 人を取り込みました（徴収方法を判定した方 1 人）" in capsys.readouterr().out
    with tenant_context(AIZU):
        assert PremiumResult.objects.count() == 2 and PremiumFile.objects.get().file_name == "good.csv"


def test_a_bad_header_is_told_once_not_on_every_line_and_an_empty_file_is_refused():
    data = "年度,被保険者番号,宛名番号,保険料額,均等割額\r\n2025,12345678,1,100,100\r\n2025,12345678,2,100,100".encode()
    with pytest.raises(kouki.PremiumsRejected) as caught:
        kouki.read_premiums(data, encoding="utf-8")
    assert [str(i) for i in caught.value.issues] == ["1行目 所得割額: 必須の列がありません"]
    with pytest.raises(kouki.PremiumsRejected) as caught:
        kouki.read_premiums(_file())
    assert [str(i) for i in caught.value.issues] == ["2行目: データの行がありません"]
