"""``yakuba insurance kouki …``: ``calculate`` the 後期高齢者医療保険料 (contract §3; no database);
``follow`` and ``age-events``: 資格 from the registry (``linkage.consumer_cli``, shared with the
other app on the same machinery); ``export``, ``import`` and ``verify``: the files exchanged with
the 広域連合 (contract §3.1, #kouki-files). The ``insurance`` group is shared with the other
insurance apps."""

from __future__ import annotations

import sys

from yakuba.platform.errors import EXIT_FAILURE


def _cmd_export(args) -> int:
    """被保険者異動 (since the last file) or 所得 (for the 賦課 of ``--year``) with a progress bar."""
    from tqdm import tqdm

    from yakuba.late_elderly_medical import services
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError

    if args.kind == "shotoku" and args.year is None:
        raise CliError("所得ファイルには --year（年度）を指定してください")
    try:
        with tenant_command(args.lg_code):
            if args.kind == "idou":
                with tqdm(unit="件", desc="被保険者異動", disable=None) as bar:
                    done = services.export_idou(args.out, encoding=args.encoding, progress=bar.update)
                print(
                    f"{args.out}: 被保険者異動 {done.rows:,} 件（資格の記録 {done.after_id + 1}〜{done.through_id}）"
                )
            else:
                total = services.count_walk(args.year)
                with tqdm(total=total, unit="人", desc=f"{args.year}年度 所得", disable=None) as bar:
                    done = services.export_shotoku(
                        args.out, args.year, encoding=args.encoding, progress=bar.update
                    )
                print(f"{args.out}: {args.year}年度の所得 {done.rows:,} 人（被保険者とその世帯員）")
    except services.ExchangeRejected as exc:
        raise CliError(str(exc)) from None
    return 0


def _cmd_exports(args) -> int:
    """The files sent to the 広域連合, newest first: the range the next 異動 file starts after."""
    from django.utils import timezone

    from yakuba.late_elderly_medical import services
    from yakuba.late_elderly_medical.codes import ExportKind
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        done = services.exports(args.limit)
    print("作成日時\t種類\t範囲\t行数\tファイル\t作成者")
    for e in done:
        scope = (
            f"資格の記録 {e.after_id + 1}〜{e.through_id}"
            if e.kind == ExportKind.IDOU
            else f"{e.fiscal_year}年度"
        )
        when = timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M")
        print(f"{when}\t{ExportKind(e.kind).label}\t{scope}\t{e.rows:,}\t{e.file_name}\t{e.created_by}")
    return 0


def _cmd_import(args) -> int:
    """The 広域連合's 賦課結果: every bad line named on stderr, nothing written, exit 1 (a
    rejected import file, as every import: contract §3.2)."""
    import os

    from yakuba.late_elderly_medical import services
    from yakuba.platform.cli_support import read_input, tenant_command

    data = read_input(args.file)
    try:
        lines = services.read_premiums(data, encoding=args.encoding)
        with tenant_command(args.lg_code):
            received = services.load_premiums(lines, file_name=os.path.basename(args.file), data=data)
    except services.PremiumsRejected as exc:
        for issue in exc.issues:
            print(f"{args.file}: {issue}", file=sys.stderr)
        print(f"{args.file}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    print(
        f"{args.file}: {received.fiscal_year}年度の賦課結果 {received.rows:,} 人を取り込みました"
        f"（徴収方法を判定した方 {received.decided_by_rule:,} 人）"
    )
    return 0


def _cmd_verify(args) -> int:
    """Recompute the 広域連合's premiums; one line per difference (TSV), exit 1 if any line."""
    import json
    from pathlib import Path

    from tqdm import tqdm

    from yakuba.late_elderly_medical import services
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError

    rates = None
    if args.rates:
        try:
            rates = json.loads(Path(args.rates).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CliError(f"{args.rates}: {exc}") from None
    try:
        with tenant_command(args.lg_code):
            total = services.count_walk(args.year)
            with tqdm(total=total, unit="人", desc=f"{args.year}年度 検算", disable=None) as bar:
                result = services.verify(args.year, rates=rates, progress=bar.update, workers=args.workers)
    except (services.VerifyRejected, services.ExchangeRejected) as exc:
        raise CliError(str(exc)) from None
    print("宛名番号\t項目\t広域連合\t検算")
    for d in result.differences:
        print(f"{d.atena_no}\t{d.column}\t{d.theirs}\t{d.ours}")
    for atena_no in result.not_insured_on_day:
        print(f"{atena_no}\t検算\t賦課あり\t4月1日の被保険者ではない（年度途中の取得は月割）")
    for atena_no in result.not_received:
        print(f"{atena_no}\t検算\t賦課なし\t4月1日の被保険者")
    people = len({d.atena_no for d in result.differences})
    print(
        f"{args.year}年度: 検算 {result.checked:,} 人、一致 {result.same:,} 人、相違 {people:,} 人"
        f"（4月1日の被保険者でない方 {len(result.not_insured_on_day):,} 人、賦課結果のない方 {len(result.not_received):,} 人）",
        file=sys.stderr,
    )
    listed = result.differences or result.not_insured_on_day or result.not_received
    return EXIT_FAILURE if listed else 0


def register(sub, lg_code_type) -> None:
    from yakuba.platform import calculations
    from yakuba.platform.argtypes import positive_int
    from yakuba.platform.cli_support import command, group, workers_argument
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
    encodings = {
        "choices": ("cp932", "utf-8"),
        "default": "cp932",
        "help": "文字コード（既定: cp932 = Shift_JIS）",
    }
    p = command(
        kouki, "export", "広域連合へのファイル（被保険者異動・所得）を作成", _cmd_export, lg_code_type
    )
    p.add_argument(
        "--kind", required=True, choices=("idou", "shotoku"), help="idou: 被保険者異動、shotoku: 所得"
    )
    p.add_argument("--year", type=int, metavar="YYYY", help="所得: 賦課の年度（西暦）")
    p.add_argument("--out", required=True, metavar="FILE.csv", help="出力先")
    p.add_argument("--encoding", **encodings)
    p = command(kouki, "exports", "広域連合へ作成したファイルの一覧（新しい順）", _cmd_exports, lg_code_type)
    p.add_argument("--limit", type=positive_int, default=50, metavar="N", help="表示する件数（既定 50）")
    p = command(
        kouki,
        "import",
        "広域連合の賦課結果ファイルを取り込む（全行を検査、誤りがあれば何も書かない）",
        _cmd_import,
        lg_code_type,
    )
    p.add_argument("--file", required=True, metavar="FILE.csv", help="賦課結果ファイル")
    p.add_argument("--encoding", **encodings)
    p = command(kouki, "verify", "取り込んだ賦課結果を検算し、相違を一覧にする", _cmd_verify, lg_code_type)
    p.add_argument("--year", required=True, type=int, metavar="YYYY", help="年度（西暦）")
    p.add_argument(
        "--rates", metavar="FILE.json", help="広域連合の保険料率（契約 §9.4 の rates。省略時は登録済みの率）"
    )
    workers_argument(p)
