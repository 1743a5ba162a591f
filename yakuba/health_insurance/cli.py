"""``yakuba insurance kokuho …``: the 国民健康保険税/料 calculation (contract §3: no database)."""

from __future__ import annotations


def _cmd_calculate(args) -> int:
    from yakuba.health_insurance.services import KokuhoIn, calculate_kokuho
    from yakuba.platform.calculations import run_command

    return run_command(args.input, KokuhoIn, calculate_kokuho)


def register(sub, lg_code_type) -> None:
    from yakuba.platform.cli_support import command, group

    # The group is shared with the other insurance apps (後期高齢者医療, 介護保険 …).
    insurance = group(sub, "insurance", "保険（国民健康保険・後期高齢者医療ほか）", metavar="INSURANCE")
    kokuho = group(insurance, "kokuho", "国民健康保険税（料）")
    p = command(
        kokuho,
        "calculate",
        "1世帯・1年度の国民健康保険税（料）を計算する（JSON を入力、結果を JSON で出力。データベース不要）",
        _cmd_calculate,
    )
    p.add_argument(
        "--input", required=True, metavar="FILE.json", help="計算の入力（docs/reference/contract.md §9.3）"
    )
    p.set_defaults(needs_db=False)
