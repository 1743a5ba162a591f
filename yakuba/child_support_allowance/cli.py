"""``yakuba child support-allowance …``: the 児童扶養手当 from the command line.

- ``calculate --input FILE.json``: the monthly amounts (contract §3, §9.6; no database);
- ``claim LG_CODE --input FILE.json``: an 認定請求 (the API's JSON), printed back with its first
  支給年度's amount;
- ``follow LG_CODE``: 消滅 from the registry's events (resumable);
- ``status-reports LG_CODE --year 2025``: open the 現況届 of the 支給年度 for every 受給者 (the
  August run; resumable, a finished run does nothing);
- ``pay LG_CODE --month 2026-01 [--file PATH]``: the odd-month 支払 (the two preceding months,
  and any withheld month now payable), and with ``--file`` the 全銀 総合振込 file;
- ``amounts set|show|history|revise LG_CODE --year 2026``: a 年度's 手当額 registered from the
  告示 when the packaged data lacks it (services/amounts.py; versions with who, when and the 告示
  text); ``set`` then revises every active 認定 the amounts change (``revise`` resumes it).

The ``child`` group is shared with 児童手当. Bad input is one line (exit status 2).
"""

from __future__ import annotations


def _json_file(name: str) -> object:
    import json

    from yakuba.platform.cli_support import read_input
    from yakuba.platform.errors import CliError

    try:
        return json.loads(read_input(name))
    except ValueError as exc:
        raise CliError(f"{name}: JSON として読めません（{exc}）") from None


def _cmd_claim(args) -> int:
    from pydantic import ValidationError

    from yakuba.child_support_allowance.services import ClaimIn, Rejected, entitlement
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.platform.schema_errors import message, path

    given = _json_file(args.input)
    try:
        body = ClaimIn.model_validate(given)
    except ValidationError as exc:
        raise CliError(
            "; ".join(f"{args.input}: {path(e['loc'])}: {message(e)}" for e in exc.errors())
        ) from None
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
            # Written as a .part and renamed once whole: a refused name leaves no file.
            with bind_actor(SYSTEM):
                count = payments.save_transfer_file(args.lg_code, month, args.file)
            print(f"全銀ファイル: {args.file}（{count:,} 件）")
    except (runs.PaymentRejected, zengin.ZenginError) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{args.file} に書き込めません（{exc.strerror}）") from None
    return 0


def _cmd_amounts_set(args) -> int:
    """Store the 年度's 手当額 as its next version (checked first; every bad field on stderr)."""
    import getpass
    import sys

    from yakuba.child_support_allowance.services import amounts
    from yakuba.platform.audit.log import Actor
    from yakuba.platform.audit.models import ActorType
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import EXIT_USAGE

    given = _json_file(args.file)
    with tenant_command(args.lg_code):
        pass
    try:
        line = amounts.set_amounts(
            args.lg_code, args.year, given, args.source, Actor(ActorType.SYSTEM, f"cli:{getpass.getuser()}")
        )
    except amounts.AmountsRejected as exc:
        for error in exc.errors:
            print(f"{args.file}: {error['field']}: {error['message']}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"{args.year}年度（{args.year}年4月〜{args.year + 1}年3月）の児童扶養手当の手当額を登録しました（第{line.version}版）"
    )
    return _cmd_amounts_revise(args)


def _cmd_amounts_revise(args) -> int:
    """額改定 of every active 認定 the 年度's registered amounts change (resumable: run again)."""
    import getpass

    from yakuba.child_support_allowance.services import entitlement
    from yakuba.platform.audit.log import Actor, bind_actor
    from yakuba.platform.audit.models import ActorType
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        pass
    with bind_actor(Actor(ActorType.SYSTEM, f"cli:{getpass.getuser()}")):
        written = entitlement.revise_for_amounts(args.lg_code, args.year)
    print(f"額改定: {written:,} 件（受給者ごとに新しい版）")
    return 0


def _versions(args):
    from yakuba.child_support_allowance.services import amounts
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError

    with tenant_command(args.lg_code):
        lines = amounts.history(args.year)
    if not lines:
        raise CliError(f"{args.year}年度の児童扶養手当の手当額は登録されていません")
    return lines


def _cmd_amounts_show(args) -> int:
    """The current (latest) version as JSON; which version, and whether the packaged data
    supersedes it, on stderr."""
    import json
    import sys

    from django.utils.timezone import localtime

    from yakuba.child_support_allowance.services import amounts

    line = _versions(args)[0]
    print(
        f"第{line.version}版（{localtime(line.created_at):%Y-%m-%d %H:%M} {line.created_by}: {line.source}）",
        file=sys.stderr,
    )
    if amounts.packaged(args.year):
        print(f"注意: {args.year}年度は同梱データにあるため、この登録は使われません", file=sys.stderr)
    json.dump(line.payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _cmd_amounts_history(args) -> int:
    """Every version, the latest first: when (local time), who, the 告示."""
    from django.utils.timezone import localtime

    for line in _versions(args):
        print(
            f"第{line.version}版\t{localtime(line.created_at):%Y-%m-%d %H:%M}\t{line.created_by}\t{line.source}"
        )
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

    def year(parser) -> None:
        parser.add_argument(
            "--year", required=True, type=positive_int, metavar="YYYY", help="年度（4月〜翌年3月、西暦）"
        )

    amounts = group(actions, "amounts", "年度の手当額・係数・所得制限限度額（告示から登録、変更履歴つき）")
    p = command(
        amounts, "set", "年度の手当額を登録・訂正する（新しい版として）", _cmd_amounts_set, lg_code_type
    )
    year(p)
    p.add_argument("--file", required=True, metavar="FILE.json", help="手当額・係数・所得制限限度額の JSON")
    p.add_argument("--source", required=True, help="出典（告示・通知の名称と日付）")
    for name, help_, handler in (
        ("show", "年度の現在の手当額（JSON）", _cmd_amounts_show),
        ("history", "年度の手当額の登録履歴", _cmd_amounts_history),
        (
            "revise",
            "登録した手当額で受給者の額改定をやり直す（set のあと自動。中断したら再実行）",
            _cmd_amounts_revise,
        ),
    ):
        year(command(amounts, name, help_, handler, lg_code_type))
