"""印鑑登録 tables (docs/seal_registration.md): the registrations, their history, the pending
照会書 and the feed position.

A registrant is named by the registry's 宛名番号; the 氏名 and 住所 are never copied — they are
read through the registry's door when a certificate is made (civil-facts §2.5: a 転居 needs
nothing, the address simply follows). The seal's impression is kept as the image the clerk
scanned, with its SHA-256, and its measured size and characters (what the rules checked).

A registration's seal never changes (a new seal is a new registration); its status changes once,
from 登録 to 廃止 or 抹消, and every change is a line of ``RegistrationChange``, never rewritten.
"""

from __future__ import annotations

from django.db import models

from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.tenancy.models import TenantModel
from yakuba.seal_registration.codes import (
    Applicant,
    EndReason,
    GuardianshipKind,
    Identity,
    InquiryStatus,
    Procedure,
    Status,
)


class SealFields(TenantModel):
    """The seal and the application, as the registration and its pending 照会書 both keep them."""

    atena_no = models.CharField("宛名番号", max_length=15)
    seal_text = models.CharField("印影の文字", max_length=40)
    width_mm = models.DecimalField("印影の幅（mm）", max_digits=4, decimal_places=1)
    height_mm = models.DecimalField("印影の高さ（mm）", max_digits=4, decimal_places=1)
    image = models.BinaryField("印影の画像")
    image_sha256 = models.CharField("印影の画像のSHA-256", max_length=64)
    applicant = models.CharField("申請者", max_length=10, choices=Applicant.choices)
    identity = models.CharField("本人確認", max_length=10, choices=Identity.choices)
    checks = models.JSONField("審査の記録", default=dict)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        abstract = True


class Registration(SealFields):
    """One 印鑑登録: at most one open (登録) per person (civil-facts §2.1: one seal per person)."""

    registration_no = models.CharField("印鑑登録番号", max_length=8)
    card_no = models.CharField("印鑑登録証の番号", max_length=8)
    procedure = models.CharField("登録の方法", max_length=10, choices=Procedure.choices)
    registered_on = models.DateField("登録日")
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.REGISTERED)
    ended_on = models.DateField("廃止・抹消の日", null=True)
    end_reason = models.CharField("廃止・抹消の事由", max_length=12, choices=EndReason.choices, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        db_table = "seal_registration_registration"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "registration_no"], name="seal_reg_no"),
            models.UniqueConstraint(fields=["lg_code", "card_no"], name="seal_reg_card"),
            models.UniqueConstraint(
                fields=["lg_code", "atena_no"],
                condition=models.Q(status="registered"),
                name="seal_reg_one_open",
            ),
        ]
        indexes = [models.Index(fields=["lg_code", "atena_no"], name="seal_reg_atena")]


class RegistrationChange(TenantModel):
    """One line of a registration's history: its 登録, its 廃止 or 抹消 (with the event that
    caused it when the registry's 異動 did)."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="changes")
    status = models.CharField("状態", max_length=10, choices=Status.choices)
    reason = models.CharField("事由", max_length=12, choices=EndReason.choices, blank=True)
    on = models.DateField("日付")
    detail = models.JSONField("内容", default=dict)
    source_event = models.UUIDField("元のイベント", null=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "seal_registration_change"
        indexes = [models.Index(fields=["lg_code", "registration", "id"], name="seal_change_reg")]


class Inquiry(SealFields):
    """A 照会書 mailed to the applicant, waiting for the 回答書 (civil-facts §2.3)."""

    inquiry_no = models.CharField("照会番号", max_length=8)
    sent_on = models.DateField("発送日")
    deadline = models.DateField("回答書の期限")
    status = models.CharField(
        "状態", max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.SENT
    )
    answered_on = models.DateField("回答日", null=True)
    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, null=True)

    class Meta:
        db_table = "seal_registration_inquiry"
        constraints = [models.UniqueConstraint(fields=["lg_code", "inquiry_no"], name="seal_inquiry_no")]
        indexes = [models.Index(fields=["lg_code", "atena_no"], name="seal_inquiry_atena")]


class Ordinance(TenantModel):
    """The municipality's 印鑑条例 settings from ``effective_from`` (civil-facts §2: every number is
    the 条例's). Never rewritten: a change is a new row; on a day the row with the latest
    ``effective_from`` not after it (then the latest written) is in force, and without one the
    defaults of ``rules/ordinance.DEFAULT`` are."""

    effective_from = models.DateField("適用開始日")
    min_age = models.PositiveSmallIntegerField("登録できる年齢")
    adult_ward_with_guardian = models.BooleanField("成年被後見人（法定代理人の同行で登録可）")
    strike_on_guardianship = models.BooleanField("登記事項通知による抹消")
    min_mm = models.DecimalField("印影の大きさの下限（mm）", max_digits=4, decimal_places=1)
    min_mm_allowed = models.BooleanField("下限ちょうどの印影を認める", default=False)
    max_mm = models.DecimalField("印影の大きさの上限（mm）", max_digits=4, decimal_places=1)
    alike_mm = models.DecimalField("類似とする大きさの差（mm）", max_digits=3, decimal_places=1)
    reply_days = models.PositiveSmallIntegerField("回答書の期限（日）")
    guarantor_allowed = models.BooleanField("保証人による本人確認")
    kana_allowed = models.BooleanField("氏名をかなで表した印影", default=True)
    my_number_card_as_card = models.BooleanField("マイナンバーカードを印鑑登録証とする", default=False)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "seal_registration_ordinance"
        indexes = [models.Index(fields=["lg_code", "effective_from", "id"], name="seal_ordinance_from")]


class GuardianshipNotice(TenantModel):
    """A 登記事項通知 of the 法務局 (後見開始 or its end) as received, with the registration it
    struck off when the 条例 says so (civil-facts §2.1). Append-only: the latest notice of a
    person says whether they are a 成年被後見人."""

    atena_no = models.CharField("宛名番号", max_length=15)
    kind = models.CharField("通知の種類", max_length=10, choices=GuardianshipKind.choices)
    registered_on = models.DateField("登記日")
    received_on = models.DateField("受付日")
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, null=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "seal_registration_guardianship"
        indexes = [models.Index(fields=["lg_code", "atena_no", "id"], name="seal_guardianship_atena")]


class FeedPosition(FeedCursor):
    """How far the 印鑑登録 consumer has read the registry's events."""

    class Meta(FeedCursor.Meta):
        db_table = "seal_registration_feed_position"
