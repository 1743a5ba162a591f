"""``yakuba childcare …`` (docs/childcare.md "CLI"; contract §3):

- ``calculate --input FILE.json``: the 利用者負担 of one child's month (no database);
- ``facility LG --input FILE.json``: a 施設 and its 受入可能数 of a 年度;
- ``certify LG --input FILE.json``: a 支給認定 (or a new version of one);
- ``apply LG --input FILE.json``: a 利用申込;
- ``allocate LG --month YYYY-MM``: the 利用調整 of a 入所月 (its result list as JSON);
- ``fee LG --input FILE.json``: the 利用者負担 決定 of a 年度.

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
        ("fee", "利用者負担額を年度の月ごとに決定する", "FeeDecisionIn", "decide_fee"),
    ):
        p = command(actions, name, what, _recording(model, function), lg_code_type)
        p.add_argument("--input", required=True, metavar="FILE.json", help="入力（API と同じ JSON）")
    p = command(
        actions, "allocate", "入所月の利用調整をする（結果を JSON で出力）", _cmd_allocate, lg_code_type
    )
    p.add_argument("--month", required=True, type=_month, metavar="YYYY-MM", help="入所月")
