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
