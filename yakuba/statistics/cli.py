"""``yakuba report …``: the 住基年報 (contract §3, §9.1), the monthly tables and the pyramid, on
stdout or in a file; ``yakuba opendata publish``: the 自治体標準オープンデータセット with its DCAT
metadata in a directory. Each audited as an export (docs/statistics.md)."""

from __future__ import annotations

import sys

from yakuba.platform.errors import CliError

FORMATS = ("json", "csv", "xlsx")
FORMAT_HELP = "出力形式（json: 契約どおりの JSON、csv: 機械可読性ルールに沿った CSV、xlsx: 調査票に似せた表）"


def _emit(body: bytes, args) -> None:
    """Write the report to ``--out``, or to stdout."""
    if not args.out:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    try:
        with open(args.out, "wb") as fh:
            fh.write(body)
    except OSError as exc:
        raise CliError(f"ファイルに書けません: {args.out}（{exc.strerror}）") from None
    print(f"{args.out} に出力しました", file=sys.stderr)


def _check_output(args) -> None:
    """Before any work: XLSX and PNG are not for a terminal."""
    if args.format in ("xlsx", "png") and not args.out:
        raise CliError(f"--format {args.format} には --out FILE（出力先）を指定してください")


def _output_arguments(p) -> None:
    p.add_argument("--format", choices=FORMATS, default="json", help=FORMAT_HELP)
    p.add_argument("--out", metavar="FILE", help="出力先（省略時は標準出力。xlsx では必須）")


def _refused(option: str, exc) -> CliError:
    return CliError(f"{option}: {exc.message}")


def _cmd_population(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.statistics.services import BadRequest, files, population

    _check_output(args)
    with tenant_command(args.lg_code):
        try:
            report = population.population_report(args.lg_code, args.as_of, output=args.format)
        except BadRequest as exc:
            raise _refused("--as-of", exc) from None
        _emit(files.population_file(report, args.format), args)  # in the transaction: no file, no audit row
    return 0


def _cmd_monthly(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.statistics.services import BadRequest, files, month_bounds, monthly

    _check_output(args)
    if args.table == "movements" and args.as_of:
        raise CliError("--as-of は町字別・年齢別の表だけに指定できます（異動の表は --month）")
    with tenant_command(args.lg_code):
        try:
            if args.as_of:
                day, option = args.as_of, "--as-of"
            else:
                option = "--month"
                first, last = month_bounds(args.month)
                day = monthly.as_of_month(last)
            if args.table == "movements":
                table = monthly.movements_table(args.lg_code, first, last, output=args.format)
            else:
                make = monthly.town_table if args.table == "town" else monthly.age_table
                table = make(args.lg_code, day, output=args.format)
        except BadRequest as exc:
            raise _refused(option, exc) from None
        _emit(files.monthly_file(table, args.format), args)
    return 0


def _cmd_pyramid(args) -> int:
    from yakuba.platform.cli_support import tenant_command
    from yakuba.statistics.services import BadRequest, pyramid

    _check_output(args)
    with tenant_command(args.lg_code):
        try:
            body = pyramid.pyramid_image(
                args.lg_code, args.as_of, output=args.format, width=args.bands, compare=not args.no_compare
            )
        except BadRequest as exc:
            raise _refused("--as-of", exc) from None
        _emit(body, args)
    return 0


def _cmd_publish(args) -> int:
    from pathlib import Path

    from django.utils import timezone
    from tqdm import tqdm

    from yakuba.platform.cli_support import tenant_command
    from yakuba.statistics.services import BadRequest, opendata

    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"--out: ディレクトリを作れません: {out}（{exc.strerror}）") from None
    day = args.as_of or timezone.localdate()
    options = {"min_cell": "--min-cell", "small_area": "--small-area", "base_url": "--base-url"}
    with (
        tenant_command(args.lg_code),
        tqdm(
            total=len(opendata.STEPS), desc="オープンデータ", unit="件", disable=None, file=sys.stderr
        ) as bar,
    ):
        try:
            published = opendata.publish(
                args.lg_code,
                day,
                min_persons=args.min_cell,
                mode=args.small_area,
                base_url=args.base_url,
                step=lambda name: (bar.set_postfix_str(name), bar.update()),
            )
        except BadRequest as exc:
            raise _refused(options.get(exc.field, "--as-of"), exc) from None
        for name, body in published.files.items():  # in the transaction: no files, no audit row
            try:
                (out / name).write_bytes(body)
            except OSError as exc:
                raise CliError(f"ファイルに書けません: {out / name}（{exc.strerror}）") from None
    print(
        f"{out} に {len(published.files)} ファイルを出力しました（町字 {published.areas}、"
        f"その他にまとめた町字 {published.merged}、秘匿した町字 {published.suppressed}）",
        file=sys.stderr,
    )
    return 0


def register(sub, lg_code_type) -> None:
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command, group

    reports = group(sub, "report", "統計表（住基年報・月次の人口表・人口ピラミッド）", metavar="REPORT")
    p = command(
        reports,
        "population",
        "住民基本台帳に基づく人口、人口動態及び世帯数調査（総計・日本人住民・外国人住民）",
        _cmd_population,
        lg_code_type,
    )
    p.add_argument(
        "--as-of", required=True, type=iso_date, metavar="DATE", help="基準日（YYYY-MM-DD、全国調査は1月1日）"
    )
    _output_arguments(p)
    p = command(
        reports,
        "pyramid",
        "人口ピラミッド（男女別・年齢別、1年前の同じ日を輪郭で重ねる）",
        _cmd_pyramid,
        lg_code_type,
    )
    p.add_argument("--as-of", required=True, type=iso_date, metavar="DATE", help="基準日（YYYY-MM-DD）")
    p.add_argument("--format", choices=("png", "svg"), default="png", help="画像の形式（既定 png）")
    p.add_argument(
        "--bands", type=int, choices=(1, 5), default=5, help="年齢の刻み（1: 各歳、5: 5歳階級。既定 5）"
    )
    p.add_argument("--no-compare", action="store_true", help="1年前の同じ日を重ねない")
    p.add_argument("--out", metavar="FILE", help="出力先（svg は省略時に標準出力、png では必須）")
    p = command(
        reports,
        "monthly",
        "月次の人口表（町字別人口・世帯数、各歳男女別人口、その月の異動）",
        _cmd_monthly,
        lg_code_type,
    )
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument(
        "--month", metavar="YYYY-MM", help="対象の月（町字別・年齢別はその月末現在、異動はその月の分）"
    )
    when.add_argument(
        "--as-of", type=iso_date, metavar="DATE", help="町字別・年齢別をこの日現在で（YYYY-MM-DD）"
    )
    p.add_argument(
        "--table",
        choices=("town", "age", "movements"),
        default="town",
        help="town: 町字別人口・世帯数、age: 各歳男女別人口、movements: 異動（既定 town）",
    )
    _output_arguments(p)

    data = group(sub, "opendata", "オープンデータ（自治体標準オープンデータセット）", metavar="ACTION")
    p = command(
        data,
        "publish",
        "「地域・年齢別人口」と「人口・世帯数」の CSV と DCAT メタデータ（JSON-LD）を出力",
        _cmd_publish,
        lg_code_type,
    )
    from yakuba.statistics.rules.opendata import DEFAULT_MIN_PERSONS, MODES

    p.add_argument("--out", required=True, metavar="DIR", help="出力先ディレクトリ（なければ作ります）")
    p.add_argument("--as-of", type=iso_date, metavar="DATE", help="基準日（YYYY-MM-DD、既定は今日）")
    p.add_argument(
        "--min-cell",
        type=int,
        default=DEFAULT_MIN_PERSONS,
        metavar="N",
        help="この人数未満の町字は公開しない（その他にまとめるか秘匿。0 で全町字を公開。既定 %(default)s）",
    )
    p.add_argument(
        "--small-area",
        choices=MODES,
        default=MODES[0],
        help="小さな町字の扱い（merge: その他にまとめる、suppress: 秘匿として空欄。既定 merge）",
    )
    p.add_argument(
        "--base-url",
        default="",
        metavar="URL",
        help="ファイルを公開するURL（メタデータの downloadURL。既定は相対）",
    )
