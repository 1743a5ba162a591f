"""``yakuba child support-allowance …``: the 児童扶養手当 from the command line.

- ``calculate --input FILE.json``: the monthly amounts (contract §3, §9.6; no database);
- ``claim LG_CODE --input FILE.json``: an 認定請求 (the API's JSON), printed back with its first
  支給年度's amount;
- ``follow LG_CODE``: 消滅 from the registry's events (resumable);
- ``status-reports LG_CODE --year 2025``: open the 現況届 of the 支給年度 for every 受給者 (the
  August run; resumable, a finished run does nothing);
- ``pay LG_CODE --month 2026-01 [--file PATH]``: the odd-month 支払 (the two preceding months,
  and any withheld month now payable), and with ``--file`` the 全銀 総合振込 file.

The ``child`` group is shared with 児童手当. Bad input is one line (exit status 2).
"""

from __future__ import annotations


def _cmd_claim(args) -> int:
    import json

    from pydantic import ValidationError

    from yakuba.child_support_allowance.services import ClaimIn, Rejected, entitlement
    from yakuba.platform.cli_support import read_input, tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.platform.schema_errors import message, path

    try:
        body = ClaimIn.model_validate(json.loads(read_input(args.input)))
    except ValidationError as exc:
        raise CliError(
            "; ".join(f"{args.input}: {path(e['loc'])}: {message(e)}" for e in exc.errors())
        ) from None
    except ValueError as exc:
        raise CliError(f"{args.input}: JSON として読めません（{exc}）") from None
    try:
        with tenant_command(args.lg_code):
            row = entitlement.apply_claim(body)
            first = row.determinations.order_by("benefit_year", "version").first()
            total = first.periods.order_by("from_month").values_list("monthly_total", flat=True).first()
    except Rejected as exc:
        raise CliError("; ".join(f"{e['field']}: {e['message']}" for e in exc.errors)) from None
    print(
        f"認定しました（認定番号 {row.id}）: 支給開始 {row.first_month:%Y年%-m月}、"
        f"{first.get_category_display()} 月額 {total:,} 円"
    )
    return 0


def _cmd_follow(args) -> int:
    from yakuba.child_support_allowance.services import follow
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        pass  # a municipality that is not registered stops here with its message
    with bind_actor(SYSTEM):
        done = follow(args.lg_code)
    print(f"処理したイベント: {done.events:,} 件（累計 {done.total:,} 件、消滅 {done.changes:,} 件）")
    return 0


def _cmd_status_reports(args) -> int:
    from tqdm import tqdm

    from yakuba.child_support_allowance.services import status_report
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        pass
    with bind_actor(SYSTEM), tqdm(unit="件", desc=f"{args.year}年度 現況届", disable=None) as bar:
        done = status_report.open_reports(args.lg_code, args.year, progress=bar.update)
    with tenant_command(args.lg_code):
        open_ = status_report.outstanding_count(args.year)
    print(
        f"{args.year}年度（{args.year}年11月〜）の現況届: {done.done:,} 件を開きました（未提出 {open_:,} 件）"
    )
    return 0


def _cmd_pay(args) -> int:
    from tqdm import tqdm

    from yakuba.child_support_allowance.services import payments
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.platform.payments import runs, zengin
    from yakuba.platform.private_files import open_private

    month = args.month
    try:
        payments.source(month)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    with tenant_command(args.lg_code):
        pass
    try:
        with (
            bind_actor(SYSTEM),
            tqdm(unit="件", desc=f"{month:%Y年%-m月} 児童扶養手当の支払", disable=None) as bar,
        ):
            status = payments.pay(args.lg_code, month, progress=bar.update)
        print(
            f"{month:%Y年%-m月}支払（支払日 {status.pay_on:%Y-%m-%d}）: {status.done:,} 件 {status.total:,} 円"
        )
        print(f"チェックサム: {status.checksum}")
        if args.file:
            # Every record is checked before the file is opened: a refused name leaves no file.
            with bind_actor(SYSTEM):
                records = list(payments.transfer_file(args.lg_code, month))
            with open_private(args.file, encoding="cp932") as out:
                out.buffer.write(b"".join(records))
            print(f"全銀ファイル: {args.file}（{len(records) - 3:,} 件）")
    except (runs.PaymentRejected, zengin.ZenginError) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{args.file} に書き込めません（{exc.strerror}）") from None
    return 0


def register(sub, lg_code_type) -> None:
    from yakuba.platform import calculations
    from yakuba.platform.argtypes import positive_int, year_month
    from yakuba.platform.cli_support import command, group

    child = group(sub, "child", "子ども（児童手当・児童扶養手当）", metavar="AREA")
    actions = group(child, "support-allowance", "児童扶養手当")
    calculations.add_command(
        actions,
        "児童扶養手当の手当月額",
        "§9.6",
        "yakuba.child_support_allowance.services",
        "SupportAllowanceIn",
        "calculate_support_allowance",
    )
    p = command(
        actions, "claim", "認定請求を登録して最初の支給年度の手当月額を決める", _cmd_claim, lg_code_type
    )
    p.add_argument("--input", required=True, metavar="FILE.json", help="認定請求の JSON（API と同じ形）")
    command(
        actions,
        "follow",
        "住民記録の異動（受給者の転出・死亡）から資格消滅（中断しても再実行で続きから）",
        _cmd_follow,
        lg_code_type,
    )
    p = command(
        actions,
        "status-reports",
        "8月の現況届: 支給年度の現況届を全受給者に開く（中断しても再実行で続きから）",
        _cmd_status_reports,
        lg_code_type,
    )
    p.add_argument(
        "--year", required=True, type=positive_int, metavar="YYYY", help="支給年度（その年の11月から）"
    )
    p = command(
        actions,
        "pay",
        "奇数月の支払: 前2か月分と差止めの解けた月（中断しても再実行で続きから、同じ月は二重に払わない）",
        _cmd_pay,
        lg_code_type,
    )
    p.add_argument("--month", required=True, type=year_month, metavar="YYYY-MM", help="支払月（奇数月）")
    p.add_argument("--file", metavar="PATH", help="全銀協 総合振込ファイルの書き出し先")
