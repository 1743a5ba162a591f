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


class ExportKind(models.TextChoices):
    """The files sent to the 広域連合 (docs/late_elderly_medical.md, 広域連合とのファイル)."""

    IDOU = "idou", "被保険者異動"
    SHOTOKU = "shotoku", "所得"


class Collection(models.TextChoices):
    """徴収方法 (高確法 §107): 特別徴収 from the pension or 普通徴収 by 納付書・口座振替."""

    PENSION = "pension", "特別徴収"
    DIRECT = "direct", "普通徴収"


class Decided(models.TextChoices):
    """Who said how the premium is collected: the 広域連合's file, or our rule (rules/withholding)
    because the file left it empty."""

    FILE = "file", "広域連合のファイル"
    RULE = "rule", "特別徴収の判定"
