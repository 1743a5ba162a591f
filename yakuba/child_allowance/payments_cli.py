"""``yakuba child allowance pay LG_CODE --month 2026-12 [--out DIR]``: the 児童手当 支払 of an even
支払月 with a progress bar (killed, run it again: it resumes; finished, it pays nobody twice), and
with ``--out`` the 全銀 総合振込 file for the bank; ``yakuba child allowance notices LG_CODE --month
2026-12 --out DIR``: the 支払通知, one PDF per 受給者 (one envelope), 支援措置 left out and named."""

from __future__ import annotations


def _write_file(lg_code: str, month, out: str) -> str:
    """The run's 全銀 file in the folder ``out`` (``runs.save_transfer_file``: whole or not at all)."""
    from yakuba.child_allowance.services import payments
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.errors import CliError
    from yakuba.platform.payments import runs, zengin
    from yakuba.platform.print_batch import out_dir

    target = out_dir(out) / f"児童手当_総合振込_{month:%Y-%m}.txt"
    try:
        with bind_actor(SYSTEM):
            count = payments.save_transfer_file(lg_code, month, target)
    except (runs.PaymentRejected, zengin.ZenginError) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{target} に書き込めません（{exc.strerror}）") from None
    return f"{target}（{count:,} 件）"


def _cmd_pay(args) -> int:
    import sys

    from django.utils import timezone
    from tqdm import tqdm

    from yakuba.child_allowance.services import payments
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.platform.payments import runs

    month = args.month
    try:
        with tenant_command(args.lg_code):
            total = payments.to_walk(month)
        with (
            bind_actor(SYSTEM),
            tqdm(total=total, unit="件", desc=f"{month:%Y年%-m月} 児童手当の支払", disable=None) as bar,
        ):
            status = payments.pay(args.lg_code, month, progress=bar.update)
    except runs.PaymentRejected as exc:
        raise CliError(str(exc)) from None
    print(f"{month:%Y年%-m月}支払（支払日 {status.pay_on:%Y-%m-%d}）: {status.done:,} 件 {status.total:,} 円")
    print(f"チェックサム: {status.checksum}")
    if status.pay_on < timezone.localdate():
        print(
            f"注意: 支払日 {status.pay_on:%Y-%m-%d} は過ぎています（振込指定日として銀行が受け付けません）",
            file=sys.stderr,
        )
    if args.out:
        print(f"全銀ファイル: {_write_file(args.lg_code, month, args.out)}")
    return 0


def _cmd_notices(args) -> int:
    from tqdm import tqdm

    from yakuba.child_allowance.services import payments
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.platform.payments import runs
    from yakuba.platform.print_batch import out_dir, print_pages

    with tenant_command(args.lg_code):
        status = runs.run_of(payments.DOMAIN, args.month)
    if status is None or status.state != "done":
        raise CliError(
            f"{args.month:%Y年%-m月}の支払が完了していません（先に yakuba child allowance pay を実行してください）"
        )
    out = out_dir(args.out)
    with tqdm(
        total=status.done, unit="通", desc=f"{args.month:%Y年%-m月} 児童手当 支払通知", disable=None
    ) as bar:
        written = print_pages(
            args.lg_code,
            out,
            bar,
            lambda after: payments.notices_page(args.month, after=after),
            payments.render,
            args.workers,
            start=0,
        )
    print(f"{args.month:%Y年%-m月}の児童手当 支払通知: {written:,} 通 → {out}")
    return 0


def register(allowance, lg_code_type) -> None:
    """Add ``pay`` to the ``child allowance`` group."""
    from yakuba.platform.argtypes import year_month
    from yakuba.platform.cli_support import command, workers_argument

    p = command(
        allowance,
        "pay",
        "偶数月の支払: 前2か月分を全受給者に（中断しても再実行で続きから、同じ月は二重に払わない）",
        _cmd_pay,
        lg_code_type,
    )
    p.add_argument("--month", required=True, type=year_month, metavar="YYYY-MM", help="支払月（偶数月）")
    p.add_argument("--out", metavar="DIR", help="全銀協 総合振込ファイルを書き出すフォルダ")
    p = command(
        allowance,
        "notices",
        "支払通知（受給者ごとに1通の PDF、支援措置の対象者は除いて表示）",
        _cmd_notices,
        lg_code_type,
    )
    p.add_argument("--month", required=True, type=year_month, metavar="YYYY-MM", help="支払月（偶数月）")
    p.add_argument("--out", required=True, metavar="DIR", help="PDF を書き出すフォルダ")
    workers_argument(p)
