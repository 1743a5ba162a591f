"""``yakuba address …``: the address master from the operator's shell."""

from __future__ import annotations

import sys

from yakuba.platform.errors import EXIT_FAILURE


def _cmd_load_postal(args) -> int:
    from yakuba.address import services
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        summary = services.load_postal(args.lg_code)
    print(f"郵便番号データから町字 {summary.added:,} 件を追加しました（登録済み {summary.unchanged:,} 件）")
    return 0


def _cmd_import(args) -> int:
    from yakuba.address import services
    from yakuba.platform.cli_support import read_input, tenant_command

    data = read_input(args.file)
    try:
        with tenant_command(args.lg_code):
            summary = services.load(
                services.read_csv(data, encoding=args.encoding),
                source=services.Source.FILE,
                replace=args.replace,
            )
    except services.MasterRejected as exc:
        for issue in exc.issues:
            print(f"{args.file}: {issue}", file=sys.stderr)
        print(f"{args.file}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    print(
        f"{args.file} を取り込みました: 追加 {summary.added:,}、変更 {summary.changed:,}、"
        f"廃止 {summary.abolished:,}、変更なし {summary.unchanged:,}"
    )
    return 0


def _cmd_list(args) -> int:
    from yakuba.address import services
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        after, count = "", 0
        while True:
            page = services.town_areas(q=args.q, include_abolished=args.all, after=after, limit=500)
            for t in page.town_areas:
                abolished = f"\t廃止 {t.abolished_on.isoformat()}" if t.abolished_on else ""
                print(f"{t.name}\t{t.name_kana}\t{'・'.join(t.postal_codes)}{abolished}")
            count += len(page.town_areas)
            if page.next is None:
                break
            after = page.next
    print(f"{count:,} 件", file=sys.stderr)
    return 0


def register(sub, lg_code_type) -> None:
    from yakuba.platform.argtypes import add_encoding_argument
    from yakuba.platform.cli_support import command, group

    asub = group(sub, "address", "住所辞書（町字）の登録・確認")
    command(asub, "load-postal", "日本郵便の郵便番号データから町字を追加する", _cmd_load_postal, lg_code_type)
    q = command(
        asub,
        "import",
        "市区町村の住所辞書ファイル（CSV）を取り込む（誤りがあれば何も変更しない）",
        _cmd_import,
        lg_code_type,
    )
    q.add_argument("file", metavar="FILE")
    q.add_argument(
        "--replace", action="store_true", help="ファイルにない現在の町字を廃止する（全件の取り込み）"
    )
    add_encoding_argument(q)
    q = command(asub, "list", "町字の一覧（タブ区切り）", _cmd_list, lg_code_type)
    q.add_argument("--q", default="", help="町字・カナの一部")
    q.add_argument("--all", action="store_true", help="廃止した町字も含める")
