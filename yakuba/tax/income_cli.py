"""``yakuba import tax-income …``: 課税資料 (給与支払報告書, 公的年金等支払報告書, 申告) from a file.

All or nothing (docs/tax-income-files.md): a file with bad rows changes nothing and every bad row
is printed as ``FILE: 12行目 生年月日: 理由`` (exit 1); ``--check`` reads, matches and rolls
back, so the operator sees what a load would do before doing it.
"""

from __future__ import annotations

import argparse
import os
import sys

from yakuba.platform.errors import EXIT_FAILURE


class _CheckedOnly(Exception):
    """Raised inside the tenant transaction after ``--check`` so that nothing is kept."""


def fiscal_year(value: str) -> int:
    """``--year``: the 年度 (西暦), whose 賦課期日 is 1月1日 of that year."""
    if not (value.isascii() and value.isdigit() and len(value) == 4 and 2000 <= int(value) <= 2999):
        raise argparse.ArgumentTypeError(f"年度は西暦4桁で指定してください（例: 2026）: {value}")
    return int(value)


def _cmd_import(args) -> int:
    from yakuba.platform.cli_support import read_input, tenant_command
    from yakuba.tax.services.income_import import ReportsRejected, load_reports, read_reports

    data = read_input(args.file)
    try:
        parsed = read_reports(data, kind=args.kind, fiscal_year=args.year, encoding=args.encoding)
    except ReportsRejected as exc:
        for issue in exc.issues:
            print(f"{args.file}: {issue}", file=sys.stderr)
        print(f"{args.file}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    summary = None
    try:
        with tenant_command(args.lg_code):
            summary = load_reports(
                parsed, kind=args.kind, fiscal_year=args.year, file_name=os.path.basename(args.file)
            )
            if args.check:
                raise _CheckedOnly
    except _CheckedOnly:
        pass
    assert summary is not None
    for line_no, name, reason in summary.unmatched:
        print(f"{line_no}行目 {name}: 未突合 {reason}")
    for line_no, name, note in summary.notes:
        print(f"{line_no}行目 {name}: 確認 {note}")
    counts = f"{summary.rows:,} 件（突合済み {summary.matched:,} 件、未突合 {len(summary.unmatched):,} 件）"
    if args.check:
        print(f"{args.file}: {counts}を検証しました。誤りはありません（--check のため取り込んでいません）")
    else:
        print(f"{args.file} を取り込みました: {counts}、取込番号 {summary.batch_id}")
    return 0


def register(sub, lg_code_type) -> None:
    from yakuba.platform.argtypes import add_encoding_argument
    from yakuba.platform.cli_support import command, group
    from yakuba.tax.codes import ReportKind

    imports = group(sub, "import", dest="what", metavar="WHAT")
    p = command(
        imports,
        "tax-income",
        "個人住民税の課税資料（給与支払報告書・公的年金等支払報告書・申告）の CSV を取り込む"
        "（誤りがあれば何も変更しない）",
        _cmd_import,
        lg_code_type,
    )
    p.add_argument("file", metavar="FILE", help="課税資料の CSV（列は docs/tax-income-files.md）")
    p.add_argument(
        "--kind",
        required=True,
        choices=[k.value for k in ReportKind],
        help="salary（給与支払報告書）・pension（公的年金等支払報告書）・declaration（住民税申告書）",
    )
    p.add_argument("--year", required=True, type=fiscal_year, metavar="YYYY", help="年度（西暦。例: 2026）")
    add_encoding_argument(p)
    p.add_argument("--check", action="store_true", help="検証と突合だけを行い、取り込まない")
