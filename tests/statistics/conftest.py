"""A small town filed through the registry's API, with every case the survey's tables must get
right, and the figures each table must show — worked out by hand (test_population.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from tests.registry.conftest import ADDRESS, ADDRESS_2, TODAY, days_ago, move_body, person, registry  # noqa: F401

D = TODAY + timedelta(days=1)  # the 基準日: the registry at the start of tomorrow = all of today
DESTINATION = "東京都千代田区千代田1番1号"
FOREIGN = {
    "resident_type": 2,
    "residence_status": "永住者",
    "residence_expiry": "2031-03-31",
}


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 2月29日
        return date(day.year - years, 3, 1)


def foreigner(name, kana, birth, sex, rel="世帯主", card="AB12345678CD", nationality="米国", previous=""):
    return person(
        name,
        kana,
        birth,
        sex,
        rel,
        nationality=nationality,
        residence_card_no=card,
        previous_address=previous,
        **FOREIGN,
    )


@dataclass
class Town:
    """Who is who; ``born`` is each present person's (住民種別, sex, 生年月日) as the report counts."""

    born: list[tuple[int, int, date]]


def _ids(result) -> list[str]:
    return [p["atena_no"] for p in result["persons"]]


def _out(registry, atena, when, destination="domestic"):  # noqa: F811
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": atena}],
            move_date=when,
            destination=destination,
            destination_address=DESTINATION if destination == "domestic" else "アメリカ合衆国",
        )
    )


@pytest.fixture
def small_town(registry):  # noqa: F811
    r = registry
    centenarian, almost = years_before(D, 100), years_before(D + timedelta(days=1), 100)
    # 日本人の世帯 (転入 国内), and a child born into it
    aoki = r.move_in(
        person("青木 太郎", "アオキ タロウ", "1960-01-07", 1),
        person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"),
        move_date=days_ago(200),
    )
    r.move(
        move_body(
            "birth",
            [person("青木 桜", "アオキ サクラ", days_ago(100), 2, "子", previous_address="")],
            household={"setai_no": aoki["setai_no"]},
            move_date=days_ago(100),
        )
    )
    # 外国人住民 alone (転入 国外)
    r.move_in(
        foreigner("SMITH JOHN", "スミス ジョン", "1985-07-04", 1),
        address=ADDRESS_2,
        origin="abroad",
        move_date=days_ago(150),
    )
    # 複数国籍世帯: a 日本人 head and his 外国人 wife, one 転入 (国内)
    r.move_in(
        person("佐藤 健", "サトウ ケン", "1975-01-01", 1),
        foreigner(
            "SATO MARIA",
            "サトウ マリア",
            "1978-02-02",
            2,
            "妻",
            card="CD87654321EF",
            nationality="ブラジル",
            previous=DESTINATION,
        ),
        move_date=days_ago(120),
    )
    # registered before the period: a 100-year-old and her sister of 99 (her birthday is the day after D)
    r.move_in(
        person("長寿 トメ", "チョウジュ トメ", centenarian.isoformat(), 2),
        person("長寿 ウメ", "チョウジュ ウメ", almost.isoformat(), 2, "妹"),
        move_date=days_ago(400),
    )
    # 転出予定: the 転出予定日 is after D, so present and not removed
    (yamada,) = _ids(r.move_in(person("山田 一", "ヤマダ ハジメ", "1990-02-02", 1), move_date=days_ago(300)))
    _out(r, yamada, (TODAY + timedelta(days=5)).isoformat())
    # 転出 (国内) and 転出 (国外, a 外国人住民 who came from abroad)
    (suzuki,) = _ids(
        r.move_in(person("鈴木 二郎", "スズキ ジロウ", "1970-10-10", 1), move_date=days_ago(300))
    )
    _out(r, suzuki, days_ago(10))
    (lee,) = _ids(
        r.move_in(
            foreigner("LEE MINA", "イ ミナ", "1995-05-05", 2, card="EF11223344GH", nationality="韓国"),
            address=ADDRESS_2,
            origin="abroad",
            move_date=days_ago(250),
        )
    )
    _out(r, lee, days_ago(5), "abroad")
    # 死亡
    (takahashi,) = _ids(
        r.move_in(person("高橋 三郎", "タカハシ サブロウ", "1940-04-04", 1), move_date=days_ago(300))
    )
    r.move({"kind": "death", "move_date": days_ago(20), "persons": [{"atena_no": takahashi}]})
    # a 転入 later canceled: counts nowhere
    canceled = r.move_in(person("取消 太郎", "トリケシ タロウ", "1980-08-08", 1), move_date=days_ago(30))
    r.move({"kind": "cancel", "cancel_move_id": canceled["move_id"], "move_date": days_ago(25)})
    # a 転入 with a wrong 生年月日, corrected (誤記修正): one 転入, the corrected age
    (ito,) = _ids(r.move_in(person("伊藤 四郎", "イトウ シロウ", "1990-01-01", 1), move_date=days_ago(60)))
    r.move(move_body("correction", [{"atena_no": ito, "birth_date": "1950-01-01"}], move_date=days_ago(50)))
    # 職権記載 (その他の記載), and 職権消除 of one registered before the period (その他の消除)
    r.move(
        move_body(
            "ex_officio_record",
            [person("職権 五郎", "ショッケン ゴロウ", "1985-12-12", 1, previous_address="")],
            household={"address": ADDRESS_2},
            move_date=days_ago(40),
        )
    )
    (gone,) = _ids(
        r.move_in(person("不在 六郎", "フザイ ロクロウ", "1966-06-06", 1), move_date=days_ago(500))
    )
    r.move({"kind": "ex_officio_remove", "move_date": days_ago(15), "persons": [{"atena_no": gone}]})
    return Town(
        born=[
            (1, 1, date(1960, 1, 7)),
            (1, 2, date(1962, 3, 3)),
            (1, 2, date.fromisoformat(days_ago(100))),
            (2, 1, date(1985, 7, 4)),
            (1, 1, date(1975, 1, 1)),
            (2, 2, date(1978, 2, 2)),
            (1, 2, centenarian),
            (1, 2, almost),
            (1, 1, date(1990, 2, 2)),
            (1, 1, date(1950, 1, 1)),
            (1, 1, date(1985, 12, 12)),
        ]
    )
