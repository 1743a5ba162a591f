"""Coded values of the 附票 tables."""

from __future__ import annotations

from django.db import models


class Source(models.TextChoices):
    """Where a 附票 row came from (住民基本台帳法 第18条・第19条): this town's own registry (管内
    本籍人: the change passed straight on), or a 附票記載事項通知 from the 住所地."""

    REGISTRY = "registry", "住民記録（管内）"
    NOTICE = "notice", "附票記載事項通知"
    KOSEKI = "koseki", "戸籍の編製（管内の住所）"


class Direction(models.TextChoices):
    IN = "in", "受信（他団体から）"
    OUT = "out", "送信（本籍地へ）"


class ElectorChange(models.TextChoices):
    """The 在外選挙人名簿 entry a 選挙管理委員会 writes on the 附票 (住民基本台帳法 第17条の2)."""

    REGISTERED = "registered", "在外選挙人名簿に登録"
    TRANSFERRED = "transferred", "在外選挙人名簿の登録の移転"
    STRUCK = "struck", "在外選挙人名簿から抹消"
