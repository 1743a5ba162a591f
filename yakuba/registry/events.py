"""Event types the registry emits: one event per person per 異動, subject = 宛名番号.

``data`` carries the person's standard items after the change (the new 住民票 row), so a
consumer can rebuild its copy from events alone; ``history_no`` orders versions of a person.
"""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register
from yakuba.registry import access
from yakuba.registry.codes import KINDS, MoveKind

RESIDENT_DATA = {
    "atena_no": "宛名番号",
    "history_no": "履歴番号（同じ人のイベントはこの順に適用）",
    "setai_no": "世帯番号",
    "move_kind": "異動の種類（move_in, move_out, …）",
    "move_date": "異動日（YYYY-MM-DD）",
    "status": "住民状態（1 住民, 2 転出予定, 3 消除）",
    "resident_type": "住民種別（1 日本人, 2 外国人）",
    "name": "氏名",
    "name_kana": "氏名フリガナ",
    "former_surname": "旧氏",
    "alias": "通称",
    "birth_date": "生年月日（YYYY-MM-DD、不詳の場合は表記）",
    "sex": "性別（1 男, 2 女）",
    "relationship": "続柄",
    "postal_code": "郵便番号",
    "address": "住所",
    "address_extra": "方書",
    "became_resident_on": "住民となった年月日",
    "address_set_on": "住所を定めた年月日",
    "previous_address": "転入前住所",
    "planned_move_out_on": "転出予定日",
    "destination_address": "転出先住所",
    "removal_reason": "消除事由",
    "removed_on": "消除年月日",
    "juminhyo_code": "住民票コード",
    "nationality": "国籍・地域",
    "residence_status": "在留資格",
    "residence_expiry": "在留期間等の満了の日",
    "my_number": "個人番号",
    "protected": "支援措置の対象者であること（true。registry:protected スコープのクライアントにだけ届く）",
}
# What a client with events:read but without registry:read receives of a resident event: enough
# to know that a person's record changed and to fetch it through the API if it may (庁内データ
# 連携 標準: each system receives only the items its work needs).
RESIDENT_PUBLIC = ("atena_no", "history_no", "setai_no", "move_kind", "move_date", "status")

# What happens to the other members of a 世帯 when one of them moves, dies or leaves: they did
# not move or die, their 続柄 (or 世帯主) changed — their own event, so that a consumer counting
# deaths or 転出 counts persons, not 世帯員.
HEAD_CHANGED = "head-changed"
RELATIONSHIP_CHANGED = "relationship-changed"
_OTHERS = (
    "世帯主が世帯を離れるときは、新しい世帯主に head-changed、続柄を入力し直した他の世帯員に"
    " relationship-changed が届く（世帯主以外が離れるときは、他の世帯員には何も届かない）。"
)

# Each resident event (codes.KINDS names the event of each 異動の種類): its title, and exactly
# when it fires and for whom (docs/events.md is generated from this; each is tested in
# tests/registry/test_event_types.py).
_TYPES = {
    "moved-in": (
        "転入",
        "転入の届出で記載された人ごとに1件（国外からの転入を含む）。既存の世帯に入る転入でも、"
        "その世帯の他の世帯員には何も届かない。",
    ),
    "moved-out": (
        "転出",
        "転出の届出に名前のある人ごとに1件（転出予定日が処理日より後なら転出予定、"
        "それ以外は消除された状態で）。" + _OTHERS,
    ),
    "moved-within": (
        "転居",
        "転居の届出に名前のある人ごとに1件（世帯全員の転居なら全員）。" + _OTHERS,
    ),
    "born": ("出生", "出生で記載された子ごとに1件（双子は2件）。世帯の他の世帯員には何も届かない。"),
    "died": ("死亡", "死亡で消除された人に1件だけ。" + _OTHERS),
    "household-changed": (
        "世帯の変更（世帯分離・合併・世帯変更）",
        "世帯分離・世帯合併・世帯変更の届出に名前のある人（世帯を移った人）ごとに1件。移った先の世帯の"
        "世帯員には何も届かない。世帯主変更では persons に名前を挙げた人にだけ届く（挙げなければ、"
        "新しい世帯主に head-changed、他の世帯員に relationship-changed）。" + _OTHERS,
    ),
    "recorded": ("職権記載", "職権で記載された人ごとに1件。"),
    "modified": (
        "記載事項の修正（職権修正・誤記修正・旧氏・通称）",
        "職権修正・誤記修正・旧氏や通称の記載・削除の対象者ごとに1件。他の世帯員には何も届かない。",
    ),
    "removed": ("職権消除", "職権で消除された人ごとに1件。" + _OTHERS),
    "canceled": (
        "異動の取消し（取消し後の状態）",
        "異動の取消しで元の状態に戻った人ごとに1件（取り消した異動が変えたすべての人。"
        "その異動で head-changed や relationship-changed を受けた人も。data は取消し後の状態）。",
    ),
    HEAD_CHANGED: (
        "世帯主になった",
        "他の人の異動で世帯主になった人に1件: 世帯主が世帯を離れる異動（転出・死亡・職権消除・転居・"
        "世帯分離・世帯変更）で新しい世帯主に指定された人と、世帯主変更の新しい世帯主（persons に"
        "名前を挙げた人は household-changed）。自分が名前のある異動（世帯分離で新しい世帯の"
        "世帯主になるなど）では、その異動の種類のイベントだけが届く。",
    ),
    RELATIONSHIP_CHANGED: (
        "続柄の変更",
        "世帯主が代わったため新しい世帯主との続柄を入力し直した世帯員ごとに1件（世帯主が世帯を離れる"
        "異動と世帯主変更。「子」のように表記が変わらなくても届く）。",
    ),
}


def event_type_for(kind: str, *, named: bool = True, head: bool = False) -> str:
    """The event of one person of a 異動: the kind's event for the persons the 異動 names (or
    records); for the other members it touched, 世帯主になった or 続柄が変わった. A 取消し
    restores everyone it touched, so all get its event."""
    verb = KINDS[kind].event
    if not named and kind != MoveKind.CANCEL:
        verb = HEAD_CHANGED if head else RELATIONSHIP_CHANGED
    return f"jp.yakuba.registry.resident.{verb}.v1"


for _verb, (_title, _when) in _TYPES.items():
    register(
        EventType(
            type=f"jp.yakuba.registry.resident.{_verb}.v1",
            title=_title,
            description=f"{_when}data は異動後の住民票の項目。",
            subject="宛名番号",
            data=RESIDENT_DATA,
            restricted=("my_number",),
            data_scope=access.READ,
            public=RESIDENT_PUBLIC,
        )
    )

PROTECTION_CHANGED = register(
    EventType(
        type="jp.yakuba.registry.resident.protection-changed.v1",
        title="支援措置の設定・延長・終了",
        description=(
            "支援措置（DV・ストーカー・児童虐待等）が設定・延長・終了された。registry:protected スコープの"
            "クライアントにだけ届く。受け取ったシステムは対象者（申出者と併せて支援を求める者）の"
            "情報を同様に保護する。"
        ),
        subject="宛名番号（申出者）",
        data={
            "atena_no": "申出者の宛名番号",
            "protection_id": "支援措置ID",
            "change": "set（設定）, extended（延長）, ended（終了）",
            "kind": "種別（dv, stalker, child_abuse, other）",
            "provisional": "仮支援措置なら true",
            "covered_atena_nos": "併せて支援を求める者の宛名番号",
            "start_date": "開始日",
            "end_date": "終了日（終了の場合は終了した日）",
            "protected": "常に true",
        },
    )
)

# Resident events about a protected person reach only clients with access.PROTECTED (feed.Guard).
RESIDENT_EVENTS = "jp.yakuba.registry.resident."

JUMINHYO_CODE_POOL_LOW = register(
    EventType(
        type="jp.yakuba.registry.juminhyo-code-pool.low.v1",
        title="住民票コードの在庫が少ない",
        description="未使用の住民票コードがしきい値を下回った。住基ネット CS から取得して登録する。",
        data={"remaining": "残数", "threshold": "しきい値"},
    )
)

RESIDENTS_IMPORTED = register(
    EventType(
        type="jp.yakuba.registry.residents.imported.v1",
        title="住民記録ファイルの取込み（データ移行）",
        description=(
            "住民記録ファイルを一括で取り込んだ（1回の取込みにつき1件。住民ごとのイベントは出ない）。"
            "写しを持つシステムは全件ファイルを取り直す。"
        ),
        subject="取込みの異動ID",
        data={
            "imported": "新たに登録した人数",
            "unchanged": "登録済みと同じ内容だった人数（再実行）",
            "households": "新たに登録した世帯数",
            "file": "ファイル名",
            "sha256": "ファイルの SHA-256",
            "move_id": "取込みの異動ID",
        },
    )
)
