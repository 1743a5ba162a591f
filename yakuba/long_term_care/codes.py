"""Codes of the 介護保険 records: 第1号 資格 (insurance-welfare-facts §4.1, §1.3), 住所地特例,
要介護認定 (§4.4) and 利用者負担割合 (§4.3)."""

from __future__ import annotations

from django.db import models


class AcquiredReason(models.TextChoices):
    """取得事由: 65歳到達 (the day before the 65th birthday), 転入 of a person 65+, 移行."""

    AGE = "age_65", "65歳到達"
    MOVE_IN = "move_in", "転入"
    MIGRATION = "migration", "移行（初期登録）"
    SPECIAL_END = "special_end", "住所地特例の終了（市内の居宅へ転居）"
    CORRECTION = "correction", "訂正（住所地特例の適用による喪失の取消し）"


class LostReason(models.TextChoices):
    """喪失事由: 転出・死亡 (the day after), 職権."""

    MOVE_OUT = "move_out", "転出"
    DEATH = "death", "死亡"
    EX_OFFICIO = "ex_officio", "職権"
    CORRECTION = "correction", "訂正（他市町村住所地特例者の取得の取消し）"


class Direction(models.TextChoices):
    """住所地特例 (介護保険法 §13): who is the insurer of a person in a 施設 of another municipality."""

    OURS = "ours", "住所地特例者（他市町村の施設に入所・当市町村が保険者）"
    THEIRS = "theirs", "他市町村住所地特例者（当市町村の施設に入所・他市町村が保険者）"


class FacilityKind(models.TextChoices):
    """住所地特例対象施設 (介護保険法 §13①: 介護保険施設, 特定施設, 老人福祉法 §20の4 の養護老人ホーム)."""

    NURSING_HOME = "tokuyou", "介護老人福祉施設（特別養護老人ホーム）"
    HEALTH_FACILITY = "rouken", "介護老人保健施設"
    MEDICAL_CARE = "iryouin", "介護医療院"
    PAID_HOME = "yuryo", "有料老人ホーム"
    LOW_COST_HOME = "keihi", "軽費老人ホーム"
    SERVICED_HOUSING = "sakoju", "サービス付き高齢者向け住宅（有料老人ホームに該当するもの）"
    PROTECTIVE_HOME = "yougo", "養護老人ホーム"


class SpecialChange(models.TextChoices):
    APPLIED = "applied", "適用"
    ENDED = "ended", "終了"


class EndReason(models.TextChoices):
    """住所地特例の終了事由. 住所地特例者: 市内に戻った (資格は続く), 他市町村の居宅へ転居・死亡
    (喪失 the next day). 他市町村住所地特例者: 市内の居宅へ転居 (当市町村の第1号として取得),
    転出・退所・死亡 (nothing here)."""

    RETURNED = "returned", "当市町村に戻った"
    MOVED = "moved", "他市町村の居宅へ転居"
    MOVED_HERE = "moved_here", "市内の居宅へ転居"
    LEFT = "left", "転出・退所"
    DIED = "died", "死亡"


class CertificationKind(models.TextChoices):
    """要介護認定の申請区分 (facts §4.4)."""

    NEW = "new", "新規"
    RENEWAL = "renewal", "更新"
    CHANGE = "change", "区分変更"


class CareLevel(models.TextChoices):
    """認定結果 (facts §4.4: 非該当, 要支援1–2, 要介護1–5) and 事業対象者 (基本チェックリスト)."""

    SUPPORT_1 = "support_1", "要支援1"
    SUPPORT_2 = "support_2", "要支援2"
    CARE_1 = "care_1", "要介護1"
    CARE_2 = "care_2", "要介護2"
    CARE_3 = "care_3", "要介護3"
    CARE_4 = "care_4", "要介護4"
    CARE_5 = "care_5", "要介護5"
    NOT_APPLICABLE = "none", "非該当"
    PROGRAM = "program", "事業対象者"


class CopayShare(models.IntegerChoices):
    ONE = 1, "1割"
    TWO = 2, "2割"
    THREE = 3, "3割"


class RunState(models.TextChoices):
    RUNNING = "running", "実行中"
    DONE = "done", "完了"
