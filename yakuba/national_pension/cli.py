"""``yakuba insurance nenkin exemption --input FILE.json``: the 国民年金保険料 免除・納付猶予
judgement (contract §3; no database); ``yakuba insurance nenkin entrants LG --date D``: the
residents who reach 20 that day. The ``insurance`` group is shared with the other insurance apps."""

from __future__ import annotations

import sys


def _cmd_entrants(args) -> int:
    """The day's 20歳到達 as CSV (stdout or ``--out``), with their count on stderr."""
    from yakuba.national_pension.services import entrants_csv, entrants_on
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        found = entrants_on(args.date)
    body = entrants_csv(found)
    if args.out:
        args.out.write_bytes(body)
    else:
        sys.stdout.buffer.write(body)
    print(f"{args.date.isoformat()} に20歳に達する方（資格取得の候補）: {len(found):,} 人", file=sys.stderr)
    return 0


def register(sub, lg_code_type) -> None:
    from pathlib import Path

    from yakuba.platform import calculations
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command, group

    insurance = group(sub, "insurance", "保険（国保・後期高齢者医療・介護保険）", metavar="AREA")
    nenkin = group(insurance, "nenkin", "国民年金（第1号被保険者）")
    calculations.add_command(
        nenkin,
        "国民年金保険料の免除・納付猶予・学生納付特例",
        "§9.4.2",
        "yakuba.national_pension.services",
        "ExemptionIn",
        "judge_exemption",
        name="exemption",
        verb="判定する",
    )
    p = command(
        nenkin,
        "entrants",
        "20歳到達（その日に第1号被保険者の資格を取得する候補）の一覧を CSV で出力",
        _cmd_entrants,
        lg_code_type,
    )
    p.add_argument(
        "--date", required=True, type=iso_date, metavar="YYYY-MM-DD", help="資格取得日（20歳の誕生日の前日）"
    )
    p.add_argument("--out", type=Path, metavar="FILE", help="出力先（省略時は標準出力）")
