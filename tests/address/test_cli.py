"""``yakuba address …``: loads from the shell, one line per bad input, nothing half-written."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from yakuba.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_list_and_postal(capsys, tmp_path, aizu):
    good = tmp_path / "machiaza.csv"
    good.write_bytes("町字,町字カナ,郵便番号\n東栄町,ヒガシサカエマチ,9650872\n".encode("cp932"))
    code, out, _err = _run(capsys, "address", "import", AIZU, str(good), "--encoding", "cp932")
    assert code == 0 and "追加 1、変更 0、廃止 0、変更なし 0" in out
    code, out, _err = _run(capsys, "address", "load-postal", AIZU)
    assert code == 0 and "郵便番号データから町字" in out and "登録済み" in out
    code, out, err = _run(capsys, "address", "list", AIZU, "--q", "東栄")
    assert code == 0 and out.splitlines() == ["東栄町\tヒガシサカエマチ\t9650872"] and err.strip() == "1 件"


def test_a_bad_file_is_refused_line_by_line(capsys, tmp_path, aizu):
    bad = tmp_path / "bad.csv"
    bad.write_text("町字,郵便番号\n新町,12\n", encoding="utf-8")
    code, out, err = _run(capsys, "address", "import", AIZU, str(bad))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{bad}: 2行目 郵便番号: 郵便番号は7桁の数字です: 12",
        f"{bad}: 1 件の誤りがあるため取り込みませんでした",
    ]
    code, out, _err = _run(capsys, "address", "list", AIZU)
    assert out == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("address", "import", AIZU, "/nonexistent.csv"), "ファイルを読めません: /nonexistent.csv"),
        (("address", "load-postal", "131016"), "団体コード 131016 はこのシステムに登録されていません"),
    ],
)
def test_bad_input_is_one_line(capsys, aizu, argv, message):
    code, _out, err = _run(capsys, *argv)
    assert code == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and message in err
