"""住民記録システム標準仕様書 §1.2.1 — the standard's own history example.

青木太郎 国内転入 (宛名 0000001, 履歴 1) then 転居 (履歴 2); 青木花子 国内転入 into the same 世帯
(宛名 0000002, 履歴 1). Our 宛名番号 carry the M11 check digit, so the numbers differ from the
example's illustrative ones; the structure of the keys is what the standard prescribes.
"""

from __future__ import annotations

import pytest

from tests.registry.conftest import ADDRESS_2, days_ago, move_body, person
from yakuba.platform.japanese.checkdigits import is_valid_m11

pytestmark = pytest.mark.django_db


def test_aoki_family_history_rows(registry):
    taro_in = registry.move_in(person(), move_date=days_ago(30))
    taro = taro_in["persons"][0]["atena_no"]
    setai = taro_in["setai_no"]
    assert taro_in["persons"] == [{"atena_no": taro, "history_no": 1}]
    moved = registry.move(
        move_body(
            "move_within",
            [{"atena_no": taro}],
            household={"setai_no": setai, "address": ADDRESS_2},
            move_date=days_ago(10),
            notified_date=days_ago(9),
        )
    )
    assert moved["persons"] == [{"atena_no": taro, "history_no": 2}] and moved["setai_no"] == setai
    hanako_in = registry.move_in(
        person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"), setai_no=setai, move_date=days_ago(5)
    )
    hanako = hanako_in["persons"][0]["atena_no"]
    assert hanako_in["persons"] == [{"atena_no": hanako, "history_no": 1}]
    # (宛名, 履歴) keys as in the standard: (太郎, 1), (太郎, 2), (花子, 1); numbers issued in order.
    assert int(hanako[:-1]) == int(taro[:-1]) + 1 and is_valid_m11(taro) and is_valid_m11(hanako)
    rows = registry.get(f"residents/{taro}/history").json()["history"]
    assert [(r["atena_no"], r["history_no"], r["move_kind"]) for r in rows] == [
        (taro, 1, "move_in"),
        (taro, 2, "move_within"),
    ]
    assert rows[0]["address"] == "福島県会津若松市東栄町3番46号"
    assert rows[1]["address"] == "福島県会津若松市栄町1番1号" and rows[1]["address_extra"] == "コーポ栄101"
    hanako_rows = registry.get(f"residents/{hanako}/history").json()["history"]
    assert [(r["atena_no"], r["history_no"]) for r in hanako_rows] == [(hanako, 1)]
    assert hanako_rows[0]["setai_no"] == setai and hanako_rows[0]["address"] == rows[1]["address"]
    household = registry.get(f"households/{setai}").json()
    assert [m["name"] for m in household["members"]] == ["青木 太郎", "青木 花子"]
    # as_of: the address valid on a date before the 転居.
    before = registry.get(f"residents/{taro}?as_of={days_ago(20)}").json()
    assert before["history_no"] == 1 and before["address"] == "福島県会津若松市東栄町3番46号"
    assert registry.get(f"residents/{taro}?as_of={days_ago(40)}").status_code == 404
