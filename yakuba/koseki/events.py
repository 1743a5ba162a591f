"""Event types of the 戸籍 app (civil-facts §5): every 受理 of a 届出, and a 振り仮名 recorded.

The resident registry consumes them at the 住所地: an accepted 出生届 is its 出生 work item, a
死亡届 its 消除, a 婚姻・離婚・転籍・入籍・養子縁組・離縁・分籍 a new 本籍・筆頭者 (the 住民票's 戸籍の
表示) and 氏 for the persons named, an 氏・名の変更 their 氏名; a 振り仮名 is copied into its フリガナ
(the 住民票's reading comes from the 戸籍, §3.4). The 附票 opens with each 戸籍 under ``formed``
and becomes a 除附票 with each under ``closed`` (a 管外転籍 names the new 本籍 and 市町村); a
管内転籍 keeps its 戸籍 and 附票 under a new 本籍, named with the old one under ``moved``. The
subject is the 戸籍's person id; ``atena_no`` is the 宛名番号 when the person is known to live in
this town. Names and dates are 戸籍 data: only ``kind`` and ``accepted_on`` go to a
client without the 戸籍 read scope.
"""

from __future__ import annotations

from yakuba.koseki import access
from yakuba.platform.linkage.catalogue import EventType, register

ACCEPTED = "jp.yakuba.koseki.notification.accepted.v1"
FURIGANA = "jp.yakuba.koseki.furigana.recorded.v1"

register(
    EventType(
        ACCEPTED,
        "戸籍の届出の受理",
        "出生・婚姻・離婚・死亡・転籍・入籍・氏名の振り仮名・養子縁組・養子離縁・認知・分籍・"
        "氏の変更・名の変更の届を受理し、戸籍に記載したとき。"
        "住所地の住民記録は、出生の記載、死亡の消除、本籍・筆頭者・氏名の修正の候補とし、"
        "戸籍の附票は編製・消除された戸籍（formed, closed）で附票を作り、除き、"
        "管内転籍（moved）で附票の本籍を改める。",
        subject="戸籍の個人ID",
        data={
            "notification_no": "届出の受付番号",
            "kind": "届出の種類（birth, marriage, divorce, death, transfer, entry, furigana, adoption, "
            "dissolve, acknowledge, division, surname, given_name）",
            "accepted_on": "受理日",
            "event_on": "届出事件の日（出生日、死亡日、婚姻・離婚等は受理日）",
            "persons": "記載された者ごとの person_id, atena_no, 氏名, 氏名の振り仮名, 生年月日, 性別, "
            "koseki_id, honseki（本籍）, hittosha（筆頭者）, removed（除籍された）",
            "parents": "出生届のみ: 父母の person_id, atena_no（宛名番号）, role（mother / father）",
            "formed": "この届出で編製した戸籍ごとの koseki_id, honseki, hittosha, reason（編製事由）, "
            "from（転籍で他の市町村から移った戸籍の従前本籍）",
            "closed": "この届出で消除した戸籍（除籍）ごとの koseki_id, honseki, hittosha, reason（消除事由）, "
            "to と to_lg_code（管外転籍の新本籍とその市町村コード）",
            "to": "分籍で他の市町村に新本籍を定めたときのみ: honseki（新本籍）, hittosha, lg_code",
            "moved": "管内転籍のときのみ: from（従前本籍）, to（新本籍）。戸籍は同じまま本籍だけが変わる",
        },
        data_scope=access.READ,
        public=("kind", "accepted_on"),
    )
)
register(
    EventType(
        FURIGANA,
        "氏名の振り仮名の記載",
        "戸籍に氏名の振り仮名を記載したとき（届出又は職権）。住民票の振り仮名は戸籍から写す。",
        subject="戸籍の個人ID",
        data={
            "atena_no": "宛名番号（この市町村の住民のとき）",
            "surname_kana": "氏の振り仮名（未記載は空）",
            "given_name_kana": "名の振り仮名（未記載は空）",
            "source": "記載の根拠（filed: 届出、ex_officio: 職権）",
            "recorded_on": "記載日",
        },
        data_scope=access.READ,
        public=("source", "recorded_on"),
    )
)
