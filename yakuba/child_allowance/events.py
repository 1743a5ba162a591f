"""Event types of the 児童手当 app: a 認定, a 額改定 and a 消滅, each naming the 受給者.

The payment run, the notices and outside vendors learn of 受給 from these. The data holds no
name and no child's 宛名番号 (a child may be under 支援措置 while the 受給者 is not): the counts
and the amounts only; who the persons are is the registry's to tell a client that may know.
"""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register

CERTIFIED = "jp.yakuba.child_allowance.entitlement.certified.v1"
AMOUNT_REVISED = "jp.yakuba.child_allowance.entitlement.amount-revised.v1"
ENDED = "jp.yakuba.child_allowance.entitlement.ended.v1"

_COMMON = {
    "entitlement_id": "認定の番号",
    "claimant_atena_no": "受給者の宛名番号",
}
_AMOUNT = {
    "from_month": "この額の開始月（YYYY-MM）",
    "monthly_total": "月額の合計（円）",
    "children": "算定対象の子の数",
    "eligible": "支給対象児童の数",
}

register(
    EventType(
        CERTIFIED,
        "児童手当の認定",
        "認定請求を認定したとき（支給開始月と最初の月額）。",
        subject="宛名番号",
        data={
            **_COMMON,
            "first_month": "支給開始月（YYYY-MM。請求月の翌月、15日特例なら事由の翌月）",
            **_AMOUNT,
        },
    )
)
register(
    EventType(
        AMOUNT_REVISED,
        "児童手当の額改定",
        "額改定認定請求（増額）、子の年齢（3歳・18歳年度末・22歳年度末）、子の死亡（減額）で月額が変わったとき。",
        subject="宛名番号",
        data={
            **_COMMON,
            **_AMOUNT,
            "previous_total": "それまでの月額の合計（円）",
            "reason": "事由（child_added: 増額／age: 年齢／child_removed: 減額）",
        },
    )
)
register(
    EventType(
        ENDED,
        "児童手当の消滅",
        "受給者の転出・死亡、公務員になったこと、支給対象児童がいなくなったこと、受給事由消滅届で受給が終わったとき。",
        subject="宛名番号",
        data={
            **_COMMON,
            "last_month": "支給終了月（YYYY-MM。転出は転出予定日の月、死亡はその月）",
            "reason": "消滅事由（move_out, death, public_servant, no_child, notified）",
            "date": "事由の日（YYYY-MM-DD）",
        },
    )
)
