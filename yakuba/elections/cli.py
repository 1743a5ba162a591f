"""``yakuba elections register LG_CODE --kind teiji|election --kijun-date D [--election-day E]``
(定時登録 or 選挙時登録), ``yakuba elections roll LG_CODE --as-of D [--format json|csv] [--out
FILE]`` (the roll, contract §9.7) and ``yakuba elections precincts load|show`` (投票区 by address)
— docs/elections.md."""

from __future__ import annotations

import sys

from yakuba.platform.errors import CliError


def _cmd_register(args) -> int:
    from yakuba.elections import services
    from yakuba.platform.cli_support import tenant_command

    try:
        with tenant_command(args.lg_code):
            run = services.register(args.kind, args.kijun_date, args.election_day)
    except services.RegisterRefused as exc:
        raise CliError(str(exc).replace("\n", "; ")) from None
    print(
        f"{run.get_kind_display()}（基準日 {run.kijun}、登録日 {run.registered_on}、年齢期限日 {run.age_deadline}）:"
        f" 登録 {run.added:,} 人、表示 {run.marked:,} 人、抹消 {run.struck_off:,} 人"
    )
    return 0


def _cmd_roll(args) -> int:
    from yakuba.elections import services
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.private_files import open_private

    with tenant_command(args.lg_code):
        body = services.roll_text(services.roll(args.lg_code, args.as_of, output=args.format), args.format)
        if args.out is None:
            sys.stdout.buffer.write(body.encode())
            return 0
        # A private file (personal data), written in the transaction: no file, no audit row.
        try:
            with open_private(args.out, encoding="utf-8") as fh:
                fh.write(body)
        except OSError as exc:
            raise CliError(f"--out: ファイルに書けません: {args.out}（{exc.strerror}）") from None
    print(f"選挙人名簿（{args.as_of}）を {args.out} に出力しました", file=sys.stderr)
    return 0


def _cmd_precincts_load(args) -> int:
    from yakuba.elections.services import precincts
    from yakuba.platform.cli_support import read_input, tenant_command
    from yakuba.platform.errors import EXIT_FAILURE

    data = read_input(args.file)
    try:
        with tenant_command(args.lg_code):
            loaded = precincts.load(data, args.effective_from, args.notice)
    except precincts.RangeFileRejected as exc:
        for error in exc.errors:
            print(f"{args.file}: {error}", file=sys.stderr)
        return EXIT_FAILURE
    print(
        f"{args.file} を取り込みました（施行日 {args.effective_from}）: {loaded.lines:,} 行、"
        f"投票区 {loaded.precincts:,}、投票区を変更した選挙人 {loaded.moved:,} 人、"
        f"投票区が決まらない選挙人 {loaded.unplaced:,} 人"
    )
    return 0


def _cmd_precincts_show(args) -> int:
    from django.utils import timezone

    from yakuba.elections.services import precincts
    from yakuba.platform.cli_support import tenant_command

    on = args.on or timezone.localdate()
    with tenant_command(args.lg_code):
        shown = precincts.show(on)
    if shown.effective_from is None:
        print(f"{on} に施行中の投票区の告示はありません（全域が {precincts.SINGLE}）")
    else:
        print(f"施行日 {shown.effective_from} {shown.notice}".rstrip())
    for p in shown.precincts:
        print(f"{p['code']} {p['name']} {p['polling_place']}".strip())
        for line in p["lines"]:
            print(f"  {line['line']}行目 {line['town_area']} {line['from_no']}〜{line['to_no']}")
    if shown.unplaced:
        print(f"投票区が決まらない選挙人（住所がどの行にも当たらない）: {len(shown.unplaced):,} 人")
        for atena_no in shown.unplaced:
            print(f"  {atena_no}")
    return 0


def _cmd_suffrage(args) -> int:
    from yakuba.elections.codes import Status
    from yakuba.elections.services import suffrage
    from yakuba.platform.cli_support import tenant_command

    try:
        with tenant_command(args.lg_code):
            if args.suffrage_action == "mark":
                suffrage.mark(args.atena_no, args.on, args.reason)
            else:
                suffrage.restore(args.atena_no, args.on)
    except suffrage.SuffrageRefused as exc:
        raise CliError("; ".join(f"{OPTION.get(f, f)}: {m}" for f, m in exc.errors)) from None
    done = Status.MARKED_LOST_SUFFRAGE.label if args.suffrage_action == "mark" else "表示の消除"
    print(f"{args.atena_no}: {args.on} から{done}")
    return 0


OPTION = {"atena_no": "ATENA_NO", "on": "--on", "reason": "--reason"}


def _follow(lg_code: str, *, progress=None):
    from yakuba.elections.services.follow import follow

    return follow(lg_code, progress=progress)


def register(sub, lg_code_type) -> None:
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command, group
    from yakuba.platform.linkage.consumer_cli import add_follow

    actions = group(sub, "elections", "選挙人名簿")
    add_follow(
        actions,
        lg_code_type,
        _follow,
        label="選挙人名簿（住民記録の異動）",
        changes="表示・抹消・投票区の変更・転出者",
        help="住民記録の異動を選挙人名簿に反映（転出→表示、死亡→抹消、転居→投票区。中断しても再実行で続きから）",
    )
    p = command(
        actions,
        "register",
        "定時登録または選挙時登録（住民記録の基準日の状態から）",
        _cmd_register,
        lg_code_type,
    )
    p.add_argument(
        "--kind", required=True, choices=("teiji", "election"), help="teiji: 定時登録、election: 選挙時登録"
    )
    p.add_argument("--kijun-date", required=True, type=iso_date, metavar="DATE", help="基準日（YYYY-MM-DD）")
    p.add_argument(
        "--election-day",
        type=iso_date,
        metavar="DATE",
        help="選挙期日（選挙時登録では必須。定時登録では基準日が選挙期間中のとき）",
    )
    p = command(actions, "roll", "選挙人名簿（指定日の状態）", _cmd_roll, lg_code_type)
    p.add_argument("--as-of", required=True, type=iso_date, metavar="DATE", help="基準とする日（YYYY-MM-DD）")
    p.add_argument(
        "--format",
        choices=("json", "csv"),
        default="json",
        help="出力形式（json: 契約どおり、csv: BOM 付き UTF-8）",
    )
    p.add_argument("--out", metavar="FILE", help="出力先（省略時は標準出力）")
    from yakuba.elections.codes import LostSuffrage

    suffrage_actions = group(
        actions, "suffrage", "選挙権を有しない旨の表示（第27条第1項）", dest="suffrage_action"
    )
    p = command(suffrage_actions, "mark", "選挙権を有しない旨の表示をする", _cmd_suffrage, lg_code_type)
    p.add_argument("atena_no", metavar="ATENA_NO", help="宛名番号")
    p.add_argument("--on", required=True, type=iso_date, metavar="DATE", help="表示の日（YYYY-MM-DD）")
    p.add_argument(
        "--reason",
        required=True,
        choices=LostSuffrage.values,
        help="; ".join(f"{c.value}: {c.label}" for c in LostSuffrage),
    )
    p = command(suffrage_actions, "restore", "表示を消除する（選挙権の回復）", _cmd_suffrage, lg_code_type)
    p.add_argument("atena_no", metavar="ATENA_NO", help="宛名番号")
    p.add_argument("--on", required=True, type=iso_date, metavar="DATE", help="消除の日（YYYY-MM-DD）")
    precinct_actions = group(actions, "precincts", "投票区（町字・番地の範囲）", dest="precincts_action")
    p = command(
        precinct_actions,
        "load",
        "投票区の告示を CSV から取り込む（町字,番地から,番地まで,投票区コード,投票区名[,投票所]。"
        "誤りが1つでもあれば何も取り込まない）",
        _cmd_precincts_load,
        lg_code_type,
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--effective-from", required=True, type=iso_date, metavar="DATE", help="施行日（YYYY-MM-DD）"
    )
    p.add_argument("--notice", default="", metavar="TEXT", help="告示（例: 令和8年選挙管理委員会告示第3号）")
    p = command(
        precinct_actions,
        "show",
        "施行中の投票区と、投票区が決まらない選挙人",
        _cmd_precincts_show,
        lg_code_type,
    )
    p.add_argument("--on", type=iso_date, metavar="DATE", help="基準とする日（省略時は今日）")
    from yakuba.elections import extract_cli

    extract_cli.add_commands(actions, lg_code_type)  # 抄本, 閲覧の状況, 選挙の期間
