"""The 在外選挙人名簿's codes (docs/reference/civil-facts.md §1.4; 公職選挙法30条の2〜30条の16)."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    """How the application reached the 選管 (公職選挙法30条の5)."""

    DEPARTURE = "departure", "出国時申請"
    MISSION = "mission", "在外公館申請"


class Basis(models.TextChoices):
    """Which municipality registers (civil-facts §1.4): the 最終住所地 for a person who left Japan on
    or after 1994-05-01, else the 本籍地."""

    LAST_ADDRESS = "last_address", "最終住所地"
    DOMICILE = "domicile", "本籍地"


class Status(models.TextChoices):
    """An application's state: received and waiting (for the 在留届 that confirms the address
    abroad, or for the three months abroad to end), registered, or refused."""

    PENDING = "pending", "審査中"
    REGISTERED = "registered", "登録済み"
    REFUSED = "refused", "却下"


class Change(models.TextChoices):
    REGISTERED = "registered", "登録"
    MARKED = "marked", "国内に住所を定めた旨の表示"
    STRUCK_OFF = "struck_off", "抹消"


class StruckOff(models.TextChoices):
    """抹消の事由 (公職選挙法30条の11)."""

    DIED = "died", "死亡"
    NATIONALITY_LOST = "nationality", "日本の国籍の喪失"
    CAME_HOME = "came_home", "国内に住所を定めた日後4か月経過"
    WRONG = "wrong", "登録されるべきでなかった者"


class LeadStatus(models.TextChoices):
    """A 国外転出 the registry reported: the 出国時申請 it may lead to."""

    OPEN = "open", "申請の案内待ち"
    APPLIED = "applied", "申請済み"
    CANCELED = "canceled", "転出の取消し"
