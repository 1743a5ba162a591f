"""Certificate fixtures: the registry's API fixture, and a small town filed through it — a
five-person 世帯 with rare kanji (the generator's 異体字 surnames: 𠮷, 髙, 﨑, 邉), a foreign
resident, a 転出予定 person and a 除票 — for the content and rendering tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.registry.conftest import ADDRESS_2, move_body, person, registry  # noqa: F401 (fixture)

TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()
DESTINATION = "東京都千代田区千代田1番1号"


@dataclass
class Town:
    setai: str  # the five-person 世帯
    head: str
    wife: str
    children: list[str]  # oldest first
    foreign_setai: str
    smith: str
    leaving: str  # 転出予定 (tomorrow), alone in its 世帯
    leaving_setai: str
    removed: str  # 除票 (転出 yesterday)


def _ids(result) -> list[str]:
    return [p["atena_no"] for p in result["persons"]]


@pytest.fixture
def town(registry):  # noqa: F811
    # Filed out of order: the certificate prints the standard order (§5.2).
    family = registry.move_in(
        person("𠮷田 邉子", "ヨシダ ナベコ", "2012-05-05", 2, "子"),
        person("髙橋 﨑男", "タカハシ サキオ", "1980-04-01", 1, "世帯主"),
        person("𠮷田 一郎", "ヨシダ イチロウ", "2008-09-10", 1, "子"),
        person("髙橋 花子", "タカハシ ハナコ", "1982-06-15", 2, "妻", former_surname="渡邉"),
        person("𠮷田 次郎", "ヨシダ ジロウ", "2010-01-20", 1, "子"),
    )
    ids = _ids(family)
    smith = registry.move_in(
        person(
            "SMITH JOHN",
            "スミス ジョン",
            "1985-07-04",
            resident_type=2,
            nationality="米国",
            residence_status="永住者",
            residence_expiry="2031-03-31",
            residence_card_no="AB12345678CD",
        ),
        address=ADDRESS_2,
    )
    alone = registry.move_in(person("山﨑 浩", "ヤマザキ ヒロシ", "1990-02-02"), address=ADDRESS_2)
    gone = registry.move_in(person("齋藤 誠", "サイトウ マコト", "1975-12-24"), address=ADDRESS_2)
    leaving, removed = _ids(alone)[0], _ids(gone)[0]
    for atena, when in ((leaving, TOMORROW), (removed, None)):
        registry.move(
            move_body(
                "move_out",
                [{"atena_no": atena}],
                move_date=when,
                destination="domestic",
                destination_address=DESTINATION,
            )
        )
    return Town(
        setai=family["setai_no"],
        head=ids[1],
        wife=ids[3],
        children=[ids[2], ids[4], ids[0]],
        foreign_setai=smith["setai_no"],
        smith=_ids(smith)[0],
        leaving=leaving,
        leaving_setai=alone["setai_no"],
        removed=removed,
    )
