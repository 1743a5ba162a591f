"""argparse types shared by every command: a bad value is one line, never a traceback."""

from __future__ import annotations

import argparse
from datetime import date


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日付は YYYY-MM-DD で指定してください: {value}") from None


def year_month(value: str) -> date:
    """「YYYY-MM」 (a 支払月, a 賦課月 …) as the 1st of the month."""
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"年月は YYYY-MM で指定してください: {value}") from None


def positive_int(value: str) -> int:
    try:
        number = int(value.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"整数を指定してください: {value}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"1以上を指定してください: {value}")
    return number


ENCODINGS = ("utf-8", "cp932")


def add_encoding_argument(parser: argparse.ArgumentParser) -> None:
    """``--encoding utf-8|cp932``: the two encodings of the 住民記録 files
    (docs/reference/contract.md#resident-csv)."""
    parser.add_argument("--encoding", choices=ENCODINGS, default="utf-8", help="文字コード（既定: utf-8）")
