"""Codes of the 印鑑登録 app (docs/seal_registration.md): a registration's status and why it
ended, how it was applied for (civil-facts §2.1–§2.5)."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    REGISTERED = "registered", "登録"
    ABOLISHED = "abolished", "廃止"  # by the registrant (廃止届, 亡失届) or 転出 (自動廃止)
    STRUCK = "struck", "抹消"  # 職権抹消: 死亡, 住民票消除, a 氏名 the seal no longer shows


class EndReason(models.TextChoices):
    MOVED_OUT = "moved-out", "転出"
    DIED = "died", "死亡"
    REMOVED = "removed", "住民票の消除"
    NAME_CHANGED = "name-changed", "氏名の変更（印影が氏名を表さなくなった）"
    ABOLITION = "abolition", "廃止届"
    LOST = "lost", "印鑑登録証の亡失届"
    GUARDIANSHIP = "guardianship", "成年後見の登記事項通知"


class Applicant(models.TextChoices):
    SELF = "self", "本人"
    AGENT = "agent", "代理人（委任状）"


class Identity(models.TextChoices):
    """How the applicant in person proves who they are (§2.3)."""

    PHOTO_ID = "photo-id", "官公署発行の顔写真付きの証明書"
    GUARANTOR = "guarantor", "印鑑登録者の保証書"
    NONE = "none", "なし"


class Procedure(models.TextChoices):
    SAME_DAY = "same-day", "即日登録"
    INQUIRY = "inquiry", "照会書・回答書"


class InquiryStatus(models.TextChoices):
    SENT = "sent", "回答待ち"
    ANSWERED = "answered", "回答済み（登録）"


class GuardianshipKind(models.TextChoices):
    """What a 登記事項通知 of the 法務局 says (civil-facts §2.1)."""

    STARTED = "started", "後見開始"
    ENDED = "ended", "後見終了"
