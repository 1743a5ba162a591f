"""Code tables of the registry (data, not scattered enums): 住民種別, 住民状態, 性別, 異動の種類.

Values follow the 住民記録 file layout (docs/reference/contract.md#resident-csv) (1 日本人 / 2 外国人; 1 住民 / 2 転出予定 / 3 消除;
1 男 / 2 女) and the 異動事由 categories of 住民記録システム標準仕様書 §1.2.2.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import models


class ResidentType(models.IntegerChoices):
    JAPANESE = 1, "日本人"
    FOREIGN = 2, "外国人"


class Status(models.IntegerChoices):
    RESIDENT = 1, "住民"
    MOVING_OUT = 2, "転出予定"
    REMOVED = 3, "消除"


class Sex(models.IntegerChoices):
    MALE = 1, "男"
    FEMALE = 2, "女"


class MoveKind(models.TextChoices):
    """異動の種類 (§1.2.2). The category (記載/消除/修正) decides what a statistic counts."""

    MOVE_IN = "move_in", "転入"
    MOVE_OUT = "move_out", "転出"
    MOVE_WITHIN = "move_within", "転居"
    BIRTH = "birth", "出生"
    DEATH = "death", "死亡"
    HOUSEHOLD_SPLIT = "household_split", "世帯分離"
    HOUSEHOLD_MERGE = "household_merge", "世帯合併"
    HEAD_CHANGE = "head_change", "世帯主変更"
    HOUSEHOLD_CHANGE = "household_change", "世帯変更"
    EX_OFFICIO_RECORD = "ex_officio_record", "職権記載"
    EX_OFFICIO_MODIFY = "ex_officio_modify", "職権修正"
    EX_OFFICIO_REMOVE = "ex_officio_remove", "職権消除"
    CORRECTION = "correction", "誤記修正"
    FORMER_SURNAME = "former_surname", "旧氏の記載・削除"
    ALIAS = "alias", "通称の記載・削除"
    CANCEL = "cancel", "異動の取消し"


class KindFacts(NamedTuple):
    """What the registry needs to know about one 異動の種類 besides its rules (services/move_kinds)."""

    form: str  # the staff form it gets (ui/forms.py): kinds of one form share its inputs
    event: str  # the event it emits: jp.yakuba.registry.resident.<event>.v1 (events.py)


# One row per kind, so a new kind is added in one place (and in move_kinds.HANDLERS).
KINDS: dict[str, KindFacts] = {
    MoveKind.MOVE_IN: KindFacts("record", "moved-in"),
    MoveKind.MOVE_OUT: KindFacts("move_out", "moved-out"),
    MoveKind.MOVE_WITHIN: KindFacts("regroup", "moved-within"),
    MoveKind.BIRTH: KindFacts("birth", "born"),
    MoveKind.DEATH: KindFacts("remove", "died"),
    MoveKind.HOUSEHOLD_SPLIT: KindFacts("regroup", "household-changed"),
    MoveKind.HOUSEHOLD_MERGE: KindFacts("regroup", "household-changed"),
    MoveKind.HEAD_CHANGE: KindFacts("head", "household-changed"),
    MoveKind.HOUSEHOLD_CHANGE: KindFacts("regroup", "household-changed"),
    MoveKind.EX_OFFICIO_RECORD: KindFacts("record", "recorded"),
    MoveKind.EX_OFFICIO_MODIFY: KindFacts("modify", "modified"),
    MoveKind.EX_OFFICIO_REMOVE: KindFacts("remove", "removed"),
    MoveKind.CORRECTION: KindFacts("modify", "modified"),
    MoveKind.FORMER_SURNAME: KindFacts("former_surname", "modified"),
    MoveKind.ALIAS: KindFacts("alias", "modified"),
    MoveKind.CANCEL: KindFacts("cancel", "canceled"),
}

# 異動の種類 of rows loaded from another system's file (データ移行). Not a counter 異動, so not a
# MoveKind: no form, no event per person, and it cannot be canceled as one.
IMPORT_KIND = "import"
IMPORT_LABEL = "データ移行"


# 届出 (住民基本台帳法 第22条〜第25条): the kinds a resident files, who must be recorded with
# their 届出人 and 本人確認 (法 第27条); the others are 職権 or come from a 戸籍 notification.
NOTIFIED_KINDS = frozenset(
    {
        MoveKind.MOVE_IN,
        MoveKind.MOVE_OUT,
        MoveKind.MOVE_WITHIN,
        MoveKind.HOUSEHOLD_SPLIT,
        MoveKind.HOUSEHOLD_MERGE,
        MoveKind.HEAD_CHANGE,
        MoveKind.HOUSEHOLD_CHANGE,
    }
)


class Flow(models.TextChoices):
    """住民票の記載・消除 as the 住民基本台帳に基づく人口、人口動態及び世帯数調査 counts them
    (docs/reference/population-facts.md#survey): 記載 is 転入 (国内/国外), 出生 and その他;
    消除 is 転出 (国内/国外), 死亡 and その他. ``services/statistics.py`` says which 異動 is which."""

    MOVE_IN_DOMESTIC = "move_in_domestic", "転入（国内）"
    MOVE_IN_ABROAD = "move_in_abroad", "転入（国外）"
    BIRTH = "birth", "出生"
    OTHER_RECORDED = "other_recorded", "その他の記載"
    MOVE_OUT_DOMESTIC = "move_out_domestic", "転出（国内）"
    MOVE_OUT_ABROAD = "move_out_abroad", "転出（国外）"
    DEATH = "death", "死亡"
    OTHER_REMOVED = "other_removed", "その他の消除"


RECORDED_FLOWS = (Flow.MOVE_IN_DOMESTIC, Flow.MOVE_IN_ABROAD, Flow.BIRTH, Flow.OTHER_RECORDED)
REMOVED_FLOWS = (Flow.MOVE_OUT_DOMESTIC, Flow.MOVE_OUT_ABROAD, Flow.DEATH, Flow.OTHER_REMOVED)


class NotifierKind(models.TextChoices):
    """届出人: the person, the 世帯主 or a 世帯員 filing for the others (住民基本台帳法 第26条), or a
    代理人 with a 委任状."""

    SELF = "self", "本人"
    HEAD = "head", "世帯主"
    MEMBER = "member", "世帯員"
    AGENT = "agent", "代理人"


class IdentityDocument(models.TextChoices):
    """The document shown for 本人確認 (住民基本台帳法 第27条第2項; 施行規則 第9条の2: one
    photo ID, or two other documents)."""

    MY_NUMBER_CARD = "my_number_card", "個人番号カード"
    DRIVER_LICENSE = "driver_license", "運転免許証"
    PASSPORT = "passport", "旅券"
    RESIDENCE_CARD = "residence_card", "在留カード・特別永住者証明書"
    OTHER_PHOTO = "other_photo", "その他の写真付き証明書"
    TWO_DOCUMENTS = "two_documents", "写真のない書類2点（健康保険の資格確認書等）"


class Channel(models.TextChoices):
    """How the 届出 arrived: at the counter, or by post (転出届 only)."""

    COUNTER = "counter", "窓口"
    POST = "post", "郵送"


class Origin(models.TextChoices):
    DOMESTIC = "domestic", "国内"
    ABROAD = "abroad", "国外"


class RemovalReason(models.TextChoices):
    """消除事由 (§1.1.5)."""

    MOVE_OUT_DOMESTIC = "move_out_domestic", "転出"
    MOVE_OUT_ABROAD = "move_out_abroad", "国外転出"
    DEATH = "death", "死亡"
    EX_OFFICIO = "ex_officio", "職権消除"


class ProtectionKind(models.TextChoices):
    """支援措置の対象となる被害: 配偶者暴力防止法 第1条第2項の被害者, ストーカー規制法 第6条の
    ストーカー行為等, 児童虐待防止法 第2条の児童虐待, and cases of the same kind (as municipalities
    publish the 総務省 scheme, e.g. https://www.city.koriyama.lg.jp/soshiki/37/5000.html)."""

    DV = "dv", "ドメスティック・バイオレンス"
    STALKER = "stalker", "ストーカー行為等"
    CHILD_ABUSE = "child_abuse", "児童虐待等"
    OTHER = "other", "その他これらに準ずる行為"


class ConsultedBody(models.TextChoices):
    """Who confirms that a 支援措置 is needed (the 相談機関等 whose 意見 the municipality asks for,
    or the court's 保護命令), as municipalities publish the 総務省 scheme (e.g.
    https://www.city.koriyama.lg.jp/soshiki/37/5000.html); docs/reference/registry-facts.md#protection."""

    POLICE = "police", "警察"
    SPOUSAL_VIOLENCE_CENTER = "sv_center", "配偶者暴力相談支援センター"
    CHILD_GUIDANCE_CENTER = "child_guidance", "児童相談所"
    COURT = "court", "裁判所（保護命令）"
    OTHER = "other", "その他の相談機関"


class ProposalKind(models.TextChoices):
    """異動候補 from the 戸籍 (docs/registry.md, "Following the 戸籍"): what a 受理 in the 戸籍 means
    for the 住民票 of a resident — 住民基本台帳法 第9条第2項 (the 本籍地 tells the 住所地) and
    住民基本台帳法施行令 第12条 (the 住所地 writes it 職権)."""

    BIRTH = "birth", "出生の記載"
    MODIFY = "modify", "本籍・筆頭者・氏名の修正"
    DEATH = "death", "死亡の消除"
    FURIGANA = "furigana", "フリガナの修正"


class ProposalStatus(models.TextChoices):
    OPEN = "open", "未処理"
    APPLIED = "applied", "反映済み"
    DISMISSED = "dismissed", "反映しない"
