"""``yakuba childcare …`` (docs/childcare.md "CLI"; contract §3):

- ``calculate --input FILE.json``: the 利用者負担 of one child's month (no database);
- ``facility LG --input FILE.json``: a 施設 and its 受入可能数 of a 年度;
- ``certify LG --input FILE.json``: a 支給認定 (or a new version of one);
- ``apply LG --input FILE.json``: a 利用申込;
- ``allocate LG --month YYYY-MM``: the 利用調整 of a 入所月 (its result list as JSON);
- ``fee decide LG --input FILE.json``: the 利用者負担 決定 of a 年度;
- ``follow LG``: the registry's 転出・死亡 of children in care until the feed is caught up
  (each 認定 ended, the 利用者負担 from the next month, a work item; resumable);
- ``fee redecide LG --year YYYY``: the September 再決定 of every child in care on the 年度's tax
  (a progress bar; run again after an interruption to resume).

Each input is the API's JSON; every reason it is refused is printed as ``FILE: field: 理由`` and
the exit status is 2. The operator's commands see no protected child's name.
"""

from __future__ import annotations

import json
import sys


def _print(out) -> None:
    json.dump(
        out.model_dump(mode="json") if out is not None else None, sys.stdout, ensure_ascii=False, indent=2
    )
    sys.stdout.write("\n")


def _refused(where: str, errors: list[dict]) -> int:
    from yakuba.platform.errors import EXIT_USAGE

    for error in errors:
        print(f"{where}: {error['field']}: {error['message']}", file=sys.stderr)
    return EXIT_USAGE


def _recording(model: str, function: str):
    """A handler: the ``--input`` JSON as ``model``, given to ``services.<function>`` in the
    municipality's transaction; the answer as JSON."""

    def handler(args) -> int:
        from pydantic import ValidationError

        from yakuba.childcare import services
        from yakuba.childcare.services import CalculationRejected
        from yakuba.platform.cli_support import read_input, tenant_command
        from yakuba.platform.schema_errors import message, path

        try:
            body = getattr(services, model).model_validate_json(read_input(args.input))
        except ValidationError as exc:
            return _refused(
                args.input,
                [{"field": path(e["loc"]) or "(全体)", "message": message(e)} for e in exc.errors()],
            )
        with tenant_command(args.lg_code):
            try:
                _print(getattr(services, function)(body))
            except CalculationRejected as exc:
                return _refused(args.input, exc.errors)
        return 0

    return handler


def _cmd_allocate(args) -> int:
    from yakuba.childcare import services
    from yakuba.childcare.services import CalculationRejected
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        try:
            _print(services.run_allocation(args.month))
        except CalculationRejected as exc:
            return _refused("--month", exc.errors)
    return 0


def _cmd_redecide(args) -> int:
    """The September 再決定 of every child with a 決定 of the 年度, with a progress bar; exit 1
    when some child could not be decided (a parent's tax missing, or the rules refused)."""
    from tqdm import tqdm

    from yakuba.childcare.services import redecision
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import EXIT_FAILURE, CliError, RunConflict

    with tenant_command(args.lg_code):
        total = redecision.count_in_care(args.year)
    try:
        with (
            bind_actor(SYSTEM),
            tqdm(total=total, unit="人", desc=f"{args.year}年度 利用者負担 再決定", disable=None) as bar,
        ):
            status = redecision.redecide(args.lg_code, args.year, progress=bar.update)
    except RunConflict as exc:
        raise CliError(str(exc), EXIT_FAILURE) from None
    print(
        f"{args.year}年度 9月からの利用者負担: 決定 {status.changed:,} 人、変更なし {status.unchanged:,} 人、"
        f"決定できなかった {status.refused:,} 人"
    )
    if status.refused_certificates:
        shown = "、".join(status.refused_certificates[:20])
        more = f" ほか {status.refused - 20:,} 件" if status.refused > 20 else ""
        print(f"窓口で決定してください（認定証番号）: {shown}{more}")
    return 0 if status.refused == 0 else 1


def _cmd_follow(args) -> int:
    from yakuba.childcare.services import follow
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        pass  # a municipality that is not registered stops here with its message
    with bind_actor(SYSTEM):
        done = follow.follow(args.lg_code)
    print(f"処理したイベント: {done.events:,} 件（認定の終了などの記録 {done.changes:,} 件）")
    return 0


def _year(text: str) -> int:
    import argparse

    if not (text.isdigit() and 2015 <= int(text) <= 2099):
        raise argparse.ArgumentTypeError(f"年度は西暦 4 桁（2015〜2099）で指定してください: {text}")
    return int(text)


def _month(text: str) -> str:
    import argparse
    import re

    from yakuba.childcare.rules.ages import MONTH

    if not re.match(MONTH, text):
        raise argparse.ArgumentTypeError(f"入所月は YYYY-MM で指定してください: {text}")
    return text


def register(sub, lg_code_type) -> None:
    from yakuba.platform import calculations
    from yakuba.platform.cli_support import command, group

    actions = group(sub, "childcare", "子ども・子育て支援（保育）")
    calculations.add_command(
        actions, "保育の利用者負担額", "§9.10", "yakuba.childcare.services", "FeeIn", "calculate_fee"
    )
    for name, what, model, function in (
        ("facility", "施設と受入可能数を登録する", "FacilityIn", "save_facility"),
        ("certify", "支給認定をする・変更する", "CertificationIn", "apply_certification"),
        ("apply", "利用申込を受け付ける", "ApplicationIn", "apply_application"),
    ):
        p = command(actions, name, what, _recording(model, function), lg_code_type)
        p.add_argument("--input", required=True, metavar="FILE.json", help="入力（API と同じ JSON）")
    command(
        actions,
        "follow",
        "住民記録の転出・死亡から認定を終了する（未処理がなくなるまで）",
        _cmd_follow,
        lg_code_type,
    )
    fee = group(actions, "fee", "利用者負担額の決定", dest="fee_action")
    p = command(
        fee,
        "decide",
        "利用者負担額を年度の月ごとに決定する",
        _recording("FeeDecisionIn", "decide_fee"),
        lg_code_type,
    )
    p.add_argument("--input", required=True, metavar="FILE.json", help="入力（API と同じ JSON）")
    p = command(
        fee,
        "redecide",
        "9月からの利用者負担額を新年度の税で再決定する（中断しても再実行で続きから）",
        _cmd_redecide,
        lg_code_type,
    )
    p.add_argument("--year", required=True, type=_year, metavar="YYYY", help="年度（西暦）")
    p = command(
        actions, "allocate", "入所月の利用調整をする（結果を JSON で出力）", _cmd_allocate, lg_code_type
    )
    p.add_argument("--month", required=True, type=_month, metavar="YYYY-MM", help="入所月")
