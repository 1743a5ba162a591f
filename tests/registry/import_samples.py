"""A small valid 住民記録 file (docs/reference/contract.md#resident-csv) built in memory, for import tests.

Four 世帯 with the cases a migration meets: a Japanese family with 個人番号 and 住民票コード, a
foreign resident with 通称 and 在留資格, a 世帯 with a deceased member (除票), a 転出予定 person and
a 不詳 birth date.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.utils import timezone

from yakuba.platform.japanese.checkdigits import juminhyo_code_check_digit, my_number_check_digit, with_m11
from yakuba.registry.layout import HEADERS

TOWN = "福島県会津若松市"
TODAY = timezone.localdate()


def atena(n: int) -> str:
    return with_m11(f"{n:09d}")


def my_number(n: int) -> str:
    base = f"{31415926000 + n:011d}"
    return base + str(my_number_check_digit(base))


def juminhyo_code(n: int) -> str:
    base = f"{2718281000 + n:010d}"
    return base + str(juminhyo_code_check_digit(base))


def _ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def row(n: int, setai: int, rel: str, name: str, kana: str, birth: str, sex: int, **items) -> dict:
    base = {h: "" for h in HEADERS}
    base.update(
        {
            "宛名番号": atena(n),
            "世帯番号": atena(900 + setai),
            "住民種別": "1",
            "住民状態": "1",
            "氏名": name,
            "氏名フリガナ": kana,
            "生年月日": birth,
            "性別": str(sex),
            "続柄": rel,
            "郵便番号": "9650872",
            "住所": f"{TOWN}東栄町3番{setai}号",
            "住民となった年月日": _ago(400),
            "住所を定めた年月日": _ago(400),
            "届出年月日": _ago(398),
            "転入前住所": "東京都千代田区千代田1番1号",
            "個人番号": my_number(n),
            "住民票コード": juminhyo_code(n),
        }
    )
    base.update(items)
    return base


def sample_rows() -> list[dict]:
    return [
        row(
            1,
            1,
            "世帯主",
            "青木 太郎",
            "アオキ タロウ",
            "1960-01-07",
            1,
            本籍="福島県会津若松市追手町1番",
            筆頭者="青木 太郎",
        ),
        row(2, 1, "妻", "青木 花子", "アオキ ハナコ", "1962-03-03", 2, 旧氏="佐藤", 旧氏フリガナ="サトウ"),
        row(3, 1, "子", "青木 一郎", "アオキ イチロウ", "1990-05-05", 1),
        row(4, 1, "子", "𠮷田 髙", "ヨシダ タカシ", "1992-06-06", 1),
        row(
            5,
            2,
            "世帯主",
            "WANG FANG",
            "ワン・ファン",
            "1988-08-08",
            2,
            住民種別="2",
            **{"国籍・地域": "中国"},
            在留資格="永住者",
            在留期間等の満了の日="",
            在留カード等の番号="AB12345678CD",
            通称="王 芳",
            通称フリガナ="オウ ホウ",
        ),  # fmt: skip
        row(6, 3, "世帯主", "高橋 茂", "タカハシ シゲル", "昭和10年月日不詳", 1),
        row(
            7,
            3,
            "妻",
            "高橋 トメ",
            "タカハシ トメ",
            "1936-02-02",
            2,
            住民状態="3",
            消除事由="death",
            消除年月日=_ago(30),
        ),  # fmt: skip
        row(
            8,
            4,
            "世帯主",
            "鈴木 一",
            "スズキ ハジメ",
            "1979-09-09",
            1,
            住民状態="2",
            転出予定日=(TODAY + timedelta(days=5)).isoformat(),
            転出先住所="東京都港区芝公園4丁目2番8号",
            消除事由="move_out_domestic",
            消除年月日=(TODAY + timedelta(days=5)).isoformat(),
        ),  # fmt: skip
    ]


def to_csv(rows: list[dict], *, encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for r in rows:
        writer.writerow([r[h] for h in HEADERS])
    return out.getvalue().encode(encoding)


def write_large(path, persons: int) -> None:
    """A valid file of ``persons`` rows (couples: 世帯主 and 妻), streamed to ``path``.

    No value needs CSV quoting, so lines are joined directly (a million rows in seconds).
    """
    head = row(1, 1, "世帯主", "青木 太郎", "アオキ タロウ", "1960-01-07", 1)
    wife = row(2, 1, "妻", "青木 花子", "アオキ ハナコ", "1962-03-03", 2)
    varying = ("宛名番号", "世帯番号", "住所", "個人番号", "住民票コード")
    templates = [",".join(f"{{{h}}}" if h in varying else r[h] for h in HEADERS) for r in (wife, head)]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADERS) + "\r\n")
        for n in range(1, persons + 1):
            setai = (n + 1) // 2
            values = {
                "宛名番号": atena(n),
                "世帯番号": atena(10_000_000 + setai),
                "住所": f"{TOWN}東栄町{setai % 50 + 1}番{setai % 30 + 1}号",
                "個人番号": my_number(n),
                "住民票コード": juminhyo_code(n),
            }
            out.write(templates[n % 2].format_map(values) + "\r\n")
