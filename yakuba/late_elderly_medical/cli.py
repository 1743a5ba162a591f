"""``yakuba insurance kouki calculate --input FILE.json``: the 後期高齢者医療保険料 (contract §3;
no database); ``follow`` and ``age-events``: 資格 from the registry (linkage.consumer_cli). The ``insurance`` group is shared with the other insurance apps.
``follow`` and ``age-events``: 資格 from the registry (``linkage.consumer_cli``, shared with the other
app on the same machinery)."""

from __future__ import annotations


def register(sub, lg_code_type) -> None:
    from yakuba.platform import calculations
    from yakuba.platform.cli_support import group
    from yakuba.platform.linkage.consumer_cli import Words, add_commands

    insurance = group(sub, "insurance", "保険（国保・後期高齢者医療・介護保険）", metavar="AREA")
    kouki = group(insurance, "kouki", "後期高齢者医療")
    calculations.add_command(
        kouki,
        "後期高齢者医療保険料",
        "§9.4",
        "yakuba.late_elderly_medical.services",
        "KoukiIn",
        "calculate_kouki",
    )
    add_commands(kouki, lg_code_type, Words("yakuba.late_elderly_medical.services", "後期高齢者医療", 75))
