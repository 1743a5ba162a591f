"""``yakuba insurance nenkin exemption --input FILE.json``: the 国民年金保険料 免除・納付猶予
judgement (contract §3; no database); ``entrants LG --date D``: the residents who reach 20 that
day; ``notify`` / ``apply LG --input FILE.json``: a 届出 or a 免除等 申請 taken at the counter;
``export LG --out FILE``: the file to the 年金事務所. The ``insurance`` group is shared with the
other insurance apps."""

from __future__ import annotations

import sys


def _cmd_entrants(args) -> int:
    """The day's 20歳到達 as CSV (stdout or ``--out``), with their count on stderr."""
    from yakuba.national_pension.services import entrants_csv, entrants_on
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.private_files import write_private_bytes

    with tenant_command(args.lg_code):
        found = entrants_on(args.date)
    body = entrants_csv(found)
    if args.out:
        write_private_bytes(args.out, body)  # names and 生年月日: 0600
    else:
        sys.stdout.buffer.write(body)
    print(f"{args.date.isoformat()} に20歳に達する方（資格取得の候補）: {len(found):,} 人", file=sys.stderr)
    return 0


def _recorder(model: str, function: str):
    """A handler recording the JSON of ``--input`` through the door: the record as JSON on
    stdout, or every reason as ``FILE: field: 理由`` (exit 2). The operator on the server sees
    persons under 支援措置 (he runs the system)."""

    def handler(args) -> int:
        from yakuba.national_pension import services
        from yakuba.platform.calculations import run_command
        from yakuba.platform.cli_support import tenant_command

        def recorded(body):
            with tenant_command(args.lg_code):
                return getattr(services, function)(body, protected=True).model_dump(mode="json")

        return run_command(args.input, getattr(services, model), recorded)

    return handler


def _cmd_export(args) -> int:
    """Everything not sent yet to ``--out`` (written as ``FILE.part`` in the export's transaction
    and renamed once it committed: the file exists only for an export the database remembers)."""
    from yakuba.national_pension.services import export_file
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.platform.private_files import open_private

    if args.out.exists():
        # An earlier export's file may not have been delivered yet: its rows are marked sent.
        raise CliError(
            f"{args.out} はすでにあります（前回の送付ファイルを上書きしないよう、別の名前を指定してください）"
        )
    part = args.out.with_name(args.out.name + ".part")
    try:
        with tenant_command(args.lg_code), open_private(part, encoding="utf-8-sig") as out:
            done = export_file(out, args.out.name)
        part.replace(args.out)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise CliError(f"ファイルに書き込めません: {args.out}（{exc.strerror}）") from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    print(
        f"年金事務所への送付 第{done.id}回: 届出 {done.notifications:,} 件、免除等申請 {done.applications:,} 件"
        f" → {args.out}",
        file=sys.stderr,
    )
    return 0


def register(sub, lg_code_type) -> None:
    from pathlib import Path

    from yakuba.platform import calculations
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command, group

    insurance = group(sub, "insurance", "保険（国保・後期高齢者医療・介護保険）", metavar="AREA")
    nenkin = group(insurance, "nenkin", "国民年金（第1号被保険者）")
    calculations.add_command(
        nenkin,
        "国民年金保険料の免除・納付猶予・学生納付特例",
        "§9.4.2",
        "yakuba.national_pension.services",
        "ExemptionIn",
        "judge_exemption",
        name="exemption",
        verb="判定する",
    )
    p = command(
        nenkin,
        "entrants",
        "20歳到達（その日に第1号被保険者の資格を取得する候補）の一覧を CSV で出力",
        _cmd_entrants,
        lg_code_type,
    )
    p.add_argument(
        "--date", required=True, type=iso_date, metavar="YYYY-MM-DD", help="資格取得日（20歳の誕生日の前日）"
    )
    p.add_argument("--out", type=Path, metavar="FILE", help="出力先（省略時は標準出力）")
    for name, what, model, function in (
        (
            "notify",
            "届出（資格取得・喪失・種別変更・住所変更・氏名変更）を受け付ける",
            "NotificationIn",
            "record_notification",
        ),
        (
            "apply",
            "免除・納付猶予・学生納付特例の申請を受け付け、所得を確認する",
            "ApplicationIn",
            "record_application",
        ),
    ):
        p = command(nenkin, name, what, _recorder(model, function), lg_code_type)
        p.add_argument(
            "--input", required=True, metavar="FILE.json", help="docs/reference/contract.md §9.4.3"
        )
    p = command(
        nenkin,
        "export",
        "年金事務所へ送付する届出・申請（未送付のすべて）を CSV で出力",
        _cmd_export,
        lg_code_type,
    )
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="出力先")
