"""``yakuba registry …`` subcommands (batch work an operator may run by hand)."""

from __future__ import annotations

from yakuba.platform.argtypes import add_encoding_argument, iso_date
from yakuba.platform.cli_support import command, group
from yakuba.platform.errors import CliError


def _cmd_archive(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.registry.services.archive import archive_removed

    with tenant_command(args.lg_code):
        moved = archive_removed()
    print(f"5年を経過した除票 {moved} 件を除票保存領域へ移しました")
    return 0


def _cmd_load_codes(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.registry import numbering

    try:
        with open(args.file, encoding="utf-8") as fh:
            codes = [line.strip() for line in fh if line.strip()]
    except OSError as exc:
        raise CliError(f"ファイルを読めません: {args.file}（{exc.strerror}）") from None
    with tenant_command(args.lg_code):
        added, rejected = numbering.load_juminhyo_codes(codes)
        remaining = numbering.pool_remaining()
    for line in rejected:
        print(f"除外: {line}")
    print(f"住民票コード {added} 件を登録しました（未使用 {remaining} 件）")
    return 0


def _cmd_rotate(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.crypto import CryptoError
    from yakuba.registry.services.keys import rotate_my_number_keys

    try:
        with tenant_command(args.lg_code):
            rotated = rotate_my_number_keys()
    except CryptoError as exc:
        raise CliError(f"{exc}（YAKUBA_DATA_KEYS に古い鍵が残っているか確認してください）") from None
    print(f"個人番号を含む {rotated} 行（住民票・除票・履歴・イベント）を現在の鍵で暗号化し直しました")
    return 0


def _cmd_follow_koseki(args) -> int:
    from yakuba.platform.linkage.consumer_cli import follow_loop
    from yakuba.registry.services.koseki_follow import follow_koseki

    return follow_loop(args, follow_koseki, "住民記録（戸籍の届出）", "異動候補")


def _cmd_export(args) -> int:
    from django.conf import settings
    from tqdm import tqdm

    from yakuba.platform.audit.log import Action, record
    from yakuba.platform.cli_support import tenant_command
    from yakuba.registry.models import Resident, ResidentArchive
    from yakuba.registry.services.export import Unencodable, export_residents

    if args.include_protected and not args.reason:
        raise CliError("--include-protected には --reason（理由）が必要です（アクセスログに記録します）")
    try:
        with tenant_command(args.lg_code):
            total = Resident.objects.count() + ResidentArchive.objects.count()
            with tqdm(total=total, unit="人", desc="住民記録を出力", disable=None) as bar:
                written, left_out = export_residents(
                    args.file,
                    encoding=args.encoding,
                    as_of=args.as_of,
                    include_protected=args.include_protected,
                    include_my_number=settings.ZONE == "mynumber",
                    progress=bar.update,
                )
            record(
                Action.EXPORT,
                "resident",
                purpose=args.reason or "",
                detail={
                    "file": str(args.file),
                    "rows": written,
                    "left_out_protected": left_out,
                    "as_of": args.as_of.isoformat() if args.as_of else None,
                    "encoding": args.encoding,
                },
            )
    except Unencodable as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"ファイルに書けません: {args.file}（{exc.strerror}）") from None
    note = (
        f"（支援措置の対象 {left_out} 人は除外。含めるには --include-protected --reason）" if left_out else ""
    )
    print(f"{written:,} 人を {args.file} に出力しました{note}")
    return 0


class _CheckedOnly(Exception):
    """Raised inside the tenant transaction after ``--check`` so that nothing is kept."""


def _cmd_import(args) -> int:
    import sys

    from tqdm import tqdm

    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import EXIT_FAILURE
    from yakuba.registry.services.imports import ImportRejected, import_residents

    bar = None

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="B", unit_scale=True, desc="住民記録を読込み", disable=args.quiet)
        if stage == "読み込み":
            bar.update(done - bar.n)
        else:
            bar.set_description(f"住民記録を{stage}")

    def report(issue) -> None:
        print(issue, file=sys.stderr)

    try:
        with tenant_command(args.lg_code):
            summary = import_residents(
                args.file,
                encoding=args.encoding,
                report=report,
                check_only=args.check,
                progress=progress,
                allow_unlisted_addresses=args.allow_unlisted_addresses,
            )
            if args.check:
                raise _CheckedOnly
    except _CheckedOnly:
        print(
            f"{summary.rows:,} 行を検証しました。誤りはありません{_unlisted_note(summary, done=False)}"
            "（--check のため取り込んでいません）"
        )
        return 0
    except ImportRejected as exc:
        if bar is not None:
            bar.close()
        print(f"{args.file}: {exc}", file=sys.stderr)
        if exc.unlisted_addresses:
            print(
                f"住所辞書にない住所が {exc.unlisted_addresses:,} 人分あります。住所辞書に町字・番地の範囲を追加するか"
                "（yakuba address import）、住所辞書にない過去の住所を移行するときは --allow-unlisted-addresses を"
                "付けてください",
                file=sys.stderr,
            )
        return EXIT_FAILURE
    except OSError as exc:
        raise CliError(f"ファイルを読めません: {args.file}（{exc.strerror}）") from None
    finally:
        if bar is not None:
            bar.close()
    print(
        f"{summary.inserted:,} 人（{summary.households:,} 世帯）を取り込みました"
        f"（登録済みで同じ内容 {summary.unchanged:,} 人、{summary.seconds:,.1f} 秒）{_unlisted_note(summary, done=True)}"
    )
    return 0


def _unlisted_note(summary, *, done: bool) -> str:
    """What the report says of the 住所辞書: not loaded, or the addresses let through."""
    if not summary.addresses_checked:
        return "。住所辞書が未登録のため、住所は照合していません"
    if summary.unlisted_persons:
        what = "を取り込みました（アクセスログに記録）" if done else "も取り込む対象です"
        return (
            f"。住所辞書にない住所 {summary.unlisted_addresses:,} 件（{summary.unlisted_persons:,} 人）{what}"
        )
    return ""


def register(sub, lg_code_type) -> None:
    rsub = group(sub, "registry", "住民記録のバッチ処理")
    command(rsub, "archive", "消除から5年を経過した除票を除票保存領域へ移す", _cmd_archive, lg_code_type)
    q = command(
        rsub,
        "load-juminhyo-codes",
        "住基ネット CS から取得した未使用の住民票コードを登録する",
        _cmd_load_codes,
        lg_code_type,
    )
    q.add_argument("file", metavar="FILE", help="1行に1つの住民票コード")
    command(
        rsub,
        "rotate-keys",
        "個人番号を現在の鍵（YAKUBA_DATA_KEYS の先頭）で暗号化し直す",
        _cmd_rotate,
        lg_code_type,
    )

    q = command(
        rsub,
        "follow-koseki",
        "戸籍の届出（出生・婚姻・死亡・振り仮名 …）を住民記録の異動候補にする（フリガナはその場で反映。中断しても再実行で続きから）",
        _cmd_follow_koseki,
        lg_code_type,
    )
    q.add_argument("--until-caught-up", action="store_true", help="未処理のイベントがなくなったら終了する")

    esub = group(sub, "export", dest="what", metavar="WHAT")
    q = command(esub, "residents", "住民記録（住民・除票）を CSV で出力する", _cmd_export, lg_code_type)
    q.add_argument("file", metavar="FILE")
    q.add_argument(
        "--as-of", type=iso_date, default=None, metavar="DATE", help="この日の状態で出力（YYYY-MM-DD）"
    )
    add_encoding_argument(q)
    q.add_argument("--include-protected", action="store_true", help="支援措置の対象者も含める（理由が必要）")
    q.add_argument("--reason", default="", help="出力の理由（アクセスログに記録）")

    isub = group(sub, "import", dest="what", metavar="WHAT")
    q = command(
        isub,
        "residents",
        "住民記録ファイルを取り込む（全件検証し、誤りが1つでもあれば何も取り込まない）",
        _cmd_import,
        lg_code_type,
    )
    q.add_argument("file", metavar="FILE")
    add_encoding_argument(q)
    q.add_argument("--check", action="store_true", help="検証だけ行い、取り込まない")
    q.add_argument(
        "--allow-unlisted-addresses",
        action="store_true",
        help="住所辞書にない住所（住所辞書が持たない過去の住所）も取り込み、その件数をアクセスログに記録する（運用管理者）",
    )
    q.add_argument("--quiet", action="store_true", help="進捗バーを表示しない")

    from yakuba.registry.generate.cli import register as register_generate

    register_generate(sub, lg_code_type)
