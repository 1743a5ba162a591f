"""``yakuba child support-allowance calculate --input FILE.json``: the 児童扶養手当 monthly
amounts (contract §3, §9.6; no database). The ``child`` group is shared with 児童手当."""

from __future__ import annotations


def register(sub, lg_code_type) -> None:
    from yakuba.platform import calculations
    from yakuba.platform.cli_support import group

    child = group(sub, "child", "子ども（児童手当・児童扶養手当）", metavar="AREA")
    calculations.add_command(
        group(child, "support-allowance", "児童扶養手当"),
        "児童扶養手当の手当月額",
        "§9.6",
        "yakuba.child_support_allowance.services",
        "SupportAllowanceIn",
        "calculate_support_allowance",
    )
