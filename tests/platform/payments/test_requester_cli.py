"""``yakuba payments requester``: the 振込依頼人 set as versions (the latest tells, each audited),
shown back, checked as the file's header would be — one line naming the field, never a
traceback."""

from __future__ import annotations

from tests.conftest import AIZU
from yakuba.cli import main
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.payments.models import Requester
from yakuba.platform.tenancy.context import tenant_context

SET = [
    "payments",
    "requester",
    AIZU,
    "--code",
    "1234567890",
    "--name",
    "あいづわかまつし",
    "--bank",
    "0128",
    "--branch",
    "001",
    "--account-type",
    "1",
    "--account",
    "7654321",
]


def test_set_then_change_one_field_then_show(aizu, capsys):
    assert main(["payments", "requester", AIZU]) == 2
    assert "振込依頼人が設定されていません" in capsys.readouterr().err
    assert main(SET) == 0
    assert main(["payments", "requester", AIZU, "--pay-day", "15"]) == 0
    with tenant_context(AIZU):
        assert [(r.requester_code, r.pay_day) for r in Requester.objects.order_by("id")] == [
            ("1234567890", 10),
            ("1234567890", 15),
        ]
        assert AuditEntry.objects.filter(resource="payments.requester").count() == 2
    capsys.readouterr()
    assert main(["payments", "requester", AIZU]) == 0
    out = capsys.readouterr().out
    assert "依頼人名: あいづわかまつし" in out and "毎月15日" in out


def test_bad_values_are_one_line(aizu, capsys):
    assert main(["payments", "requester", AIZU, "--code", "1"]) == 2
    assert "--name" in capsys.readouterr().err
    assert main([*SET[:6], "会津若松市", *SET[7:]]) == 2
    assert "依頼人名「会津若松市」に全銀ファイルで使えない文字「会」" in capsys.readouterr().err
    assert main([*SET, "--pay-day", "31"]) == 2
    assert "1〜28日" in capsys.readouterr().err
    with tenant_context(AIZU):
        assert not Requester.objects.exists()
