"""Codes of the 介護保険 第1号被保険者 資格 records (insurance-welfare-facts §4.1, §1.3)."""

from __future__ import annotations

from django.db import models


class AcquiredReason(models.TextChoices):
    """取得事由: 65歳到達 (the day before the 65th birthday), 転入 of a person 65+, 移行."""

    AGE = "age_65", "65歳到達"
    MOVE_IN = "move_in", "転入"
    MIGRATION = "migration", "移行（初期登録）"


class LostReason(models.TextChoices):
    """喪失事由: 転出・死亡 (the day after), 職権."""

    MOVE_OUT = "move_out", "転出"
    DEATH = "death", "死亡"
    EX_OFFICIO = "ex_officio", "職権"
