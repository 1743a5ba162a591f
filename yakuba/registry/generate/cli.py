"""``yakuba generate LG_CODE --residents N [--seed S] [--as-of DATE]``."""

from __future__ import annotations

from yakuba.platform.argtypes import iso_date, positive_int
from yakuba.platform.errors import CliError


def _cmd_generate(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.registry.generate import GenerateError, generate_population

    try:
        with tenant_command(args.lg_code):
            summary = generate_population(
                args.residents, seed=args.seed, as_of=args.as_of, progress=not args.quiet
            )
    except GenerateError as exc:
        raise CliError(str(exc)) from None
    print(
        f"住民 {summary.residents:,} 人（うち外国人 {summary.foreign:,} 人）、世帯 {summary.households:,}、"
        f"除票 {summary.removed:,} 人、履歴 {summary.history_rows:,} 行、異動 {summary.moves:,} 件を生成しました"
        f"（シード {args.seed}、{summary.seconds:,.1f} 秒）"
    )
    return 0


def register(sub, lg_code_type) -> None:
    p = sub.add_parser("generate", help="合成住民データ（実在の町字・全国の人口構成）を生成する")
    p.add_argument(
        "lg_code", metavar="LG_CODE", type=lg_code_type, help="全国地方公共団体コード（例: 072028）"
    )
    p.add_argument("--residents", required=True, type=positive_int, metavar="N", help="住民数")
    p.add_argument("--seed", type=int, default=1, help="乱数の種（同じ種なら同じ住民。既定: 1）")
    p.add_argument("--as-of", type=iso_date, default=None, metavar="DATE", help="基準日（既定: 今日）")
    p.add_argument("--quiet", action="store_true", help="進捗バーを表示しない")
    p.set_defaults(handler=_cmd_generate)


__all__ = ["register"]
