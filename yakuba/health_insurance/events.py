"""Event types of the 国保 app: a 資格 acquired or lost (取得・喪失), with its date and 事由.

The 賦課 (月割 from the 取得月 to the month before the 喪失月), the 後期 app (75歳到達) and outside
vendors (レセプト, 資格確認) learn of 資格 from these, not from the 国保 tables. The data holds no
name or address: who the person is, is the registry's to tell a client that may know.
"""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register

ACQUIRED = "jp.yakuba.health_insurance.qualification.acquired.v1"
LOST = "jp.yakuba.health_insurance.qualification.lost.v1"

_DATA = {
    "atena_no": "宛名番号",
    "setai_no": "国保世帯の世帯番号",
    "date": "取得日または喪失日（YYYY-MM-DD）",
    "reason": "事由（取得: move_in, birth, left_employee, welfare_ended, disability_withdrawn, ex_officio,"
    " migration／喪失: move_out, death, joined_employee, late_elderly, welfare_started, ex_officio）",
    "notified_on": "届出日（YYYY-MM-DD。住基の異動や年齢到達から自動で決まったときは空）",
}

for type_, title, description in (
    (
        ACQUIRED,
        "国民健康保険の資格取得",
        "被保険者が資格を取得したとき（出生は自動、転入などは加入届の受付で）。",
    ),
    (
        LOST,
        "国民健康保険の資格喪失",
        "被保険者が資格を喪失したとき（転出・死亡は翌日、75歳到達は誕生日、社保加入は届出で）。",
    ),
):
    register(EventType(type_, title, description, subject="宛名番号", data=_DATA))

DECIDED = "jp.yakuba.health_insurance.premium.decided.v1"

register(
    EventType(
        DECIDED,
        "国民健康保険税（料）の仮算定・本算定",
        "国保世帯の年度の税額（料額）が仮算定（前年度の税額から、仮算定の納期の分）または本算定で決まったとき。",
        subject="世帯番号",
        data={
            "fiscal_year": "年度",
            "version": "版",
            "reason": "事由（provisional: 仮算定／annual: 本算定）",
            "head_atena_no": "納税義務者（世帯主・擬制世帯主を含む）の宛名番号",
            "total": "年額（円。仮算定はその納期の合計）",
            "installments": "納期ごとの額（[[YYYY-MM, 円], …]）",
        },
    )
)

CORRECTED = "jp.yakuba.health_insurance.premium.corrected.v1"

register(
    EventType(
        CORRECTED,
        "国民健康保険税（料）の更正",
        "年度の途中で資格の異動や所得の更正があり、国保世帯の税額（料額）が変わったとき（新しい版）。",
        subject="世帯番号",
        data={
            "fiscal_year": "年度",
            "version": "版",
            "reason": "事由（correction: 更正）",
            "cause": "更正の理由（qualification: 資格異動／income: 所得更正）",
            "head_atena_no": "納税義務者（世帯主・擬制世帯主を含む）の宛名番号",
            "total": "更正後の年額（円）",
            "previous_total": "更正前の年額（円）",
            "installments": "納期ごとの額（[[YYYY-MM, 円], …]。納期の来たものは更正前のまま）",
            "overpaid": "過納額（円。納期の来た額が更正後の年額を超えるとき）",
        },
    )
)
