"""``yakuba child support-allowance claim / status-reports / pay``: the whole cycle from the command
line — bad input one line naming the field (exit 2), an even 支払月 refused, the 全銀 file written
0600 with one data record per 受給者."""

from __future__ import annotations

import json
import stat

from tests.child_support_allowance import town
from tests.conftest import AIZU
from yakuba.cli import main

FULL = {"other_deductions": 50_000_000}
REQUESTER = ["payments", "requester", AIZU, "--code", "1234567890", "--name", "アイヅワカマツシ"]
REQUESTER += ["--bank", "0128", "--branch", "001", "--account-type", "1", "--account", "7654321"]


def test_claim_reports_and_pay_with_the_bank_file(aizu, system_actor, tmp_path, capsys):
    town.build()
    (parent, kids), (other, other_kids) = town.families(2)
    claim = tmp_path / "claim.json"
    claim.write_text(town.claim(parent, kids, **FULL).model_dump_json(), encoding="utf-8")
    assert main(["child", "support-allowance", "claim", AIZU, "--input", str(claim)]) == 0
    assert "支給開始 2025年7月、全部支給 月額" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({**json.loads(claim.read_text()), "claimant_atena_no": other, "children": ["x"]})
    )
    assert main(["child", "support-allowance", "claim", AIZU, "--input", str(bad)]) == 2
    assert "children[0]" in capsys.readouterr().err
    assert main(["child", "support-allowance", "status-reports", AIZU, "--year", "2025"]) == 0
    assert "1 件を開きました（未提出 1 件）" in capsys.readouterr().out
    assert main(["child", "support-allowance", "pay", AIZU, "--month", "2025-10"]) == 2
    assert "奇数月" in capsys.readouterr().err
    assert main(REQUESTER) == 0
    out = tmp_path / "zengin.txt"
    assert main(["child", "support-allowance", "pay", AIZU, "--month", "2025-09", "--file", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2025年9月支払" in printed and "1 件" in printed
    records = out.read_bytes().split(b"\r\n")[:-1]
    assert [r[:1] for r in records] == [b"1", b"2", b"8", b"9"] and all(len(r) == 120 for r in records)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_follow_says_what_it_read(aizu, capsys):
    assert main(["child", "support-allowance", "follow", AIZU]) == 0
    assert "消滅 0 件" in capsys.readouterr().out
    assert main(["child", "support-allowance", "follow", "999999"]) == 2
