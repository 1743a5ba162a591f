"""The audit log: one append-only, hash-chained row per access to personal data."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from yakuba.platform.tenancy.models import TenantModel


class Action(models.TextChoices):
    READ = "read", "照会"
    SEARCH = "search", "検索"
    CREATE = "create", "登録"
    UPDATE = "update", "更新"
    DELETE = "delete", "削除"
    PRINT = "print", "印刷"
    EXPORT = "export", "出力"
    DELIVER = "deliver", "連携送信"


class ActorType(models.TextChoices):
    STAFF = "staff", "職員"
    CLIENT = "client", "APIクライアント"
    SYSTEM = "system", "システム"


class AuditEntry(TenantModel):
    """One access to personal data (住民記録システム標準仕様書 §10.2 操作ログ/印刷ログ).

    ``chain_no``, ``recorded_at`` and ``hash`` are set by a database trigger under a
    per-municipality lock, so the chain has no gaps and no forks even with concurrent writers:
    ``hash = sha256(previous hash || canonical row)``. UPDATE and DELETE are refused by
    triggers for every role, TRUNCATE by privileges; ``yakuba audit verify`` recomputes the chain.
    """

    chain_no = models.BigIntegerField("連番", null=True, editable=False)
    recorded_at = models.DateTimeField("記録日時", null=True, editable=False)
    actor_type = models.CharField("操作者種別", max_length=8, choices=ActorType.choices)
    actor = models.CharField("操作者", max_length=150)
    terminal = models.CharField("端末", max_length=100, blank=True, default="")
    ip = models.CharField("IPアドレス", max_length=45, blank=True, default="")
    zone = models.CharField("ゾーン", max_length=16, blank=True, default="")
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    resource = models.CharField("対象種別", max_length=40)
    subject_ids = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    purpose = models.CharField("利用目的", max_length=200, blank=True, default="")
    my_number_shown = models.BooleanField("個人番号表示", default=False)
    request_id = models.CharField("リクエストID", max_length=64, blank=True, default="")
    detail = models.JSONField("詳細", default=dict, blank=True)
    hash = models.CharField(max_length=64, null=True, editable=False)  # noqa: DJ001 - set by the trigger

    class Meta:
        db_table = "audit_entry"
        verbose_name = "アクセスログ"
        constraints = [models.UniqueConstraint(fields=["lg_code", "chain_no"], name="audit_entry_chain")]
        indexes = [
            models.Index(fields=["lg_code", "recorded_at"], name="audit_entry_time"),
            models.Index(fields=["lg_code", "actor", "recorded_at"], name="audit_entry_actor"),
            GinIndex(fields=["subject_ids"], name="audit_entry_subjects"),
        ]
