"""Codes of the 児童手当 受給 records (insurance-welfare-facts §6)."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    ACTIVE = "active", "支給中"
    ENDED = "ended", "消滅"


class EndReason(models.TextChoices):
    """受給事由消滅の事由: the claimant's 転出 or 死亡 (read from the registry), 公務員 (paid by the
    employer from then, facts §6), no 支給対象児童 left (the last child's 18歳年度末), or a 届 the
    clerk records (受給者の変更, 監護しなくなった …)."""

    MOVE_OUT = "move_out", "転出"
    DEATH = "death", "死亡"
    PUBLIC_SERVANT = "public_servant", "公務員になった"
    NO_CHILD = "no_child", "支給対象児童がいなくなった"
    NOTIFIED = "notified", "受給事由消滅届"


class PeriodReason(models.TextChoices):
    """Why an amount period starts: the 認定, a 額改定認定請求 (増額: a child added — not automatic,
    facts §6), an age event (3歳, 18歳年度末, 22歳年度末: automatic), a child removed (減額届)."""

    CERTIFIED = "certified", "認定"
    CHILD_ADDED = "child_added", "額改定（増額）"
    AGE = "age", "額改定（年齢）"
    CHILD_REMOVED = "child_removed", "額改定（減額）"


class ChoiceBasis(models.TextChoices):
    """Why this parent is the 受給者 (facts §6: the higher 生計維持の程度, in principle the higher
    所得): by the 所得 the tax app knows, or — when it cannot tell — the household's choice the
    clerk records."""

    INCOME = "income", "所得の高い方"
    ONLY_PARENT = "only_parent", "父母の一方のみ"
    DECLARED = "declared", "世帯の申立て（所得不明）"


class Cohabitation(models.TextChoices):
    TOGETHER = "together", "同居"
    APART = "apart", "別居（別居監護申立書）"


class WorkKind(models.TextChoices):
    """Work a registry event leaves: a birth or a 転入 without a 認定請求 yet, a birth into the
    household of a 受給者 without its 額改定認定請求 yet."""

    CLAIM = "claim", "認定請求 未受理"
    REVISION = "revision", "額改定認定請求 未受理"


class WorkStatus(models.TextChoices):
    OPEN = "open", "未処理"
    DONE = "done", "処理済み"
