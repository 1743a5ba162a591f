"""Event types of the 国民年金 app: a 届出 or a 免除等 申請 taken at the counter.

Other apps (and the 年金事務所's side, out of process) learn of them from these, not from the
tables. The data holds no name, address, 個人番号 or 所得.
"""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register

NOTIFIED = "jp.yakuba.national_pension.notification.recorded.v1"
APPLIED = "jp.yakuba.national_pension.application.recorded.v1"

register(
    EventType(
        NOTIFIED,
        "国民年金の届出の受付",
        "第1号被保険者の資格取得・喪失・種別変更・住所変更・氏名変更の届出を受け付けたとき。",
        subject="宛名番号",
        data={
            "atena_no": "宛名番号",
            "id": "届出の番号",
            "kind": "種別（acquired, lost, kind_change, address_change, name_change）",
            "reason": "事由（codes.Reason）",
            "occurred_on": "年月日（YYYY-MM-DD）",
            "notified_on": "届出日（YYYY-MM-DD）",
        },
    )
)
register(
    EventType(
        APPLIED,
        "国民年金保険料の免除等の申請の受付",
        "免除・納付猶予・学生納付特例の申請を受け付け、所得を確認したとき（承認は日本年金機構）。",
        subject="宛名番号",
        data={
            "atena_no": "宛名番号",
            "id": "申請の番号",
            "fiscal_year": "免除年度",
            "applied": "申請区分（full, three_quarters, half, quarter, deferral, student）",
            "notified_on": "申請日（YYYY-MM-DD）",
        },
    )
)
