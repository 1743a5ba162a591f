"""Event types of the 選挙人名簿 (civil-facts §1.1, §1.8): a person registered, an entry marked
(表示) and an entry struck off (抹消).

The 住民記録 system must be able to look up 選挙人名簿への登録の有無 (住基法7条; civil-facts §1.1)
and the 在外選挙 and 期日前投票 systems follow the roll; no 氏名 or 住所 is sent — the subject is
the 宛名番号.
"""

from __future__ import annotations

from yakuba.elections import access
from yakuba.platform.linkage.catalogue import EventType, register

REGISTERED = "jp.yakuba.elections.entry.registered.v1"
MARKED = "jp.yakuba.elections.entry.marked.v1"
STRUCK_OFF = "jp.yakuba.elections.entry.struck-off.v1"

register(
    EventType(
        REGISTERED,
        "選挙人名簿への登録",
        "定時登録・選挙時登録・補正登録で選挙人名簿に登録したとき（1人1件）。",
        subject="宛名番号",
        data={
            "registered_on": "登録日",
            "kind": "登録の種類（teiji: 定時登録、election: 選挙時登録）",
            "basis": "登録の根拠（resident: 住所地、former_address: 旧住所地（第21条第2項））",
            "tohyoku": "投票区",
        },
        data_scope=access.READ,
        public=("registered_on", "kind"),
    )
)
register(
    EventType(
        MARKED,
        "選挙人名簿の表示",
        "転出又は選挙権を有しなくなったことの表示をしたとき、及びその表示を消除したとき（公職選挙法第27条）。",
        subject="宛名番号",
        data={
            "reason": "表示の内容（moved_out: 転出、lost_suffrage: 選挙権を有しない旨、restored: 表示の消除）",
            "on": "表示又は消除の日",
            "moved_out_on": "転出日（転出の表示のとき）",
        },
        data_scope=access.READ,
        public=("reason", "on"),
    )
)
register(
    EventType(
        STRUCK_OFF,
        "選挙人名簿からの抹消",
        "死亡、国籍喪失、転出後4か月の経過又は誤載により選挙人名簿から抹消したとき（公職選挙法第28条）。",
        subject="宛名番号",
        data={"reason": "抹消の事由", "on": "抹消日"},
        data_scope=access.READ,
        public=("reason", "on"),
    )
)
