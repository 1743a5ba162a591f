"""後期高齢者医療 tables: the members, the 資格 history and the feed position; the files exchanged
with the 広域連合 (what was sent, the 賦課結果 received).

The shapes are the platform's (``linkage.qualification``, ``linkage.consumer``): 後期 and 介護
第1号 keep individual 資格 by residence and age the same way. The 広域連合 decides 資格 (facts
§3.1); these are the municipality's 窓口 records it reports from.
"""

from __future__ import annotations

from django.db import models

from yakuba.late_elderly_medical.codes import Collection, Decided, ExportKind
from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.linkage.qualification import Insured, QualificationRecord
from yakuba.platform.tenancy.models import TenantModel


class Member(Insured):
    """A person 後期 knows of; ``excluded``: 生活保護 受給者 (高確法 §51), set by the clerk."""


class Qualification(QualificationRecord):
    """The 資格 history (table ``<app>_qualification``)."""


class FeedPosition(FeedCursor):
    """How far the consumer has read the feed."""


class Export(TenantModel):
    """One file sent to the 広域連合: its kind, the range it covered, when and by whom. The next
    被保険者異動 file starts after ``through_id`` of the last one (the 資格 rows are append-only,
    so their ids are the keyset)."""

    kind = models.CharField("種類", max_length=8, choices=ExportKind.choices)
    fiscal_year = models.SmallIntegerField("年度", null=True)  # 所得
    after_id = models.BigIntegerField("この行の後から", default=0)  # 異動: (after_id, through_id]
    through_id = models.BigIntegerField("この行まで", default=0)
    as_of = models.DateField("基準日", null=True)  # 所得: the 世帯 and 被保険者 of that day
    rows = models.IntegerField("行数")
    file_name = models.CharField("ファイル名", max_length=255)
    encoding = models.CharField("文字コード", max_length=8)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        indexes = [models.Index(fields=["lg_code", "kind", "through_id"], name="kouki_export_kind")]


class PremiumFile(TenantModel):
    """One 賦課結果 file taken in from the 広域連合, whole (every line checked first)."""

    fiscal_year = models.SmallIntegerField("年度")
    file_name = models.CharField("ファイル名", max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.IntegerField("行数")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)


class PremiumResult(TenantModel):
    """The 広域連合's premium of one 被保険者 for one 年度, as received (append-only: a corrected
    file makes a new ``version`` of the persons it names; the highest is in force)."""

    file = models.ForeignKey(PremiumFile, on_delete=models.PROTECT, verbose_name="取込みファイル")
    fiscal_year = models.SmallIntegerField("年度")
    atena_no = models.CharField("宛名番号", max_length=15)
    version = models.SmallIntegerField("版")
    insured_no = models.CharField("被保険者番号", max_length=8)
    premium = models.IntegerField("保険料額")
    per_capita = models.IntegerField("均等割額")
    income_levy = models.IntegerField("所得割額")
    reduction = models.CharField("軽減区分", max_length=4)  # none, 7割, 5割, 2割
    collection = models.CharField("徴収方法", max_length=8, choices=Collection.choices)
    decided_by = models.CharField("徴収方法の判定", max_length=4, choices=Decided.choices)
    collection_reason = models.CharField("判定の理由", max_length=200, blank=True, default="")
    pension = models.BigIntegerField("特別徴収対象年金額", null=True)
    care_premium = models.IntegerField("介護保険料額", null=True)
    # [["2026-07", 5000], …] in time order (the file's month columns)
    installments = models.JSONField("納期ごとの額", default=list)
    line_no = models.IntegerField("ファイルの行")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "fiscal_year", "atena_no", "version"], name="kouki_premium_version"
            )
        ]


class SentRecord(TenantModel):
    """What the 広域連合 was last told of each 被保険者's 氏名・住所 — a digest, not a copy (the
    registry keeps the record): the next 異動 file reports a 被保険者 whose digest changed."""

    atena_no = models.CharField("宛名番号", max_length=15)
    digest = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lg_code", "atena_no"], name="kouki_sent_atena")]
