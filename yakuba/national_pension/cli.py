"""``yakuba insurance nenkin exemption --input FILE.json``: the 国民年金保険料 免除・納付猶予
judgement (contract §3; no database). The ``insurance`` group is shared with the other insurance apps."""

from __future__ import annotations


def register(sub, lg_code_type) -> None:
    from yakuba.platform import calculations
    from yakuba.platform.cli_support import group

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
