"""Event types of the 後期 app: a 資格 acquired or lost (取得・喪失), with its date and 事由; a
premium the 広域連合 decided and the municipality received (賦課結果, one per person and version).

Outside vendors (the 広域連合's system, 資格確認) and other apps learn of 後期 資格 from these,
not from the tables. The data holds no name or address (the registry's to tell).
"""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register

ACQUIRED = "jp.yakuba.late_elderly_medical.qualification.acquired.v1"
LOST = "jp.yakuba.late_elderly_medical.qualification.lost.v1"
RECEIVED = "jp.yakuba.late_elderly_medical.premium.received.v1"

_DATA = {
    "atena_no": "宛名番号",
    "date": "取得日または喪失日（YYYY-MM-DD）",
    "reason": "事由（取得: age_75, move_in, disability, welfare_ended, migration／喪失: move_out, death,"
    " welfare_started, ex_officio）",
    "notified_on": "届出日（YYYY-MM-DD。住基の異動や年齢到達から自動で決まったときは空）",
}

for type_, title, description in (
    (
        ACQUIRED,
        "後期高齢者医療の資格取得",
        "75歳の誕生日、75歳以上の方の転入、障害認定（65〜74歳、申請による）で資格を取得したとき。",
    ),
    (
        LOST,
        "後期高齢者医療の資格喪失",
        "被保険者が資格を喪失したとき（転出・死亡は翌日、生活保護の開始は当日）。",
    ),
):
    register(EventType(type_, title, description, subject="宛名番号", data=_DATA))

register(
    EventType(
        RECEIVED,
        "後期高齢者医療保険料の賦課結果の受領",
        "広域連合の賦課結果ファイルを取り込んだとき、被保険者ごとに1件（訂正したファイルの再取込みは新しい版）。",
        subject="宛名番号",
        data={
            "atena_no": "宛名番号",
            "fiscal_year": "年度",
            "version": "版（同じ年度・同じ人の取込みごとに1から）",
            "premium": "年間保険料額",
            "collection": "徴収方法（pension 特別徴収, direct 普通徴収）",
            "installments": '納期ごとの額（[["YYYY-MM", 額], …]）',
        },
    )
)
