"""Codes of the 後期高齢者医療 資格 records (insurance-welfare-facts §3.1, §1.3)."""

from __future__ import annotations

from django.db import models


class AcquiredReason(models.TextChoices):
    """取得事由: 75歳到達 (the birthday itself), 転入 of a person 75+, 障害認定 (65–74, on
    application, from the 認定日), 生保廃止, 移行 (the initial enrolment)."""

    AGE = "age_75", "75歳到達"
    MOVE_IN = "move_in", "転入"
    DISABILITY = "disability", "障害認定"
    WELFARE_ENDED = "welfare_ended", "生保廃止"
    MIGRATION = "migration", "移行（初期登録）"


class LostReason(models.TextChoices):
    """喪失事由: 転出・死亡 (the day after), 生保開始 (the day itself), 職権."""

    MOVE_OUT = "move_out", "転出"
    DEATH = "death", "死亡"
    WELFARE_STARTED = "welfare_started", "生保開始"
    EX_OFFICIO = "ex_officio", "職権"
