"""Codes of the 国民健康保険 資格 records (insurance-welfare-facts §2.2: 取得・喪失 and their 事由)."""

from __future__ import annotations

from django.db import models


class Change(models.TextChoices):
    """What one 資格 history row records. A row is never rewritten: a wrong one is answered by a
    訂正 row naming it (``corrects``), which voids it."""

    ACQUIRED = "acquired", "取得"
    LOST = "lost", "喪失"
    CORRECTED = "corrected", "訂正"


class AcquiredReason(models.TextChoices):
    """取得事由 (facts §2.2: 転入日, 退職日の翌日, 出生日, 生保廃止日, 後期 障害認定撤回日の翌日)."""

    MOVE_IN = "move_in", "転入"
    BIRTH = "birth", "出生"
    LEFT_EMPLOYEE_INSURANCE = "left_employee", "社保離脱"
    WELFARE_ENDED = "welfare_ended", "生保廃止"
    DISABILITY_WITHDRAWN = "disability_withdrawn", "後期障害認定撤回"
    EX_OFFICIO = "ex_officio", "職権"
    MIGRATION = "migration", "移行（初期登録）"


class LostReason(models.TextChoices):
    """喪失事由 (facts §2.2: 転出日の翌日, 社保加入日の翌日, 死亡日の翌日, 生保開始日, 75歳の誕生日)."""

    MOVE_OUT = "move_out", "転出"
    DEATH = "death", "死亡"
    JOINED_EMPLOYEE_INSURANCE = "joined_employee", "社保加入"
    LATE_ELDERLY = "late_elderly", "後期高齢者医療（75歳到達）"
    WELFARE_STARTED = "welfare_started", "生保開始"
    EX_OFFICIO = "ex_officio", "職権"


class WorkKind(models.TextChoices):
    """Work a registry event leaves for the clerk (or another app: 後期 reads ``age_75``)."""

    ENROLMENT = "enrolment", "加入届の確認（転入・職権記載）"
    AGE_75 = "age_75", "75歳到達（後期高齢者医療へ）"
    REVIEW = "review", "異動の取消しの確認"


class WorkStatus(models.TextChoices):
    OPEN = "open", "未処理"
    DONE = "done", "処理済み"


class RunState(models.TextChoices):
    RUNNING = "running", "実行中"
    DONE = "done", "完了"


class PremiumReason(models.TextChoices):
    """Why a premium assessment version exists: the 仮算定 (April, on the previous 年度's tax, where
    the municipality uses it), the annual 本算定 (June–July), or a 更正 after a 資格 or 所得 change
    during the 年度."""

    PROVISIONAL = "provisional", "仮算定"
    ANNUAL = "annual", "本算定"
    CORRECTION = "correction", "更正"


class CorrectionCause(models.TextChoices):
    """What made a 更正: a 資格 取得・喪失 after the last version, or a changed assessment of 所得."""

    QUALIFICATION = "qualification", "資格異動"
    INCOME = "income", "所得更正"


class RunKind(models.TextChoices):
    PROVISIONAL = "provisional", "仮算定"
    ANNUAL = "annual", "本算定"
