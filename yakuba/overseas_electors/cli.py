"""``yakuba overseas …``: the 在外選挙人名簿 from the command line (docs/overseas_electors.md, "CLI") —
``follow`` (the registry's 国外転出 → 出国時申請 work items), ``apply-departure``, ``register``,
``came-home``, ``strike-off``, ``strike-off-due`` and ``book`` (CSV). Each runs in one transaction
of one municipality; a broken rule is one line naming its field (exit status 2)."""

from __future__ import annotations

import sys

from yakuba.platform.errors import CliError


def _run(args, work):
    from yakuba.overseas_electors import services
    from yakuba.platform.cli_support import tenant_command

    try:
        with tenant_command(args.lg_code):
            return work()
    except services.Refused as refused:
        raise CliError("; ".join(f"{f}: {m}" for f, m in refused.errors)) from None


def _apply_departure(args) -> int:
    from yakuba.overseas_electors import services

    app = _run(
        args,
        lambda: services.apply_departure(
            services.DepartureIn(args.atena_no, args.date, args.agent, args.statement)
        ),
    )
    print(
        f"出国時申請を受け付けました（申請ID {app.pk}、転出予定日 {app.planned_move_out_on} から登録できます）"
    )
    return 0


def _register(args) -> int:
    from yakuba.overseas_electors import services

    given = services.Registration(args.application, args.date, args.mission, args.address)
    entry = _run(args, lambda: services.register(given))
    print(f"在外選挙人名簿に登録しました（在外選挙人証番号 {entry.card_no}、登録日 {entry.registered_on}）")
    return 0


def _came_home(args) -> int:
    from yakuba.overseas_electors import services
    from yakuba.overseas_electors.rules.eligibility import struck_off_from

    _run(args, lambda: services.mark_came_home(args.card_no, args.date))
    print(f"国内に住所を定めた旨を表示しました（{struck_off_from(args.date)} から抹消できます）")
    return 0


def _strike_off(args) -> int:
    from yakuba.overseas_electors import services

    _run(args, lambda: services.strike_off(args.card_no, args.date, args.reason))
    print(f"在外選挙人証番号 {args.card_no} を {args.date} に抹消しました")
    return 0


def _strike_off_due(args) -> int:
    from yakuba.overseas_electors import services

    done = _run(args, lambda: services.strike_off_due(args.date))
    print(f"{args.date}: 国内に住所を定めた日後4か月を経過した {done:,} 人を抹消しました")
    return 0


def _book(args) -> int:
    from yakuba.overseas_electors.services import queries

    sys.stdout.buffer.write(_run(args, lambda: queries.book_csv(args.as_of)).encode())
    return 0


def _follow(lg_code: str, **kwargs):
    from yakuba.overseas_electors.services import follow  # models: only once Django is set up

    return follow.follow(lg_code, **kwargs)


def register(sub, lg_code_type) -> None:
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command, group
    from yakuba.platform.linkage.consumer_cli import add_follow

    actions = group(sub, "overseas", "在外選挙人名簿", metavar="ACTION")
    add_follow(
        actions,
        lg_code_type,
        _follow,
        label="在外選挙人名簿（住民記録の国外転出）",
        changes="出国時申請の案内",
        help="住民記録の国外転出から出国時申請の案内を作成（中断しても再実行で続きから）",
    )

    def day(p, flag="--date", text="日付"):
        p.add_argument(flag, required=True, type=iso_date, metavar="YYYY-MM-DD", help=text)

    p = command(
        actions,
        "apply-departure",
        "出国時申請（転出届の日から転出予定日まで）",
        _apply_departure,
        lg_code_type,
    )
    p.add_argument("--atena-no", required=True, help="宛名番号")
    day(p, text="申請日")
    p.add_argument("--agent", default="", metavar="NAME", help="受任者の氏名（受任者が申請するとき）")
    p.add_argument("--statement", action="store_true", help="申請者本人が署名した申出書を提示した")
    p = command(
        actions, "register", "在外選挙人名簿に登録（国外の住所を確認した申請）", _register, lg_code_type
    )
    p.add_argument("--application", required=True, type=int, help="申請ID")
    day(p, text="登録日")
    p.add_argument("--mission", default="", help="在外公館（省略時は申請のもの）")
    p.add_argument("--address", default="", help="国外の住所（省略時は申請のもの）")
    p = command(
        actions, "came-home", "国内に住所を定めた旨の表示（戸籍の附票の日）", _came_home, lg_code_type
    )
    p.add_argument("--card-no", required=True, help="在外選挙人証番号")
    day(p, text="国内住所を定めた日")
    p = command(
        actions,
        "strike-off",
        "抹消（死亡・国籍喪失・誤載・国内住所から4か月経過）",
        _strike_off,
        lg_code_type,
    )
    p.add_argument("--card-no", required=True, help="在外選挙人証番号")
    p.add_argument(
        "--reason", required=True, choices=("died", "nationality", "came_home", "wrong"), help="抹消の事由"
    )
    day(p, text="抹消日")
    p = command(
        actions,
        "strike-off-due",
        "国内に住所を定めた日後4か月を経過した人をまとめて抹消",
        _strike_off_due,
        lg_code_type,
    )
    day(p, text="抹消日")
    p = command(actions, "book", "在外選挙人名簿（指定日の状態、CSV）", _book, lg_code_type)
    day(p, "--as-of", "基準とする日")
