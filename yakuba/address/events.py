"""Event types of the address master: one per load that changed it.

No personal data: every client with ``events:read`` receives the whole event, so that an
application caching the 町字 (a form's address picker, a tax system's 住所コード table) knows
when to read them again through ``GET …/address/town-areas``.
"""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register

MASTER_CHANGED = "jp.yakuba.address.master.changed.v1"

register(
    EventType(
        MASTER_CHANGED,
        "住所辞書の更新",
        "住所辞書に町字が追加・変更・廃止されたとき（取り込み1回につき1件）。",
        data={
            "source": "出典（postal 郵便番号データ, file 市区町村のファイル, api API）",
            "added": "追加した町字の数",
            "changed": "変更した町字の数",
            "abolished": "廃止した町字の数",
        },
        public=("source", "added", "changed", "abolished"),
    )
)
