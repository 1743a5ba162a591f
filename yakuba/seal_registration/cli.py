"""``yakuba seal …`` (docs/seal_registration.md, "Commands"; contract.md §commands):

- ``follow LG_CODE [--until-caught-up]``: the registry's events applied to the 印鑑登録 (転出 →
  廃止, 死亡・消除 → 抹消, a new 氏 the seal no longer shows → 抹消; civil-facts §2.5). Run it as
  a long-lived process beside the server, as the other consumers are.
- ``show LG_CODE ATENA_NO``: a person's registrations (never the image or the card number).
- ``abolish LG_CODE REGISTRATION_NO`` (廃止届) and ``lost LG_CODE CARD_NO`` (亡失届).
- ``ordinance show|set LG_CODE``: the 印鑑条例 settings (管理者).
- ``guardianship LG_CODE ATENA_NO --kind started|ended --registered-on D``: a 登記事項通知.

A refusal is one line per reason naming the field (exit status 2), never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
from decimal import InvalidOperation

from yakuba.platform.errors import CliError
from yakuba.seal_registration.rules.ordinance import DEFAULT, LABELS

YES_NO = {"yes": True, "no": False}


def _settings():
    """(name, help, kind) of each 条例 setting, in the 条例's order, worded as on the screen."""
    for name, default in dataclasses.asdict(DEFAULT).items():
        if isinstance(default, bool):
            yield name, f"{LABELS[name]}（yes/no）", YES_NO
        else:
            yield name, f"{LABELS[name]}（既定 {default}）", type(default)


def _number(kind):
    def parse(value: str):
        try:
            return kind(value)
        except (ValueError, InvalidOperation):
            raise argparse.ArgumentTypeError(f"数を指定してください: {value}") from None

    return parse


def _refused(exc) -> CliError:
    return CliError("\n".join(f"{field}: {message}" for field, message in exc.errors))


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _follow(lg_code: str, **kwargs):
    from yakuba.seal_registration.services import follow  # models: only once Django is set up

    return follow.follow(lg_code, **kwargs)


def _cmd_show(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.registry import services as registry
    from yakuba.seal_registration.services import registrations

    with tenant_command(args.lg_code):
        try:
            registry.get_resident(args.atena_no)
        except registry.NotFound:
            raise CliError(registrations.NOT_FOUND.format(atena_no=args.atena_no)) from None
        views = registrations.registrations_of(args.atena_no)
    if not views:
        print(f"宛名番号 {args.atena_no} の印鑑登録はありません")
    for v in views:
        ended = f" {v.status.label}（{v.end_reason_label}、{_day(v.ended_on)}）" if v.ended_on else " 登録中"
        print(
            f"印鑑登録番号 {v.registration_no} 「{v.seal_text}」 {v.width_mm}×{v.height_mm}mm"
            f" 登録日 {_day(v.registered_on)}{ended}"
        )
    return 0


def _end(args, use_case: str, number: str, done: str) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.seal_registration.services import registrations

    try:
        with tenant_command(args.lg_code):
            view = getattr(registrations, use_case)(number)
    except registrations.Refused as exc:
        raise _refused(exc) from None
    print(f"印鑑登録番号 {view.registration_no} を{done}により廃止しました（{_day(view.ended_on)}）")
    return 0


def _cmd_abolish(args) -> int:
    return _end(args, "abolish", args.registration_no, "廃止届")


def _cmd_lost(args) -> int:
    return _end(args, "report_lost", args.card_no, "亡失届")


def _print_setting(setting) -> None:
    head = (
        f"{_day(setting.effective_from)}から（{setting.created_by}）" if setting.effective_from else "既定値"
    )
    print(head)
    for name, label, _kind in _settings():
        value = getattr(setting.ordinance, name)
        shown = ("yes" if value else "no") if isinstance(value, bool) else f"{value}"
        print(f"  {name} = {shown}  # {label}")


def _cmd_ordinance_show(args) -> int:
    from django.utils import timezone

    from yakuba.platform.cli_support import tenant_command
    from yakuba.seal_registration.services import ordinance

    with tenant_command(args.lg_code):
        on = args.on or timezone.localdate()
        in_force = ordinance.setting_on(on)
        later = [s for s in ordinance.history() if s.effective_from > on]
    print(f"{_day(on)} の印鑑条例の設定: ", end="")
    _print_setting(in_force)
    for setting in reversed(later):
        print("予定: ", end="")
        _print_setting(setting)
    return 0


def _cmd_ordinance_set(args) -> int:
    from django.utils import timezone

    from yakuba.platform.cli_support import tenant_command
    from yakuba.seal_registration.services import ordinance

    changes = {
        name: kind[value] if isinstance(kind, dict) else value
        for name, _label, kind in _settings()
        if (value := getattr(args, name)) is not None
    }
    if not changes:
        raise CliError("変更する設定を1つ以上指定してください（--min-age など）")
    try:
        with tenant_command(args.lg_code):
            setting = ordinance.set_from(args.effective_from or timezone.localdate(), **changes)
    except ordinance.Refused as exc:
        raise _refused(exc) from None
    print("印鑑条例の設定を登録しました: ", end="")
    _print_setting(setting)
    return 0


def _cmd_guardianship(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.seal_registration.codes import GuardianshipKind
    from yakuba.seal_registration.services import guardianship

    try:
        with tenant_command(args.lg_code):
            received = guardianship.receive(
                args.atena_no, GuardianshipKind(args.kind), args.registered_on, received_on=args.received_on
            )
    except guardianship.Refused as exc:
        raise _refused(exc) from None
    print(f"登記事項通知（{received.kind.label}）を受け付けました（宛名番号 {received.atena_no}）")
    if received.struck_registration_no:
        print(
            f"印鑑登録番号 {received.struck_registration_no} を抹消しました（{_day(received.received_on)}）"
        )
    return 0


def register(sub, lg_code_type) -> None:
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command, group
    from yakuba.platform.linkage.consumer_cli import add_follow

    actions = group(sub, "seal", "印鑑登録", metavar="ACTION")
    add_follow(
        actions,
        lg_code_type,
        _follow,
        label="印鑑登録（住民記録の異動）",
        changes="廃止・抹消",
        help="住民記録の異動を印鑑登録に反映（転出→廃止、死亡→抹消。中断しても再実行で続きから）",
    )
    p = command(actions, "show", "ある人の印鑑登録（廃止・抹消を含む）", _cmd_show, lg_code_type)
    p.add_argument("atena_no", metavar="ATENA_NO", help="宛名番号")
    p = command(actions, "abolish", "印鑑登録廃止申請（今日で廃止）", _cmd_abolish, lg_code_type)
    p.add_argument("registration_no", metavar="REGISTRATION_NO", help="印鑑登録番号")
    p = command(actions, "lost", "印鑑登録証亡失届（その登録を今日で廃止）", _cmd_lost, lg_code_type)
    p.add_argument("card_no", metavar="CARD_NO", help="印鑑登録証の番号")

    settings = actions.add_parser("ordinance", help="印鑑条例の設定（管理者）")
    steps = settings.add_subparsers(dest="step", metavar="STEP")
    steps.required = True
    p = command(steps, "show", "適用中の設定と予定", _cmd_ordinance_show, lg_code_type)
    p.add_argument("--on", type=iso_date, metavar="DATE", help="この日の設定（既定: 今日）")
    p = command(
        steps,
        "set",
        "新しい設定を適用開始日から（指定しない項目はその日の設定のまま）",
        _cmd_ordinance_set,
        lg_code_type,
    )
    p.add_argument("--effective-from", type=iso_date, metavar="DATE", help="適用開始日（既定: 今日）")
    for name, label, kind in _settings():
        option = "--" + name.replace("_", "-")
        if isinstance(kind, dict):
            p.add_argument(option, dest=name, choices=kind, type=str, help=label)
        else:
            p.add_argument(option, dest=name, type=_number(kind), metavar="N", help=label)

    p = command(actions, "guardianship", "登記事項通知（成年後見）の受付", _cmd_guardianship, lg_code_type)
    p.add_argument("atena_no", metavar="ATENA_NO", help="宛名番号")
    p.add_argument(
        "--kind", required=True, choices=("started", "ended"), help="started: 後見開始、ended: 後見終了"
    )
    p.add_argument("--registered-on", required=True, type=iso_date, metavar="DATE", help="登記日")
    p.add_argument("--received-on", type=iso_date, metavar="DATE", help="受付日（既定: 今日）")
