"""Event types of the 介護保険 app: a 第1号被保険者 資格 acquired or lost, with its date and 事由.

The 賦課 (月割 from the 取得月) and outside vendors learn of 第1号 資格 from these. The data holds
no name or address (the registry's to tell).
"""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register

ACQUIRED = "jp.yakuba.long_term_care.qualification.acquired.v1"
LOST = "jp.yakuba.long_term_care.qualification.lost.v1"

_DATA = {
    "atena_no": "宛名番号",
    "date": "取得日または喪失日（YYYY-MM-DD）",
    "reason": "事由（取得: age_65, move_in, migration／喪失: move_out, death, ex_officio）",
    "notified_on": "届出日（YYYY-MM-DD。住基の異動や年齢到達から自動で決まったときは空）",
}

for type_, title, description in (
    (
        ACQUIRED,
        "介護保険の第1号被保険者資格取得",
        "65歳に達した日（誕生日の前日）、または65歳以上の方の転入で資格を取得したとき。",
    ),
    (
        LOST,
        "介護保険の第1号被保険者資格喪失",
        "被保険者が資格を喪失したとき（転出・死亡は翌日）。",
    ),
):
    register(EventType(type_, title, description, subject="宛名番号", data=_DATA))

SPECIAL_APPLIED = "jp.yakuba.long_term_care.special-address.applied.v1"
SPECIAL_ENDED = "jp.yakuba.long_term_care.special-address.ended.v1"
CERTIFICATION_APPLIED = "jp.yakuba.long_term_care.certification.applied.v1"
CERTIFICATION_DECIDED = "jp.yakuba.long_term_care.certification.decided.v1"
COPAY_DECIDED = "jp.yakuba.long_term_care.copay.decided.v1"

_SPECIAL = {
    "atena_no": "宛名番号",
    "direction": "ours（住所地特例者）・theirs（他市町村住所地特例者）",
    "facility_kind": "施設の種類（tokuyou, rouken, iryouin, yuryo, keihi, sakoju, yougo）",
    "admitted_on": "入所日（YYYY-MM-DD）",
    "municipality": "相手の市区町村の団体コード（施設所在地または保険者）",
    "ended_on": "終了日（終了のとき。YYYY-MM-DD）",
    "end_reason": "終了事由（returned, moved, moved_here, left, died。終了のとき）",
}
_CERTIFICATION = {
    "atena_no": "宛名番号",
    "application_id": "申請の番号",
    "kind": "申請区分（new 新規・renewal 更新・change 区分変更）",
    "applied_on": "申請日（YYYY-MM-DD）",
}
_DECISION = {
    **_CERTIFICATION,
    "level": "認定結果（support_1〜2, care_1〜5, none 非該当, program 事業対象者）",
    "decided_on": "認定日（YYYY-MM-DD）",
    "valid_from": "有効期間の開始（非該当は空）",
    "valid_until": "有効期間の終了（非該当は空）",
}
_COPAY = {
    "atena_no": "宛名番号",
    "year": "8月1日の属する年（西暦）",
    "share": "利用者負担割合（1, 2, 3）",
    "valid_from": "適用開始日（YYYY-MM-DD）",
    "valid_until": "適用終了日（YYYY-MM-DD）",
}

for type_, title, description, data in (
    (
        SPECIAL_APPLIED,
        "介護保険の住所地特例の適用",
        "他市町村の住所地特例対象施設に入所した被保険者（住所地特例者）、または当市町村の施設に入所した"
        "他市町村の被保険者（他市町村住所地特例者）を記録したとき。",
        _SPECIAL,
    ),
    (SPECIAL_ENDED, "介護保険の住所地特例の終了", "退所・転居・死亡で住所地特例が終わったとき。", _SPECIAL),
    (
        CERTIFICATION_APPLIED,
        "要介護認定の申請",
        "要介護認定（新規・更新・区分変更）の申請を受け付けたとき。",
        _CERTIFICATION,
    ),
    (
        CERTIFICATION_DECIDED,
        "要介護認定の結果",
        "認定結果（要支援・要介護・非該当）と有効期間を記録したとき。",
        _DECISION,
    ),
    (
        COPAY_DECIDED,
        "介護保険の利用者負担割合の決定",
        "8月1日からの1年間の利用者負担割合（1割・2割・3割）を判定したとき。",
        _COPAY,
    ),
):
    register(EventType(type_, title, description, subject="宛名番号", data=data))
