"""Event types of the 保育 app: a 支給認定, a 利用調整 result and a 利用者負担 決定.

Other apps (and the 施設's side, out of process) learn of them from these, not from the tables.
The data holds no name, address, 事由 or 所得; the subject is the child's 宛名番号, so the feed
withholds a child under 支援措置 from a client without ``registry:protected`` (apps.py).
"""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register

CERTIFIED = "jp.yakuba.childcare.certification.decided.v1"
ALLOCATED = "jp.yakuba.childcare.allocation.decided.v1"
FEE_DECIDED = "jp.yakuba.childcare.fee.decided.v1"

register(
    EventType(
        CERTIFIED,
        "保育の支給認定",
        "教育・保育給付認定（1号・2号・3号）をしたとき、または変更したとき（認定証番号の新しい版）。",
        subject="子どもの宛名番号",
        data={
            "atena_no": "子どもの宛名番号",
            "certificate_no": "認定証番号",
            "version": "版",
            "kind": "認定区分（1, 2, 3）",
            "need": "保育必要量（standard, short。1号は空）",
            "valid_from": "有効期間の始期（YYYY-MM-DD）",
            "valid_until": "有効期間の終期（YYYY-MM-DD）",
        },
    )
)
register(
    EventType(
        ALLOCATED,
        "保育の利用調整の結果",
        "利用調整で申込ごとの結果（内定・保留）が決まったとき。",
        subject="子どもの宛名番号",
        data={
            "atena_no": "子どもの宛名番号",
            "application_no": "申込番号",
            "month": "入所月（YYYY-MM）",
            "outcome": "結果（offered 内定, pending 保留）",
            "facility": "内定した施設の番号（保留は空）",
            "rank": "順位",
            "run": "利用調整の番号",
        },
    )
)
register(
    EventType(
        FEE_DECIDED,
        "保育の利用者負担額の決定",
        "利用者負担額（保育料）を決定したとき（9月に当年度の市町村民税で決め直したときを含む）。",
        subject="子どもの宛名番号",
        data={
            "atena_no": "子どもの宛名番号",
            "certificate_no": "認定証番号",
            "decision_no": "決定番号",
            "months": "決定した月の範囲と月額（[{from, until, amount}]、YYYY-MM）",
        },
    )
)
