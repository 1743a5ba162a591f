"""Event types of the 就学 app: a notice issued to a child's 保護者 (civil-facts §4.2).

A school or an outside vendor (入学予定者名簿, 就学援助) learns from it that the 就学時健康診断 notice
or the 就学通知 went out for the child, and with the 就学通知 which school was named. No name, no
address; a child under 支援措置 is never named in the feed (its notice, printed at the counter,
emits nothing).
"""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register
from yakuba.school_enrollment import access

NOTICE_ISSUED = "jp.yakuba.school_enrollment.notice.issued.v1"

register(
    EventType(
        NOTICE_ISSUED,
        "就学の通知の発行",
        "就学時健康診断の通知または就学通知（入学期日及び就学すべき学校の通知）を作成したとき（一括作成は1人1件）。",
        subject="宛名番号",
        data={
            "kind": "通知の種類（health-check: 就学時健康診断、enrolment: 就学通知）",
            "entry_year": "入学する年（4月1日の年）",
            "school": "就学すべき学校の名称（就学通知のみ。健診の通知は空）",
        },
        data_scope=access.READ,
        public=("kind", "entry_year"),
    )
)
