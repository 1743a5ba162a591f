"""附票 fixtures: a 世帯 whose 本籍 is in 会津若松市 and one whose 本籍 is in 千代田区, filed through
the registry's API with their 住民票コード (from the 転出証明書)."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import person, registry  # noqa: F401 (fixture)
from yakuba.koseki_annex.rules.notice_file import COLUMNS
from yakuba.platform.japanese.checkdigits import juminhyo_code_check_digit

HONSEKI = "福島県会津若松市東栄町3番"
OTHER_HONSEKI = "東京都千代田区千代田1番"
# The 筆頭者 as the 附票 keeps it (rules/domicile.koseki_key): the registry types "会津 太郎".
HITTOSHA = "会津\u3000太郎"


def code(n: int) -> str:
    """A valid 住民票コード (10 digits and the check digit)."""
    base = f"{n:010d}"
    return base + str(juminhyo_code_check_digit(base))


CODE = code(1234567890)


def notice_line(**cells) -> list[str]:
    """One line of a 附票記載事項通知 file from 千代田区 to 会津若松市 (cells by column name)."""
    row = {
        "送付元団体コード": "131016",
        "送付先団体コード": AIZU,
        "本籍": HONSEKI,
        "筆頭者": "会津 太郎",
        "住民票コード": CODE,
        "氏名": "会津 花子",
        "生年月日": "1990-04-01",
        "性別": "2",
        "住所": "東京都千代田区千代田1番1号",
        "住所を定めた年月日": "2026-11-01",
        "国外転出者": "0",
        "転出先国名": "",
        "支援措置": "0",
        **cells,
    }
    return [row[c] for c in COLUMNS]


def notice_file(*lines: list[str]) -> bytes:
    """A notice file of ``lines`` (UTF-8 with BOM, CRLF)."""
    return (
        "\ufeff" + ",".join(COLUMNS) + "\r\n" + "".join(",".join(line) + "\r\n" for line in lines)
    ).encode()


@pytest.fixture
def family(registry, system_actor):  # noqa: F811
    """会津 (本籍 here) at 東栄町3番46号, moved in 3 days ago: {氏名: (宛名番号, 住民票コード)}."""
    people = [
        person(
            "会津 太郎",
            "アイヅ タロウ",
            "1980-05-05",
            1,
            "世帯主",
            juminhyo_code=code(1),
            domicile=HONSEKI,
            domicile_head="会津 太郎",
        ),
        person(
            "会津 花子",
            "アイヅ ハナコ",
            "1982-07-07",
            2,
            "妻",
            juminhyo_code=code(2),
            domicile=HONSEKI,
            domicile_head="会津 太郎",
        ),
    ]
    filed = registry.move_in(*people)
    return {
        p["name"]: (f["atena_no"], p["juminhyo_code"]) for p, f in zip(people, filed["persons"], strict=True)
    }


@pytest.fixture
def newcomer(registry, system_actor):  # noqa: F811
    """千代田 (本籍 in 千代田区), moved in 3 days ago: (宛名番号, 住民票コード)."""
    p = person(
        "千代田 一郎",
        "チヨダ イチロウ",
        "1975-03-03",
        1,
        "世帯主",
        juminhyo_code=code(3),
        domicile=OTHER_HONSEKI,
        domicile_head="千代田 一郎",
    )
    filed = registry.move_in(p)
    return filed["persons"][0]["atena_no"], p["juminhyo_code"]
