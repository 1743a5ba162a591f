"""``yakuba insurance kokuho …``: the 国民健康保険税/料 calculation (contract §3: no database), the
資格 consumer of the registry's events and the daily 75歳到達 job."""

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


def _cmd_annual(args) -> int:
    """本算定 of every 国保世帯 with a progress bar; run again after an interruption to resume."""
    import json
    from pathlib import Path

    from tqdm import tqdm

    from yakuba.health_insurance.rules.parameters import UnknownYear, for_year
    from yakuba.health_insurance.services import annual
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.platform.tenancy.context import tenant_context

    try:
        for_year(args.year)
        rates = json.loads(Path(args.rates).read_text(encoding="utf-8"))
        annual.Settings.of(rates)
    except UnknownYear as exc:
        raise CliError(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise CliError(f"{args.rates}: {exc}") from None
    with tenant_command(args.lg_code):
        total, walked = annual.households_total(args.year)
    with (
        bind_actor(SYSTEM),
        tqdm(total=total, unit="世帯", desc=f"{args.year}年度 国保 本算定", disable=None) as bar,
    ):
        bar.update(walked)
        status = annual.run_annual(
            args.lg_code, args.year, rates=rates, progress=bar.update, workers=args.workers
        )
    with bind_actor(SYSTEM), tenant_context(args.lg_code):
        digest = annual.premium_checksum(args.year)
    print(f"{args.year}年度の本算定: {status.done:,} 世帯（算定できなかった世帯 {status.rejected:,}）")
    print(f"チェックサム: {digest}")
    return 0 if status.rejected == 0 else 1


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
    p = command(
        kokuho,
        "annual",
        "本算定: 年度の国保世帯すべての税額（料額）と納期（中断しても再実行で続きから）",
        _cmd_annual,
        lg_code_type,
    )
    p.add_argument("--year", required=True, type=int, metavar="YYYY", help="年度（西暦）")
    p.add_argument(
        "--rates", required=True, metavar="FILE.json", help="税率（契約 §9.3 の rates）と納期のファイル"
    )
    workers_argument(p)
