"""``yakuba school notices LG_CODE --entry-year YYYY --kind health-check|enrolment --out DIR
[--atena NO]``: the 就学時健康診断 notices or the 就学通知 of a cohort, one PDF per child (one
envelope) in DIR, named so that the files sort in 宛名番号 order. Pages of the batch are read in a
transaction each (one audit row per page), rendered outside it, with a progress bar. A child under
支援措置 is never written for the print shop: the command names them for the counter."""

from __future__ import annotations

import sys


def _cmd_notices(args) -> int:
    from tqdm import tqdm

    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.platform.print_batch import out_dir, print_pages, write
    from yakuba.registry import services as registry
    from yakuba.school_enrollment.services import notices

    out = out_dir(args.out)
    try:
        notices.check_kind(args.kind)
        if args.atena:
            with tenant_command(args.lg_code):
                body, name = notices.notice_of(
                    args.kind, args.atena, visibility=registry.Visibility(protected=True)
                )
            write(out, name, body)
            print(f"{out / name} に出力しました")
            return 0
    except notices.NoticeRefused as exc:
        raise CliError(str(exc)) from None
    with tenant_command(args.lg_code):
        total = notices.to_print(args.entry_year)
        warning = notices.late_warning(args.kind, args.entry_year)
    if warning:
        print(warning, file=sys.stderr)
    if not total:
        raise CliError(
            f"{args.entry_year}年入学の学齢簿がありません（yakuba school generate の後に実行してください）"
        )
    with tqdm(total=total, unit="人", desc=notices.KINDS[args.kind], disable=None) as bar:
        written = print_pages(
            args.lg_code,
            out,
            bar,
            lambda after: notices.notices_page(args.kind, args.entry_year, after=after),
            notices.render,
            args.workers,
            at_counter="窓口で --atena を指定して個別に作成してください",
        )
    print(f"{notices.KINDS[args.kind]}: {written:,} 人分 → {out}")
    return 0


def register(actions, lg_code_type) -> None:
    from yakuba.platform.cli_support import command, workers_argument

    p = command(
        actions, "notices", "就学時健康診断の通知・就学通知（1人1ファイルの PDF）", _cmd_notices, lg_code_type
    )
    p.add_argument("--entry-year", required=True, type=int, metavar="YYYY", help="入学する年（4月1日の年）")
    p.add_argument(
        "--kind",
        required=True,
        choices=("health-check", "enrolment"),
        help="health-check: 就学時健康診断、enrolment: 就学通知",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="出力先のディレクトリ")
    p.add_argument("--atena", metavar="NO", help="この子どもの分だけ作成（支援措置対象者・健診後の転入）")
    workers_argument(p)
