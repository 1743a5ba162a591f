"""``yakuba payments requester LG_CODE``: the municipality's 振込依頼人 (its 委託者 code, name and 口座
at the bank) and the day of the month it pays on — shown, or set as a new version."""

from __future__ import annotations

from yakuba.platform.cli_support import command, group

OPTIONAL = ("bank_name", "branch_name")
FIELDS = (
    ("code", "requester_code", "依頼人コード（銀行の定める委託者コード、10桁以内）"),
    ("name", "requester_name", "依頼人名（カナ、半角40文字以内）"),
    ("bank", "bank_code", "仕向金融機関コード（4桁）"),
    ("bank_name", "bank_name", "仕向金融機関名（カナ、任意）"),
    ("branch", "branch_code", "仕向支店コード（3桁）"),
    ("branch_name", "branch_name", "仕向支店名（カナ、任意）"),
    ("account_type", "account_type", "預金種目（1 普通 / 2 当座）"),
    ("account", "account_number", "口座番号（7桁以内）"),
)


def _cmd_requester(args) -> int:
    from django.utils import timezone

    from yakuba.platform.audit.log import Action, current_actor, record
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.platform.payments import runs, zengin
    from yakuba.platform.payments.models import Requester

    given = {
        column: getattr(args, option) for option, column, _help in FIELDS if getattr(args, option) is not None
    }
    with tenant_command(args.lg_code):
        current = Requester.current()
        if not given and args.pay_day is None:
            if current is None:
                raise CliError("振込依頼人が設定されていません（--code などを指定して設定してください）")
            for _option, column, help in FIELDS:
                print(f"{help.split('（')[0]}: {getattr(current, column)}")
            print(f"支払日: 毎月{current.pay_day}日（閉庁日は前倒し）")
            return 0
        values = {column: getattr(current, column) if current else "" for _o, column, _h in FIELDS}
        values.update(given)
        missing = [
            f"--{o.replace('_', '-')}" for o, column, _h in FIELDS if not values[column] and o not in OPTIONAL
        ]
        if missing:
            raise CliError(f"振込依頼人の {' '.join(missing)} を指定してください")
        pay_day = args.pay_day if args.pay_day is not None else (current.pay_day if current else None)
        if pay_day is not None and not 1 <= pay_day <= 28:
            raise CliError(f"--pay-day は1〜28日で指定してください: {pay_day}")
        row = Requester(lg_code=args.lg_code, created_by=current_actor().name, **values)
        if pay_day is not None:
            row.pay_day = pay_day
        try:
            zengin.header(runs.as_requester(row), timezone.localdate())
        except zengin.ZenginError as exc:
            raise CliError(str(exc)) from None
        row.save()
        record(Action.UPDATE, "payments.requester", purpose="振込依頼人の設定", detail={"version": row.pk})
    print(f"振込依頼人を設定しました: {row.requester_name}（支払日 毎月{row.pay_day}日）")
    return 0


def register(sub, lg_code_type) -> None:
    payments = group(sub, "payments", "支払（口座振込）")
    p = command(payments, "requester", "振込依頼人と支払日を表示・設定する", _cmd_requester, lg_code_type)
    for option, _column, help in FIELDS:
        p.add_argument(f"--{option.replace('_', '-')}", dest=option, help=help)
    p.add_argument("--pay-day", type=int, help="支払日（毎月の日、1〜28。閉庁日は前倒し。既定 10）")
