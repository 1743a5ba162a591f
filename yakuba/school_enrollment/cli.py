"""``yakuba school roll LG_CODE --entry-year YYYY [--as-of DATE] [--format json|csv] [--out FILE]``:
the 学齢簿 on stdout or in a file (contract "学齢簿 JSON"; docs/school_enrollment.md).

The read is one indexed query however large the town (the cohort's birth dates), so there is no
progress to show: a roll of a 1,000,000-resident town is written at once. The operator's command
sees no protected person's address (services/roll.py)."""

from __future__ import annotations

import sys

from yakuba.platform.errors import CliError


def _emit(body: str, out: str | None) -> None:
    """Write the roll to ``--out`` (a private file: personal data), or to stdout."""
    if not out:
        sys.stdout.buffer.write(body.encode())
        sys.stdout.flush()
        return
    from yakuba.platform.private_files import open_private

    try:
        with open_private(out, encoding="utf-8") as fh:
            fh.write(body)
    except OSError as exc:
        raise CliError(f"ファイルに書けません: {out}（{exc.strerror}）") from None
    print(f"{out} に出力しました", file=sys.stderr)


def _cmd_roll(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.school_enrollment.services import roll

    try:
        roll.check_entry_year(args.entry_year)
    except roll.BadRequest as exc:
        raise CliError(f"--entry-year: {exc}") from None
    with tenant_command(args.lg_code):
        made = roll.school_roll(args.lg_code, args.entry_year, as_of=args.as_of, output=args.format)
        _emit(roll.roll_text(made, args.format), args.out)  # in the transaction: no file, no audit row
    return 0


def register(sub, lg_code_type) -> None:
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command, group

    actions = group(sub, "school", "就学（学齢簿）")
    p = command(actions, "roll", "学齢簿（YYYY年4月1日に小学校へ入学する子ども）", _cmd_roll, lg_code_type)
    p.add_argument("--entry-year", required=True, type=int, metavar="YYYY", help="入学する年（4月1日の年）")
    p.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="基準日（YYYY-MM-DD、省略時は今日。施行規則第31条では10月1日）",
    )
    p.add_argument(
        "--format",
        choices=("json", "csv"),
        default="json",
        help="出力形式（json: 契約どおり、csv: BOM 付き UTF-8）",
    )
    p.add_argument("--out", metavar="FILE", help="出力先（省略時は標準出力）")
