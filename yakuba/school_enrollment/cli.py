"""``yakuba school roll LG_CODE --entry-year YYYY [--as-of DATE] [--format json|csv] [--out FILE]``:
the 学齢簿 on stdout or in a file (contract "学齢簿 JSON"; docs/school_enrollment.md). The kept
学齢簿: ``school generate`` (the yearly 編製), ``school follow`` (the registry's events),
``school schedule`` (the year's 健診 and 就学通知 dates), ``school notices`` (the PDFs) and
``import school-districts`` (the 通学区域 CSV).

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


def _cmd_generate(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.school_enrollment.services import book, roll

    try:
        roll.check_entry_year(args.entry_year)
    except roll.BadRequest as exc:
        raise CliError(f"--entry-year: {exc}") from None
    try:
        with tenant_command(args.lg_code):
            made = book.generate(args.entry_year, as_of=args.as_of)
    except book.GenerationRefused as exc:
        raise CliError(str(exc)) from None
    print(
        f"{args.entry_year}年入学の学齢簿を編製しました（基準日 {made.as_of}）: 記載 {made.added:,} 人、"
        f"義務教育修了で消除 {made.graduated:,} 人"
    )
    return 0


def _cmd_follow(args) -> int:
    """The registry's events into the 学齢簿 until caught up, with a progress bar."""
    from tqdm import tqdm

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command
    from yakuba.school_enrollment.services import follow

    with tenant_command(args.lg_code):
        pass  # an unregistered municipality stops here with its message
    with bind_actor(SYSTEM), tqdm(unit="件", desc="学齢簿（住民記録の異動）", disable=None) as bar:
        done = follow.follow(args.lg_code, progress=bar.update)
    print(f"処理したイベント: 累計 {done.total:,} 件（学齢簿の変更 {done.changes:,} 件）")
    return 0


def _cmd_schedule(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.school_enrollment.services import schedule

    try:
        with tenant_command(args.lg_code):
            schedule.apply_schedule(args.entry_year, args.health_check, args.notice)
    except schedule.BadSchedule as exc:
        raise CliError(
            "; ".join(f"--{f.removesuffix('_on').replace('_', '-')}: {m}" for f, m in exc.errors)
        ) from None
    print(f"{args.entry_year}年入学: 就学時健康診断 {args.health_check}、就学通知の発送 {args.notice}")
    return 0


def _cmd_import_districts(args) -> int:
    from yakuba.platform.cli_support import read_input, tenant_command
    from yakuba.platform.errors import EXIT_FAILURE
    from yakuba.school_enrollment.services import districts

    data = read_input(args.file)
    try:
        with tenant_command(args.lg_code):
            loaded = districts.load(data)
    except districts.DistrictFileRejected as exc:
        for error in exc.errors:
            print(f"{args.file}: {error}", file=sys.stderr)
        return EXIT_FAILURE
    print(
        f"{args.file} を取り込みました: 通学区域 {loaded.lines:,} 行、学校 {loaded.schools:,} 校、"
        f"指定学校を設定し直した学齢簿 {loaded.entries:,} 人"
    )
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

    p = command(
        actions, "generate", "学齢簿の編製（毎年、翌年4月1日に入学する子ども）", _cmd_generate, lg_code_type
    )
    p.add_argument("--entry-year", required=True, type=int, metavar="YYYY", help="入学する年（4月1日の年）")
    p.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="基準日（YYYY-MM-DD、省略時は前年10月1日: 施行規則第31条）",
    )
    command(
        actions, "follow", "住民記録の異動を学齢簿に反映（転入・転出・転居・死亡）", _cmd_follow, lg_code_type
    )
    p = command(actions, "schedule", "就学時健康診断の日と就学通知の発送日", _cmd_schedule, lg_code_type)
    p.add_argument("--entry-year", required=True, type=int, metavar="YYYY", help="入学する年（4月1日の年）")
    p.add_argument(
        "--health-check",
        required=True,
        type=iso_date,
        metavar="DATE",
        help="就学時健康診断の日（11月30日まで）",
    )
    p.add_argument(
        "--notice", required=True, type=iso_date, metavar="DATE", help="就学通知の発送日（1月31日まで）"
    )
    from yakuba.school_enrollment import notices_cli

    notices_cli.register(actions, lg_code_type)

    isub = group(sub, "import", dest="what", metavar="WHAT")
    p = command(
        isub,
        "school-districts",
        "通学区域 CSV を取り込む（町字・番地の範囲 → 小学校・中学校。誤りが1つでもあれば何も取り込まない）",
        _cmd_import_districts,
        lg_code_type,
    )
    p.add_argument("file", metavar="FILE")
