"""``yakuba tax …``: the 個人住民税 calculation (contract §3: no database) and the annual run."""

from __future__ import annotations


def _known_year(year: int) -> None:
    from yakuba.platform.errors import CliError
    from yakuba.tax.rules.parameters import UnknownYear, for_year

    try:
        for_year(year)
    except UnknownYear as exc:
        raise CliError(str(exc)) from None


def _cmd_assess(args) -> int:
    """当初課税 with a progress bar; run again after an interruption to resume."""
    from tqdm import tqdm

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.tax.services import assessment

    _known_year(args.year)
    with tenant_command(args.lg_code):
        total = assessment.taxpayers_on(args.year)
        before = assessment.run_status(args.year)
    with (
        bind_actor(SYSTEM),
        tqdm(total=total, unit="人", desc=f"{args.year}年度 当初課税", disable=None) as bar,
    ):
        bar.update(before.done if before else 0)
        status = assessment.run_initial(args.lg_code, args.year, progress=bar.update, workers=args.workers)
    with bind_actor(SYSTEM), tenant_context(args.lg_code):
        digest = assessment.checksum(args.year)
    print(f"{args.year}年度の当初課税: {status.done:,} 人（うち課税 {status.taxed:,} 人）")
    print(f"チェックサム: {digest}")
    return 0


def _cmd_employer_notices(args) -> int:
    """特別徴収税額の決定通知書（特別徴収義務者用）: one PDF per employer in ``--out``, each print
    audited in a transaction of its own (a stopped run keeps the files and rows it wrote)."""
    from tqdm import tqdm

    from yakuba.platform import print_batch
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.registry import services as registry
    from yakuba.tax.services import notices

    _known_year(args.year)
    out = print_batch.out_dir(args.out)
    with tenant_command(args.lg_code):
        payers = [args.payer] if args.payer else notices.payers(args.year)
    if not payers:
        raise CliError(f"{args.year}年度の特別徴収義務者はいません（当初課税の後に実行してください）")
    people = 0
    with tqdm(
        total=len(payers), unit="社", desc=f"{args.year}年度 特別徴収義務者用通知書", disable=None
    ) as bar:
        for payer in payers:
            with tenant_command(args.lg_code):
                try:
                    body, name, count = notices.employer_notice_pdf(
                        payer, args.year, visibility=registry.Visibility()
                    )
                except notices.NoNotice as exc:
                    raise CliError(str(exc)) from None
            print_batch.write(out, name, body)
            people += count
            bar.update(1)
    print(
        f"{args.year}年度の特別徴収税額の決定通知書（特別徴収義務者用）: {len(payers):,} 社（{people:,} 人）→ {out}"
    )
    return 0


def _cmd_generate_income(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.tax.services import income_generate

    _known_year(args.year)
    with tenant_command(args.lg_code):
        counts = income_generate.generate(args.year)
    print(
        f"合成の課税資料を作成しました: 給与支払報告書 {counts['salary']:,} 件、公的年金等支払報告書 {counts['pension']:,} 件"
    )
    return 0


def register(sub, lg_code_type) -> None:
    from yakuba.platform import calculations
    from yakuba.platform.cli_support import command, group, workers_argument
    from yakuba.tax import income_cli

    income_cli.register(sub, lg_code_type)

    taxes = group(sub, "tax", "税務（個人住民税ほか）", metavar="TAX")
    resident = group(taxes, "resident-tax", "個人住民税")
    calculations.add_command(
        resident, "個人住民税", "§9.2", "yakuba.tax.services", "ResidentTaxIn", "calculate_resident_tax"
    )
    p = command(
        resident,
        "assess",
        "当初課税（1月1日の住民全員。中断しても再実行で続きから）",
        _cmd_assess,
        lg_code_type,
    )
    p.add_argument("--year", required=True, type=int, metavar="YYYY", help="年度（西暦）")
    workers_argument(p)
    p = command(
        resident,
        "employer-notices",
        "特別徴収税額の決定通知書（特別徴収義務者用）を特別徴収義務者ごとに PDF で出力する",
        _cmd_employer_notices,
        lg_code_type,
    )
    p.add_argument("--year", required=True, type=int, metavar="YYYY", help="年度（西暦）")
    p.add_argument("--out", required=True, metavar="DIR", help="PDF を書き出すディレクトリ（なければ作成）")
    p.add_argument("--payer", metavar="NO", help="この指定番号の特別徴収義務者だけ")
    p = command(
        resident,
        "generate-income",
        "合成の課税資料（給与・年金）を作る（デモ・試験・ベンチマーク用）",
        _cmd_generate_income,
        lg_code_type,
    )
    p.add_argument("--year", required=True, type=int, metavar="YYYY", help="年度（西暦）")
