"""Event types of the 児童扶養手当 app: an 認定, an 額改定 (a 支給年度's new version), a 支給停止
(全部停止 by the income test) and a 消滅 — with the months and amounts, never a name or an address
(who the person is, is the registry's to tell a client that may know).

Named like the other domains' (``jp.yakuba.<area>.<entity>.<verb>.v1``) and as 児童手当's
(``entitlement.certified``, ``entitlement.amount-revised``, ``entitlement.ended``); a 受給者 under 支援措置
is withheld from clients without the registry's protected-person scope (apps.py registers the
feed guard)."""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register

CERTIFIED = "jp.yakuba.child_support_allowance.entitlement.certified.v1"
REVISED = "jp.yakuba.child_support_allowance.entitlement.amount-revised.v1"
SUSPENDED = "jp.yakuba.child_support_allowance.entitlement.suspended.v1"
ENDED = "jp.yakuba.child_support_allowance.entitlement.ended.v1"

_DECISION = {
    "entitlement_id": "認定の番号",
    "benefit_year": "支給年度（11月の年。11月〜翌年10月）",
    "version": "その支給年度の版",
    "reason": "事由（certified: 認定／status_report: 現況届／revised: 額改定）",
    "category": "支給区分（full: 全部支給／partial: 一部支給／stopped: 全部停止）",
    "from_month": "開始月（YYYY-MM）",
    "until_month": "終了月（YYYY-MM）",
    "monthly": "手当月額の期間（[[開始月, 終了月, 円], …]）",
}

for type_, title, description, data in (
    (
        CERTIFIED,
        "児童扶養手当の認定",
        "認定請求を認定したとき（支給開始月は請求月の翌月）。",
        {
            **_DECISION,
            "ground": "受給資格の事由（divorce, death, disability, missing, abandonment, protection_order,"
            " detention, unmarried, other）",
            "children": "対象児童の数",
            "first_month": "支給開始月（YYYY-MM）",
        },
    ),
    (
        REVISED,
        "児童扶養手当の額改定",
        "現況届や所得・扶養親族等の変更で、ある支給年度の手当月額が新しい版で決まったとき。",
        _DECISION,
    ),
    (
        SUSPENDED,
        "児童扶養手当の支給停止",
        "所得が一部支給の限度額以上で、ある支給年度の手当が全部停止と決まったとき（認定は続く）。",
        _DECISION,
    ),
    (
        ENDED,
        "児童扶養手当の資格消滅",
        "受給者の転出・死亡・職権消除（住民記録の異動から）や資格喪失届で認定が消滅したとき。",
        {
            "entitlement_id": "認定の番号",
            "reason": "消滅事由（move_out: 転出／death: 死亡／removed: 職権消除／notified: 資格喪失届）",
            "ended_on": "事由の日（YYYY-MM-DD）",
            "last_month": "支給終了月（YYYY-MM。事由の日の属する月）",
        },
    ),
):
    register(EventType(type_, title, description, subject="受給者の宛名番号", data=data))
