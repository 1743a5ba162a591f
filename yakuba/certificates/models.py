"""Certificate tables: the 交付履歴 (one row per certificate issued), the municipality's issuing
settings with their history, and its signing key.

住民記録システム標準仕様書 §1 (管理項目: 公印, 交付履歴, 認証者), §5 (証明). Rows are never
rewritten but for the void of a certificate (its reason and who voided it); a settings change is
a new row.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models

from yakuba.certificates.codes import Kind, Layout, Requester
from yakuba.platform.tenancy.models import TenantModel


class IssuerSettings(TenantModel):
    """What every certificate of the municipality prints: the 認証者 (市区町村長) and the 公印,
    the office and terminal of the 発行番号, the 手数料. The newest row is in force."""

    certifier_title = models.CharField("認証者の職名", max_length=60)  # 会津若松市長
    certifier_name = models.CharField("認証者の氏名", max_length=60)
    seal_image = models.BinaryField("公印の画像（PNG）", blank=True, default=b"")
    office_name = models.CharField("発行場所", max_length=60, default="本庁")
    terminal_name = models.CharField("発行端末", max_length=20, default="本庁1")
    printer_name = models.CharField("プリンタ", max_length=20, default="プリンタ001")
    fee = models.IntegerField("手数料（円）", default=300)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "certificates_issuer_settings"
        indexes = [models.Index(fields=["lg_code", "created_at"], name="certificates_settings_newest")]


class SigningKey(TenantModel):
    """The municipality's key for the PAdES signature: generated when it is registered (or by
    ``yakuba certificate key generate``), replaceable by a key and chain from its CA. The newest
    row signs; older rows stay to verify what they signed."""

    private_key = models.TextField("秘密鍵（暗号化）")
    certificate_chain = models.TextField("証明書チェーン（PEM）")
    source = models.CharField(max_length=10)  # generated | imported
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "certificates_signing_key"


class Certificate(TenantModel):
    """交付履歴: one certificate as issued (§5.5: each copy has its own 発行番号)."""

    number = models.CharField("証明書番号", max_length=20)  # 20261206-000011
    kind = models.CharField("証明書の種類", max_length=30, choices=Kind.choices)
    layout = models.CharField("様式", max_length=12, choices=Layout.choices)
    setai_no = models.CharField("世帯番号", max_length=15, blank=True, default="")
    atena_nos = ArrayField(models.CharField(max_length=15), verbose_name="記載した住民")
    options = models.JSONField("記載事項の選択", default=dict)
    requester = models.CharField("請求者の区分", max_length=12, choices=Requester.choices)
    requester_name = models.CharField("請求者の氏名", max_length=100, blank=True, default="")
    purpose = models.CharField("請求事由・利用目的", max_length=200, blank=True, default="")
    official_use = models.BooleanField("公用", default=False)
    fee = models.IntegerField("手数料（円）", default=0)
    fee_exempt_reason = models.CharField("手数料免除の理由", max_length=100, blank=True, default="")
    pages = models.IntegerField("枚数")
    issued_at = models.DateTimeField("発行日時")
    actor = models.CharField("発行者", max_length=150)
    terminal = models.CharField("発行端末", max_length=100, blank=True, default="")
    pdf_digest = models.CharField("PDF の SHA-256", max_length=64)
    content_digest = models.CharField("記載内容の SHA-256", max_length=64)
    reissue_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    voided_at = models.DateTimeField("取消日時", null=True, blank=True)
    voided_by = models.CharField(max_length=150, blank=True, default="")
    void_reason = models.CharField("取消しの理由", max_length=200, blank=True, default="")

    class Meta:
        db_table = "certificates_certificate"
        constraints = [models.UniqueConstraint(fields=["lg_code", "number"], name="certificates_number")]
        indexes = [models.Index(fields=["lg_code", "issued_at"], name="certificates_issued")]


class DayCounter(TenantModel):
    """The last serial of a day's 発行番号 (§5.5: 発行年月日 … 連番)."""

    day = models.DateField()
    last = models.IntegerField(default=0)

    class Meta:
        db_table = "certificates_day_counter"
        constraints = [models.UniqueConstraint(fields=["lg_code", "day"], name="certificates_counter_day")]
