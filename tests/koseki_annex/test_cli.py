"""``yakuba koseki-annex follow|notices-in|notices-out|show`` as docs/koseki_annex.md and the
contract describe them: one line per outcome, every bad line of a refused file on stderr."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.koseki_annex.conftest import HITTOSHA, HONSEKI, code, notice_file, notice_line
from yakuba.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def test_follow_then_show_the_annex_and_its_copy(registry, family, capsys):
    assert main(["koseki-annex", "follow", AIZU, "--until-caught-up"]) == 0
    assert "附票の記載・通知 2 件" in capsys.readouterr().out
    assert main(["koseki-annex", "show", AIZU, "--honseki", HONSEKI, "--hittosha", "会津 太郎"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[0] == f"本籍: {HONSEKI}　筆頭者: {HITTOSHA}"
    assert shown[1] == f"会津 太郎　生年月日 1980-05-05　男　住民票コード {family['会津 太郎'][1]}"
    assert shown[2].endswith("福島県会津若松市東栄町3番46号")
    assert main(["koseki-annex", "show", AIZU, "--juminhyo-code", family["会津 花子"][1], "--copy"]) == 0
    copy = capsys.readouterr().out.splitlines()
    assert copy[0] == "会津 太郎　生年月日 1980-05-05　男"  # no 本籍・筆頭者, no 住民票コード
    assert main(["koseki-annex", "follow-koseki", AIZU, "--until-caught-up"]) == 0
    assert "（除籍・記載 0 件）" in capsys.readouterr().out
    assert main(["koseki-annex", "show", AIZU, "--honseki", HONSEKI]) == 2
    assert "--hittosha は両方" in capsys.readouterr().err


def test_notices_in_and_out(registry, newcomer, tmp_path, capsys):
    good = tmp_path / "in.csv"
    good.write_bytes(notice_file(notice_line()))
    assert main(["koseki-annex", "notices-in", AIZU, str(good)]) == 0
    assert "通知 1 件、附票に記載 1 件" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(notice_file(notice_line(**{"性別": "x"})))
    assert main(["koseki-annex", "notices-in", AIZU, str(bad)]) == 1
    assert f"{bad}: 2行目 性別: 1（男）か 2（女）にしてください" in capsys.readouterr().err
    assert main(["koseki-annex", "follow", AIZU, "--until-caught-up"]) == 0
    out = tmp_path / "out"
    out.mkdir()
    assert main(["koseki-annex", "notices-out", AIZU, "--out", str(out)]) == 0
    assert "附票記載事項通知: 1 ファイル、1 件" in capsys.readouterr().out
    assert len(list(out.iterdir())) == 1
    assert main(["koseki-annex", "notices-out", AIZU, "--out", str(tmp_path / "missing")]) == 2
    assert main(["koseki-annex", "show", AIZU, "--juminhyo-code", "00000000000"]) == 2
    assert "附票にありません" in capsys.readouterr().err


def test_copy_writes_the_signed_pdf_or_names_each_refusal(registry, family, tmp_path, capsys):
    from yakuba.certificates.services import seal, settings
    from yakuba.koseki_annex.services import take_in
    from yakuba.platform.tenancy.context import tenant_context

    with tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    assert main(["koseki-annex", "follow", AIZU, "--until-caught-up"]) == 0
    out = tmp_path / "copy.pdf"
    base = ["koseki-annex", "copy", AIZU, "--honseki", HONSEKI, "--hittosha", "会津 太郎", "--out", str(out)]
    assert (
        main(
            [
                *base,
                "--requester-name",
                "福島県警察本部",
                "--purpose",
                "捜査関係事項照会",
                "--items",
                "domicile",
            ]
        )
        == 0
    )
    assert "証明書番号" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_mode & 0o777 == 0o600
    assert main([*base, "--requester", "third_party", "--requester-name", "債権 太郎"]) == 2
    assert "requester.purpose: 第三者の請求には請求の事由" in capsys.readouterr().err
    # 本人 who lives in another town: known to the 附票 by the 住民票コード its notice gave.
    with tenant_context(AIZU):
        take_in(
            notice_file(notice_line(**{"住民票コード": code(77), "氏名": "会津 次郎"})), file_name="n.csv"
        )
    assert main([*base, "--requester", "self", "--requester-juminhyo-code", code(77)]) == 0
    assert main([*base, "--requester", "self", "--requester-juminhyo-code", code(78)]) == 2
    assert f"requester.juminhyo_code: 請求者（住民票コード {code(78)}）" in capsys.readouterr().err
