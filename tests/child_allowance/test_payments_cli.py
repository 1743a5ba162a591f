"""``yakuba child allowance pay``: the run with its totals and checksum, the 全銀 file with the
trailer's count and sum, a name the bank cannot read refused naming the payee with no file left,
an odd month refused — one line each, never a traceback."""

from __future__ import annotations

from datetime import date

from tests.child_allowance.test_payments import entitlement
from tests.conftest import AIZU
from tests.platform.payments.test_requester_cli import SET as REQUESTER
from yakuba.child_allowance.models import Entitlement
from yakuba.cli import main
from yakuba.platform.tenancy.context import tenant_context


def test_pay_writes_the_transfer_file(aizu, tmp_path, capsys):
    with tenant_context(AIZU):
        entitlement("100000000000001", date(2026, 10, 1), **{"2026-10": 10000, "2026-11": 25000})
        entitlement("100000000000002", date(2026, 10, 1), **{"2026-10": 15000})
    assert main([*REQUESTER, "--pay-day", "12"]) == 0
    assert main(["child", "allowance", "pay", AIZU, "--month", "2026-12", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2026年12月支払（支払日 2026-12-11）: 2 件 65,000 円" in out  # the 12th is a Saturday
    written = tmp_path / "児童手当_総合振込_2026-12.txt"
    assert written.stat().st_mode & 0o777 == 0o600  # every payee's 口座: the owner's only
    records = written.read_bytes().split(b"\r\n")
    assert [r[:1] for r in records] == [b"1", b"2", b"2", b"8", b"9", b""]
    assert records[0][:14] == b"1210" + b"1234567890" and records[0][54:58] == b"1211"
    assert records[3][:19] == b"8000002000000065000"
    assert not list(tmp_path.glob("*.part"))


def test_a_name_the_bank_cannot_read_leaves_no_file(aizu, tmp_path, capsys):
    with tenant_context(AIZU):
        entitlement("100000000000003", date(2026, 4, 1), **{"2026-04": 10000})
        Entitlement.objects.update(account_holder_kana="山田")
    assert main(REQUESTER) == 0
    assert main(["child", "allowance", "pay", AIZU, "--month", "2026-12", "--out", str(tmp_path)]) == 2
    assert "宛名番号 100000000000003" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_a_pay_day_already_past_is_said(aizu, capsys):
    assert main(["child", "allowance", "pay", AIZU, "--month", "2026-10"]) == 0
    assert "支払日 2026-10-09 は過ぎています" in capsys.readouterr().err  # today: 2026-12 or later


def test_an_odd_month_or_a_bad_month_is_one_line(aizu, capsys):
    assert main(["child", "allowance", "pay", AIZU, "--month", "2026-11"]) == 2
    assert "偶数月" in capsys.readouterr().err
    assert main(["child", "allowance", "pay", AIZU, "--month", "2026-13"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
