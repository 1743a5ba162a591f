"""The 選挙人名簿's codes (contract §9.7; civil-facts §1.1)."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    TEIJI = "teiji", "定時登録"
    ELECTION = "election", "選挙時登録"


class Status(models.TextChoices):
    """An entry's state on a day (§9.7 ``status``); a struck-off entry is not listed."""

    REGISTERED = "registered", "登録"
    MARKED_MOVED_OUT = "marked_moved_out", "表示（転出）"
    MARKED_LOST_SUFFRAGE = "marked_lost_suffrage", "表示（選挙権を有しない旨）"


class Change(models.TextChoices):
    REGISTERED = "registered", "登録"
    MARKED = "marked", "表示"
    STRUCK_OFF = "struck_off", "抹消"


class StruckOff(models.TextChoices):
    """抹消の事由 (公職選挙法28条)."""

    DIED = "died", "死亡"
    MOVED_OUT = "moved_out", "転出後4か月経過"
