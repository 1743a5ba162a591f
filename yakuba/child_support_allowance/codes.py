"""Codes of the 児童扶養手当 受給 records (insurance-welfare-facts §7)."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    ACTIVE = "active", "認定中"
    ENDED = "ended", "消滅"


class Ground(models.TextChoices):
    """受給資格の事由 (児童扶養手当法 §4①; facts §7, 平戸市): the situation of the child's parent
    that makes the household one the 手当 is for."""

    DIVORCE = "divorce", "父母の離婚"
    DEATH = "death", "父又は母の死亡"
    DISABILITY = "disability", "父又は母の重度の障害"
    MISSING = "missing", "父又は母の生死不明"
    ABANDONMENT = "abandonment", "父又は母による1年以上の遺棄"
    PROTECTION_ORDER = "protection_order", "DV保護命令"
    DETENTION = "detention", "父又は母の1年以上の拘禁"
    UNMARRIED = "unmarried", "未婚"
    OTHER = "other", "その他（棄児など）"


class Claimant(models.TextChoices):
    """Who claims: the engine's ``claimant`` (contract §9.6)."""

    MOTHER = "mother", "母"
    FATHER = "father", "父"
    CARETAKER = "caretaker", "養育者"


class EndReason(models.TextChoices):
    """資格喪失の事由: the 受給者's 転出, 死亡 or 職権消除 (read from the registry's events), or a 届 the clerk
    records (婚姻・事実婚, 児童を監護しなくなった, 対象児童の年齢到達 …)."""

    MOVE_OUT = "move_out", "転出"
    DEATH = "death", "死亡"
    REMOVED = "removed", "職権消除"
    NOTIFIED = "notified", "資格喪失届"


class DeterminationReason(models.TextChoices):
    """Why a 支給年度's version was decided: the 認定請求, the 現況届 (each August, for the 支給年度
    from November), or an 額改定 (income corrected, 扶養親族 or 養育費 changed)."""

    CERTIFIED = "certified", "認定"
    STATUS_REPORT = "status_report", "現況届"
    REVISED = "revised", "額改定"


class Category(models.TextChoices):
    """全部支給 / 一部支給 / 全部停止 (the engine's 支給停止; facts §7)."""

    FULL = "full", "全部支給"
    PARTIAL = "partial", "一部支給"
    STOPPED = "stopped", "全部停止"


# The engine's words (rules/allowance.py) → the stored code.
CATEGORY_OF_ENGINE = {"全部支給": Category.FULL, "一部支給": Category.PARTIAL, "支給停止": Category.STOPPED}


class RunState(models.TextChoices):
    RUNNING = "running", "実行中"
    DONE = "done", "完了"
