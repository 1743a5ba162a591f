"""``yakuba insurance kokuho …``: the 国民健康保険税/料 calculation (contract §3: no database), the
資格 consumer of the registry's events, the daily 75歳到達 job, the municipality's rates (with
history), the 仮算定, the 本算定 and the 異動 更正."""

from __future__ import annotations

import time

POLL_SECONDS = 5


def _cmd_follow(args) -> int:
    """Follow the municipality's event feed (資格 from the registry's 異動) with a progress bar;
    ``--until-caught-up`` stops when no event is left, otherwise it waits for new ones."""
    from tqdm import tqdm

    from yakuba.health_insurance.services import follow
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        pass  # a municipality that is not registered stops here with its message
    with bind_actor(SYSTEM), tqdm(unit="件", desc="国保 資格（住民記録の異動）", disable=None) as bar:
        while True:
            done = follow(args.lg_code, progress=bar.update)
            if args.until_caught_up:
                break
            time.sleep(POLL_SECONDS)
    print(f"処理したイベント: 累計 {done.total:,} 件（資格の変更 {done.changes:,} 件）")
    return 0


def _cmd_age_events(args) -> int:
    """The 75th birthdays of a day: 喪失 and 75歳到達 work items (run after ``follow``)."""
    from yakuba.health_insurance.services import age_events
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        pass
    with bind_actor(SYSTEM):
        lost = age_events(args.lg_code, args.date)
    print(
        f"{args.date.isoformat()} の75歳到達: {lost:,} 人が国民健康保険の資格を喪失しました（後期高齢者医療へ）"
    )
    return 0


def _rates_file(path: str | None) -> dict | None:
    """The rates file named on the command line (JSON), or None when none was."""
    import json

    from yakuba.platform.cli_support import read_input
    from yakuba.platform.errors import CliError

    if path is None:
        return None
    try:
        return json.loads(read_input(path))
    except ValueError as exc:
        raise CliError(f"{path}: JSON として読めません（{exc}）") from None


def _refused(source: str, exc) -> int:
    """Every reason rates were refused, one line each as ``SOURCE: field: 理由`` (exit 2)."""
    import sys

    from yakuba.platform.errors import EXIT_USAGE

    for error in exc.errors:
        print(f"{source}: {error['field']}: {error['message']}", file=sys.stderr)
    return EXIT_USAGE


def _cmd_run(args) -> int:
    """仮算定 or 本算定 of every 国保世帯 with a progress bar; run again after an interruption to
    resume. The rates are the file given, else the stored current version."""
    from tqdm import tqdm

    from yakuba.health_insurance.codes import RunKind
    from yakuba.health_insurance.rules.parameters import UnknownYear, for_year
    from yakuba.health_insurance.services import annual, rates
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.platform.tenancy.context import tenant_context

    try:
        for_year(args.year)
    except UnknownYear as exc:
        raise CliError(str(exc)) from None
    given = _rates_file(args.rates)
    kind = RunKind(args.run_kind)
    name = RunKind(kind).label
    try:
        with tenant_command(args.lg_code):
            rates.settings_for(args.year, given)
            total, walked = annual.households_total(args.year, kind)
        with (
            bind_actor(SYSTEM),
            tqdm(total=total, unit="世帯", desc=f"{args.year}年度 国保 {name}", disable=None) as bar,
        ):
            bar.update(walked)
            status = annual.run_levy(
                args.lg_code, args.year, kind, rates=given, progress=bar.update, workers=args.workers
            )
    except rates.RatesRejected as exc:
        return _refused(args.rates or f"{args.year}年度の税率", exc)
    with bind_actor(SYSTEM), tenant_context(args.lg_code):
        digest = annual.premium_checksum(args.year)
    print(f"{args.year}年度の{name}: {status.done:,} 世帯（算定できなかった世帯 {status.rejected:,}）")
    print(f"チェックサム: {digest}")
    return 0 if status.rejected == 0 else 1


def _cmd_rates_set(args) -> int:
    """Store a new version of the 年度's rates (checked first; every bad field on stderr)."""
    import getpass

    from yakuba.health_insurance.services import rates
    from yakuba.platform.audit.log import Actor
    from yakuba.platform.audit.models import ActorType
    from yakuba.platform.cli_support import tenant_command

    given = _rates_file(args.file)
    with tenant_command(args.lg_code):
        pass
    try:
        line = rates.set_rates(
            args.lg_code, args.year, given, args.reason, Actor(ActorType.SYSTEM, f"cli:{getpass.getuser()}")
        )
    except rates.RatesRejected as exc:
        return _refused(args.file, exc)
    print(f"{args.year}年度の税率を登録しました（第{line.version}版）")
    return 0


def _cmd_rates_show(args) -> int:
    """The current rates of the 年度 as JSON (its version on stderr)."""
    import json
    import sys

    from django.utils.timezone import localtime

    from yakuba.health_insurance.services import rates
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError

    with tenant_command(args.lg_code):
        line = rates.rates_of(args.year)
    if line is None:
        raise CliError(f"{args.year}年度の税率は登録されていません")
    print(
        f"第{line.version}版（{localtime(line.created_at):%Y-%m-%d %H:%M} {line.created_by}: {line.reason}）",
        file=sys.stderr,
    )
    json.dump(line.payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _cmd_rates_history(args) -> int:
    """Every version of the 年度's rates, the latest first: when (local time), who, why."""
    from django.utils.timezone import localtime

    from yakuba.health_insurance.services import rates
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        lines = rates.history(args.year)
    if not lines:
        print(f"{args.year}年度の税率は登録されていません")
    for line in lines:
        print(
            f"第{line.version}版\t{localtime(line.created_at):%Y-%m-%d %H:%M}\t{line.created_by}\t{line.reason}"
        )
    return 0


def _cmd_recalculate(args) -> int:
    """異動 更正: recalculate the 世帯 whose 資格 or 所得 changed since their latest version."""
    from yakuba.health_insurance.services import correction, rates
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        pass
    try:
        with bind_actor(SYSTEM):
            done = correction.recalculate(
                args.lg_code,
                args.year,
                setai_nos=[args.setai] if args.setai else None,
                since=args.changed_since,
            )
    except rates.RatesRejected as exc:
        return _refused(f"{args.year}年度の税率", exc)
    except correction.CorrectionRejected as exc:
        from yakuba.platform.errors import CliError

        raise CliError(str(exc)) from None
    print(
        f"{args.year}年度の更正: 確認した世帯 {done.checked:,}、新しい版 {done.corrected:,}"
        f"（算定できなかった世帯 {len(done.rejected):,}）"
    )
    return 0 if not done.rejected else 1


def year_argument(parser) -> None:
    parser.add_argument("--year", required=True, type=int, metavar="YYYY", help="年度（西暦）")


def register(sub, lg_code_type) -> None:
    from yakuba.platform import calculations
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command, group, workers_argument

    # The group is shared with the other insurance apps (後期高齢者医療, 介護保険 …).
    insurance = group(sub, "insurance", "保険（国保・後期高齢者医療・介護保険）", metavar="AREA")
    kokuho = group(insurance, "kokuho", "国民健康保険税（料）")
    calculations.add_command(
        kokuho,
        "1世帯・1年度の国民健康保険税（料）",
        "§9.3",
        "yakuba.health_insurance.services",
        "KokuhoIn",
        "calculate_kokuho",
    )
    p = command(
        kokuho,
        "follow",
        "住民記録の異動から資格を更新（中断しても再実行で続きから）",
        _cmd_follow,
        lg_code_type,
    )
    p.add_argument("--until-caught-up", action="store_true", help="未処理のイベントがなくなったら終了する")
    p = command(
        kokuho, "age-events", "75歳到達（誕生日に資格喪失・後期高齢者医療へ）", _cmd_age_events, lg_code_type
    )
    p.add_argument("--date", required=True, type=iso_date, metavar="YYYY-MM-DD", help="基準日（誕生日）")
    for name, help_ in (
        ("provisional", "仮算定: 前年度の税額から仮算定の納期の税額（中断しても再実行で続きから）"),
        ("annual", "本算定: 年度の国保世帯すべての税額（料額）と納期（中断しても再実行で続きから）"),
    ):
        p = command(kokuho, name, help_, _cmd_run, lg_code_type)
        p.set_defaults(run_kind=name)
        year_argument(p)
        p.add_argument(
            "--rates",
            metavar="FILE.json",
            help="税率（契約 §9.3 の rates）と納期のファイル（省略時は登録済みの税率）",
        )
        workers_argument(p)
    rates = group(kokuho, "rates", "市区町村の税率（年度ごと・変更履歴つき）", dest="rates_action")
    p = command(rates, "set", "税率を登録・変更する（新しい版として）", _cmd_rates_set, lg_code_type)
    year_argument(p)
    p.add_argument("--file", required=True, metavar="FILE.json", help="税率と納期のファイル")
    p.add_argument("--reason", required=True, help="変更の理由（条例改正など）")
    p = command(rates, "show", "年度の現在の税率（JSON）", _cmd_rates_show, lg_code_type)
    year_argument(p)
    p = command(rates, "history", "年度の税率の変更履歴", _cmd_rates_history, lg_code_type)
    year_argument(p)
    p = command(
        kokuho,
        "recalculate",
        "更正: 資格の異動・所得の更正があった世帯の税額を再計算（新しい版、残りの納期で調整）",
        _cmd_recalculate,
        lg_code_type,
    )
    year_argument(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--setai", metavar="NO", help="この世帯だけ（世帯番号）")
    which.add_argument(
        "--changed-since", type=iso_date, metavar="YYYY-MM-DD", help="この日以後に資格・所得が変わった世帯"
    )
    # The 納税通知書 and the 資格確認書 (documents_cli.py) join the same ``insurance kokuho`` group.
    from yakuba.health_insurance import documents_cli

    documents_cli.register(sub, lg_code_type)
