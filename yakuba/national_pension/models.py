"""国民年金 tables: the 届出 and 免除等 申請 the municipality takes at its counter, and the files
it sent to the 年金事務所 (insurance-welfare-facts §5).

日本年金機構 keeps the 被保険者 records and decides; the municipality keeps what it received and
forwarded. Both records are append-only (a correction is a new 届出); each carries the person's
particulars as written on the 届書 (氏名・住所 of that day), because that is what is forwarded.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from yakuba.national_pension.codes import Applied, Kind, Reason
from yakuba.platform.tenancy.models import TenantModel


class Filed(TenantModel):
    """What every paper taken at the counter carries: who, identified how, and when."""

    atena_no = models.CharField("宛名番号", max_length=15)
    pension_no = models.CharField("基礎年金番号", max_length=10, blank=True, default="")
    # Given instead of the 基礎年金番号 (国民年金法施行規則 §1の2 since 2018-03); encrypted, bound to
    # the row's person (crypto context ``<lg>/national_pension/<atena_no>``).
    my_number_encrypted = models.TextField("個人番号（暗号化）", blank=True, default="")
    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("氏名フリガナ", max_length=200)
    birth_date = models.DateField("生年月日", null=True)
    sex = models.SmallIntegerField("性別")
    address = models.CharField("住所", max_length=300)
    notified_on = models.DateField("届出日・申請日")
    recorded_at = models.DateTimeField("記録日時", default=timezone.now)

    class Meta:
        abstract = True


class Notification(Filed):
    """A 届出 of a 第1号被保険者: 資格取得, 喪失, 種別変更, 住所変更, 氏名変更."""

    kind = models.CharField("種別", max_length=20, choices=Kind.choices)
    reason = models.CharField("事由", max_length=20, choices=Reason.choices)
    occurred_on = models.DateField("年月日（取得日・喪失日・変更日）")

    class Meta:
        indexes = [models.Index(fields=["lg_code", "atena_no"], name="nenkin_notification_person")]


class Application(Filed):
    """An application for 免除・納付猶予・学生納付特例 with the municipality's 所得 check beside it
    (``judgement``: the contract §9.4.2 answer with its steps). 年金機構 decides."""

    fiscal_year = models.SmallIntegerField("免除年度（7月〜翌年6月）")
    applied = models.CharField("申請区分", max_length=20, choices=Applied.choices)
    dependents = models.SmallIntegerField("扶養親族等の数")
    income = models.BigIntegerField("本人の前年所得")
    spouse_atena_no = models.CharField("配偶者の宛名番号", max_length=15, blank=True, default="")
    spouse_income = models.BigIntegerField("配偶者の前年所得", null=True)
    householder_atena_no = models.CharField("世帯主の宛名番号", max_length=15, blank=True, default="")
    householder_income = models.BigIntegerField("世帯主の前年所得", null=True)
    grant = models.CharField("所得による判定（承認見込みの免除等、空: 基準超）", max_length=20, blank=True)
    judgement = models.JSONField("判定（入力・結果・過程）")

    class Meta:
        indexes = [models.Index(fields=["lg_code", "atena_no"], name="nenkin_application_person")]


class OfficeExport(TenantModel):
    """One file sent to the 年金事務所: what is in it is ``ExportedItem``; nothing is sent twice.
    Written in the transaction that writes the file, so a failed export leaves no row and its
    届出 are sent by the next one."""

    created_at = models.DateTimeField("作成日時", default=timezone.now)
    file_name = models.CharField("ファイル名", max_length=300)
    rows = models.IntegerField("件数")


class ExportedItem(TenantModel):
    """A 届出 or 申請 sent in an export."""

    NOTIFICATION, APPLICATION = "notification", "application"

    export = models.ForeignKey(OfficeExport, on_delete=models.PROTECT, related_name="items")
    source = models.CharField("区分", max_length=20)
    record_id = models.BigIntegerField("届出・申請の番号")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "source", "record_id"], name="nenkin_exported_once")
        ]
