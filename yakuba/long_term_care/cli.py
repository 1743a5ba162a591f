"""``yakuba insurance kaigo calculate --input FILE.json``: the 介護保険料 of a 第1号被保険者
(contract §3; no database). The ``insurance`` group is shared with the other insurance apps.
``follow`` and ``age-events``: 資格 from the registry (``linkage.consumer_cli``, shared with the other
app on the same machinery)."""

from __future__ import annotations


def register(sub, lg_code_type) -> None:
    from yakuba.platform import calculations
    from yakuba.platform.cli_support import group
    from yakuba.platform.linkage.consumer_cli import Words, add_commands

    insurance = group(sub, "insurance", "保険（国保・後期高齢者医療・介護保険）", metavar="AREA")
    kaigo = group(insurance, "kaigo", "介護保険（第1号被保険者）")
    calculations.add_command(
        kaigo,
        "介護保険料（保険料段階）と利用者負担割合",
        "§9.4.1",
        "yakuba.long_term_care.services",
        "KaigoIn",
        "calculate_kaigo",
    )
    add_commands(kaigo, lg_code_type, Words("yakuba.long_term_care.services", "介護保険", 65))
