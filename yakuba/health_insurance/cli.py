"""``yakuba insurance kokuho …``: the 国民健康保険税/料 calculation (contract §3: no database)."""

from __future__ import annotations


def register(sub, lg_code_type) -> None:
    from yakuba.platform import calculations
    from yakuba.platform.cli_support import group

    # The group is shared with the other insurance apps (後期高齢者医療, 介護保険 …).
    insurance = group(sub, "insurance", "保険（国保・後期高齢者医療・介護保険）", metavar="AREA")
    kokuho = group(insurance, "kokuho", "国民健康保険税（料）")
    calculations.add_command(
        kokuho,
        "1世帯・1年度の国民健康保険税（料）",
        "§9.3",
        "yakuba.health_insurance.services",
        "KokuhoIn",
        "calculate_kokuho",
    )
