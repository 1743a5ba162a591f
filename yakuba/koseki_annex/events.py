"""Event types of the 附票 (docs/koseki_annex.md): a row written on a 附票.

Every change of a 附票 is what the 附票本人確認情報 carries to the prefecture and J-LIS (住民基本台帳法
第30条の41〜, registry-facts §17.4): a system that forwards it, or any other that follows the
附票, learns each new 住所 from these events. The subject is the person's 住民票コード (how the
住所地 and the 本籍地 both know them). A row of a person under 支援措置 is marked at writing and
withheld at delivery (apps.py registers the guard).
"""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register

# The scope of 戸籍 and 附票 data the contract names (contract §9.9); declared by yakuba/koseki.
READ = "koseki:read"
PREFIX = "jp.yakuba.koseki_annex."
ENTRY_RECORDED = f"{PREFIX}entry.recorded.v1"

register(
    EventType(
        ENTRY_RECORDED,
        "附票の記載",
        "附票に住所（又は国外転出者である旨）を1行記載したとき（管内本籍人の住民票の異動、"
        "又は他団体からの附票記載事項通知による）。同じ住所の繰り返しでは記載しないので届かない。",
        subject="住民票コード",
        data={
            "honseki": "本籍",
            "hittosha": "筆頭者",
            "name": "氏名",
            "birth_date": "出生の年月日（YYYY-MM-DD、不詳の場合は空）",
            "sex": "男女の別（1 男, 2 女）",
            "address": "住所（国外転出者は空）",
            "address_set_on": "住所を定めた年月日（国外転出者は転出予定年月日）",
            "overseas": "国外転出者であること（true / false）",
            "country": "転出先国名（国外転出者）",
            "source": "記載の根拠（registry: 住民記録（管内）、notice: 附票記載事項通知）",
            "protected": "支援措置の対象者であること（true。registry:protected スコープのクライアントにだけ届く）",
        },
        data_scope=READ,
        public=("address_set_on", "source"),
    )
)
