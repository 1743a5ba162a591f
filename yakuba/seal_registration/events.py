"""Event types of the 印鑑登録 app (civil-facts §2.5): a registration made, and one ended.

Other systems (a コンビニ交付 service, a vendor's 印鑑 system) learn from them that a person's
registration starts or stops being certifiable. No seal image, no 氏名 or 住所: the subject is
the 宛名番号, the data the registration's number and dates.
"""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register
from yakuba.seal_registration import access

REGISTERED = "jp.yakuba.seal_registration.registration.registered.v1"
ENDED = "jp.yakuba.seal_registration.registration.ended.v1"

register(
    EventType(
        REGISTERED,
        "印鑑登録",
        "印鑑を登録したとき（即日登録、又は照会書の回答書による登録）。",
        subject="宛名番号",
        data={
            "registration_no": "印鑑登録番号",
            "registered_on": "登録日",
            "procedure": "登録の方法（same-day: 即日、inquiry: 照会書・回答書）",
        },
        data_scope=access.READ,
        public=("registered_on",),
    )
)
register(
    EventType(
        ENDED,
        "印鑑登録の廃止・抹消",
        "印鑑登録が廃止（廃止届、亡失届、転出）又は抹消（死亡、氏名の変更、成年後見）されたとき。",
        subject="宛名番号",
        data={
            "registration_no": "印鑑登録番号",
            "status": "状態（abolished: 廃止、struck: 抹消）",
            "reason": "事由",
            "ended_on": "廃止・抹消の日",
        },
        data_scope=access.READ,
        public=("status", "ended_on"),
    )
)
