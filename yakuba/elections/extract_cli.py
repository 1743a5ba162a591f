"""The 選管's file commands (docs/elections.md "抄本", "閲覧", "選挙の期間"), added to the
``yakuba elections`` group by ``cli.register`` through ``add_commands(actions, lg_code_type)``:

- ``elections extract LG --as-of D [--tohyoku NAME] [--format pdf|csv] [--for-viewing] --out FILE``
  — the 選挙人名簿抄本 (one section per 投票区); ``--out-dir DIR [--workers N]`` instead: one PDF
  per 投票区, rendered on forked workers (``platform.print_batch``);
- ``elections viewing-report LG --from D --to D --out FILE`` — the 閲覧の状況 to publish (CSV);
- ``elections period-add LG --name N --announced-on D --election-day D`` and ``elections periods
  LG`` — the elections fixed (the 閲覧 blackout reads them).

Files are private (personal data) and written inside the transaction: no file, no audit row.
"""

from __future__ import annotations

import sys

from yakuba.platform.errors import CliError


def _write(path: str, body: bytes) -> None:
    from yakuba.platform.private_files import write_private_bytes

    try:
        write_private_bytes(path, body)
    except OSError as exc:
        raise CliError(f"--out: ファイルに書けません: {path}（{exc.strerror}）") from None


def _cmd_extract(args) -> int:
    from yakuba.elections.services import extract
    from yakuba.platform.cli_support import tenant_command

    if args.out_dir is not None:
        return _extract_files(args)
    if args.out is None:
        raise CliError("--out: 出力先のファイル（または --out-dir）を指定してください")
    with tenant_command(args.lg_code):
        try:
            body, made = extract.print_extract(
                args.as_of, tohyoku=args.tohyoku, output=args.format, for_viewing=args.for_viewing
            )
        except extract.ExtractRefused as exc:
            raise CliError(str(exc)) from None
        _write(args.out, body)
    kind = "閲覧用の" if args.for_viewing else ""
    print(
        f"{kind}選挙人名簿抄本（{args.as_of}、{len(made.sections)} 投票区、{made.count:,} 人）を {args.out} に出力しました",
        file=sys.stderr,
    )
    return 0


def _extract_files(args) -> int:
    """One PDF per 投票区 into a folder, rendered on ``--workers`` forked processes."""
    from tqdm import tqdm

    from yakuba.elections.services import extract
    from yakuba.platform.print_batch import out_dir, print_pages

    if args.tohyoku is not None or args.format != "pdf" or args.out is not None:
        raise CliError(
            "--out-dir: 投票区ごとの PDF です（--tohyoku、--format csv、--out とは併用できません）"
        )
    try:
        extract.check_day(args.as_of)
    except extract.ExtractRefused as exc:
        raise CliError(str(exc)) from None
    out = out_dir(args.out_dir)
    with tqdm(unit="投票区", desc=f"選挙人名簿抄本（{args.as_of}）", disable=None) as bar:
        written = print_pages(
            args.lg_code,
            out,
            bar,
            lambda after: extract.section_files(args.as_of, for_viewing=args.for_viewing, after=after),
            extract.render_section,
            args.workers,
        )
    print(f"選挙人名簿抄本（{args.as_of}）: {written:,} 投票区 → {out}", file=sys.stderr)
    return 0


def _cmd_viewing_report(args) -> int:
    from yakuba.elections.services import viewing
    from yakuba.platform.cli_support import tenant_command

    if args.to < args.start:
        raise CliError(f"--to: --from（{args.start}）より前の日です（{args.to}）")
    with tenant_command(args.lg_code):
        _write(args.out, viewing.published(args.start, args.to))
    print(f"閲覧の状況（{args.start}〜{args.to}）を {args.out} に出力しました", file=sys.stderr)
    return 0


def _cmd_period_add(args) -> int:
    from yakuba.elections.services import periods
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        try:
            added = periods.add_period(args.name, args.announced_on, args.election_day)
        except periods.PeriodRefused as refused:
            flags = {"name": "--name", "announced_on": "--announced-on", "election_day": "--election-day"}
            raise CliError("; ".join(f"{flags[f]}: {m}" for f, m in refused.errors)) from None
        others = [p for p in periods.overlapping(added.announced_on, added.election_day) if p != added]
    print(f"{added.name}（公示・告示日 {added.announced_on}、選挙期日 {added.election_day}）を登録しました")
    for p in others:
        print(f"  期間が重なる選挙: {p.name}（{p.announced_on}〜{p.election_day}）")
    return 0


def _cmd_periods(args) -> int:
    from yakuba.elections.services import periods
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        found = periods.periods()
    for p in found:
        print(f"{p.election_day}\t{p.announced_on}\t{p.blackout_until}\t{p.name}")
    if not found:
        print("登録された選挙はありません", file=sys.stderr)
    return 0


def add_commands(actions, lg_code_type) -> None:
    """Add the commands to the ``elections`` group's ``actions`` (called from ``cli.register``)."""
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command, workers_argument

    p = command(
        actions, "extract", "選挙人名簿抄本（投票区ごと。PDF または CSV）", _cmd_extract, lg_code_type
    )
    p.add_argument("--as-of", required=True, type=iso_date, metavar="DATE", help="基準とする日（YYYY-MM-DD）")
    p.add_argument("--tohyoku", metavar="NAME", help="投票区名（省略時はすべての投票区）")
    p.add_argument("--format", choices=("pdf", "csv"), default="pdf", help="出力形式（既定: pdf）")
    p.add_argument(
        "--for-viewing", action="store_true", help="閲覧用（支援措置の対象者を載せない。公職選挙法第28条の2）"
    )
    p.add_argument("--out", metavar="FILE", help="出力先のファイル")
    p.add_argument("--out-dir", metavar="DIR", help="投票区ごとの PDF を書き出すフォルダ（--out の代わりに）")
    workers_argument(p)
    p = command(
        actions,
        "viewing-report",
        "選挙人名簿抄本の閲覧の状況（公表用 CSV）",
        _cmd_viewing_report,
        lg_code_type,
    )
    p.add_argument("--from", dest="start", required=True, type=iso_date, metavar="DATE", help="閲覧日の始め")
    p.add_argument("--to", required=True, type=iso_date, metavar="DATE", help="閲覧日の終わり")
    p.add_argument("--out", required=True, metavar="FILE", help="出力先")
    p = command(
        actions, "period-add", "選挙（公示・告示日と選挙期日）を登録する", _cmd_period_add, lg_code_type
    )
    p.add_argument("--name", required=True, help="選挙の名称")
    p.add_argument("--announced-on", required=True, type=iso_date, metavar="DATE", help="公示・告示日")
    p.add_argument("--election-day", required=True, type=iso_date, metavar="DATE", help="選挙期日")
    command(
        actions,
        "periods",
        "登録された選挙（選挙期日、公示・告示日、閲覧できない最終日、名称）",
        _cmd_periods,
        lg_code_type,
    )
