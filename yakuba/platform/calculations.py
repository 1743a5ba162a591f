"""What every pure calculation (contract §4.8: 個人住民税, 国保, 後期, 介護 …) shares around its
engine: the refusal naming each field, the ``calculate --input FILE.json`` command, the API's
422, and the ages the engines judge by.

A calculation is a pydantic model in, a function to a JSON-ready dict out; bad input is every
reason at once as ``[{"field", "message"}]`` in Japanese — the CLI prints them as
``FILE: field: 理由`` and exits 2, the API answers 422 with them (contract §3.2, §4.1).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from datetime import date

from pydantic import BaseModel, ValidationError

from yakuba.platform.japanese.wareki import age_on


class CalculationRejected(ValueError):
    """Input the engine cannot take: ``errors`` as ``[{"field", "message"}]`` in Japanese."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def run_command(path: str, model: type[BaseModel], calculate: Callable[[BaseModel], dict]) -> int:
    """``yakuba … calculate --input FILE.json``: the answer as JSON on stdout (exit 0), or every
    reason on stderr as ``FILE: field: 理由`` (exit 2). No database."""
    from yakuba.platform.cli_support import read_input
    from yakuba.platform.errors import EXIT_USAGE
    from yakuba.platform.schema_errors import message
    from yakuba.platform.schema_errors import path as field_path

    text = read_input(path)
    try:
        result = calculate(model.model_validate_json(text))
    except ValidationError as exc:
        errors = [{"field": field_path(e["loc"]) or "(全体)", "message": message(e)} for e in exc.errors()]
    except CalculationRejected as exc:
        errors = exc.errors
    else:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for error in errors:
        print(f"{path}: {error['field']}: {error['message']}", file=sys.stderr)
    return EXIT_USAGE


def add_command(
    actions,
    what: str,
    section: str,
    door: str,
    model: str,
    function: str,
    *,
    name: str = "calculate",
    verb: str = "計算する",
) -> None:
    """The ``calculate --input FILE.json`` action of a group: ``what`` is computed (「個人住民税」),
    ``section`` the contract's section of its JSON (「§9.2」); ``door`` the module holding the
    ``model`` and the ``function``, imported when the command runs (after Django is set up). A
    judgement rather than a calculation names its action and verb (``exemption``, 「判定する」)."""
    from yakuba.platform.cli_support import command

    def handler(args) -> int:
        module = importlib.import_module(door)
        return run_command(args.input, getattr(module, model), getattr(module, function))

    p = command(
        actions,
        name,
        f"{what}を{verb}（JSON を入力、結果を JSON で出力。データベース不要）",
        handler,
    )
    p.add_argument(
        "--input",
        required=True,
        metavar="FILE.json",
        help=f"計算の入力（docs/reference/contract.md {section}）",
    )
    p.set_defaults(needs_db=False)


def age_from_birth(birth: date, fiscal_year: int) -> int:
    """Age on 12月31日 before the 年度 as the tax and insurance laws judge it: a year is reached
    at the end of the day before the birthday (年齢計算ニ関スル法律), so one born on 1月1日 is a
    year older on 12月31日 (地方税法 §314の2 ⑦; the 65歳以上 of the 公的年金等控除 and of the
    国保・後期 軽減 judgement)."""
    return age_on(birth, date(fiscal_year, 1, 1))


def birth_for_age(age: int, fiscal_year: int) -> date:
    """The latest date of birth giving ``age`` on 12月31日 before the 年度 (for input that gives
    an age instead of a date: a later-born person of that age is judged the same way)."""
    return date(fiscal_year - age, 1, 1)
