"""``yakuba child allowance calculate --input FILE.json``: the month's 児童手当 (contract §3,
§9.5; no database). The ``child`` group is shared with the 児童扶養手当 app."""

from __future__ import annotations


def register(sub, lg_code_type) -> None:
    from yakuba.platform import calculations
    from yakuba.platform.cli_support import group

    child = group(sub, "child", "子ども（児童手当・児童扶養手当）", metavar="AREA")
    allowance = group(child, "allowance", "児童手当")
    calculations.add_command(
        allowance,
        "児童手当の月額",
        "§9.5",
        "yakuba.child_allowance.services",
        "AllowanceIn",
        "calculate_allowance",
    )
    from yakuba.child_allowance import payments_cli

    payments_cli.register(allowance, lg_code_type)
