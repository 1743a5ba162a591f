"""Event types of the 在外選挙人名簿 (civil-facts §1.4): a person registered and an entry struck
off. The subject is the 在外選挙人証番号 (a 本籍地 registrant who never lived here has no
宛名番号); no 氏名 or 国外の住所 is sent.
"""

from __future__ import annotations

from yakuba.overseas_electors import access
from yakuba.platform.linkage.catalogue import EventType, register

REGISTERED = "jp.yakuba.overseas_electors.entry.registered.v1"
STRUCK_OFF = "jp.yakuba.overseas_electors.entry.struck-off.v1"

register(
    EventType(
        REGISTERED,
        "在外選挙人名簿への登録",
        "出国時申請又は在外公館申請により在外選挙人名簿に登録したとき（1人1件）。",
        subject="在外選挙人証番号",
        data={
            "atena_no": "宛名番号（この市区町村に住民票があった人。本籍地で登録した人は空）",
            "registered_on": "登録日",
            "kind": "申請の種類（departure: 出国時申請、mission: 在外公館申請）",
            "basis": "登録の根拠（last_address: 最終住所地、domicile: 本籍地）",
        },
        data_scope=access.READ,
        public=("registered_on", "kind"),
    )
)
register(
    EventType(
        STRUCK_OFF,
        "在外選挙人名簿からの抹消",
        "死亡、国籍喪失、国内に住所を定めた日後4か月の経過又は誤載により抹消したとき（公職選挙法第30条の11）。",
        subject="在外選挙人証番号",
        data={"atena_no": "宛名番号（ないときは空）", "reason": "抹消の事由", "on": "抹消日"},
        data_scope=access.READ,
        public=("reason", "on"),
    )
)
