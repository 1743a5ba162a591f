"""``yakuba tax …``: the 個人住民税 calculation from the shell (contract §3: no database)."""

from __future__ import annotations

import json
import sys

from pydantic import ValidationError

from yakuba.platform.errors import EXIT_USAGE


def _cmd_calculate(args) -> int:
    from yakuba.platform.cli_support import read_input
    from yakuba.platform.schema_errors import message, path
    from yakuba.tax.services import CalculationRejected, ResidentTaxIn, calculate_resident_tax

    text = read_input(args.input)
    try:
        body = ResidentTaxIn.model_validate_json(text)
        result = calculate_resident_tax(body)
    except ValidationError as exc:
        errors = [{"field": path(e["loc"]) or "(全体)", "message": message(e)} for e in exc.errors()]
        return _refused(args.input, errors)
    except CalculationRejected as exc:
        return _refused(args.input, exc.errors)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _refused(source: str, errors: list[dict]) -> int:
    for error in errors:
        print(f"{source}: {error['field']}: {error['message']}", file=sys.stderr)
    return EXIT_USAGE


def register(sub, lg_code_type) -> None:
    from yakuba.platform.cli_support import command, group

    taxes = group(sub, "tax", "税務（個人住民税ほか）", metavar="TAX")
    resident = group(taxes, "resident-tax", "個人住民税")
    p = command(
        resident,
        "calculate",
        "個人住民税を計算する（JSON を入力、結果を JSON で出力。データベース不要）",
        _cmd_calculate,
    )
    p.add_argument(
        "--input", required=True, metavar="FILE.json", help="計算の入力（docs/reference/contract.md §9.2）"
    )
    p.set_defaults(needs_db=False)
