"""Codes of the 就学 app: school levels, why a 学齢簿 entry was added or closed, the kinds of
designation and of work items (docs/school_enrollment.md)."""

from __future__ import annotations

from django.db import models


class Level(models.TextChoices):
    ELEMENTARY = "elementary", "小学校"
    JUNIOR = "junior", "中学校"


class Added(models.TextChoices):
    """Why a child is on the 学齢簿 (施行令 第1条: 編製; 第3条: 加除訂正)."""

    GENERATED = "generated", "学齢簿編製"
    MOVED_IN = "moved-in", "転入"
    RECORDED = "recorded", "記載"  # 職権記載, 取消し, a birth date corrected into the cohorts


class Closed(models.TextChoices):
    """Why an entry left the 学齢簿 (civil-facts §4.3: 死亡, 転出, 住民票消除; §4.1: the end of
    compulsory schooling)."""

    MOVED_OUT = "moved-out", "転出"
    DIED = "died", "死亡"
    REMOVED = "removed", "住民票消除"
    GRADUATED = "graduated", "義務教育修了"


class Change(models.TextChoices):
    """A line of an entry's history (append-only)."""

    ADDED = "added", "記載"
    UPDATED = "updated", "修正"
    CLOSED = "closed", "消除"
    DESIGNATED = "designated", "指定校変更・区域外就学"


class DesignationKind(models.TextChoices):
    """学校教育法施行令 第8条 (指定校変更, a school of the town) and 第9条 (区域外就学, a school
    outside the town, with the receiving board's 承諾): civil-facts §4.4."""

    CHANGE = "change", "指定校変更"
    OUTSIDE = "outside", "区域外就学"


class WorkKind(models.TextChoices):
    """What a 転入 after a step of the year leaves for the clerk (civil-facts §4.2)."""

    HEALTH_CHECK = "health-check", "就学時健康診断の通知（健診後の転入）"
    ENROLMENT_NOTICE = "enrolment", "就学通知（通知後の転入）"


class WorkStatus(models.TextChoices):
    OPEN = "open", "未処理"
    DONE = "done", "処理済み"
