"""The tenant directory and the base class of every tenant table."""

from __future__ import annotations

from django.db import models


class Municipality(models.Model):
    """A registered municipality (テナント). Lives in the directory database (``default``).

    ``db_alias`` says which PostgreSQL server holds its personal data, so a deployment can
    spread municipalities over several servers (docs/architecture.md, "Data and tenancy").
    """

    lg_code = models.CharField("団体コード", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=40)
    name_kana = models.CharField("名称カナ", max_length=80)
    prefecture = models.CharField("都道府県", max_length=10)
    full_name = models.CharField("正式表示", max_length=60)
    db_alias = models.CharField("データベース", max_length=31, default="default")
    registered_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        db_table = "tenancy_municipality"
        verbose_name = "市区町村"
        ordering = ["lg_code"]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.lg_code}）"


class TenantModel(models.Model):
    """Base of every table holding one municipality's data.

    Subclasses get ``lg_code`` and, after every migrate, a row-level security policy
    (``FORCE ROW LEVEL SECURITY``) restricting each transaction to the municipality set with
    ``SET LOCAL yakuba.lg_code`` — see ``yakuba.platform.tenancy.rls``. Put ``lg_code`` first in
    unique keys and never point a foreign key at another municipality's rows, so the schema stays
    distributable (Citus: ``lg_code`` is the distribution key).
    """

    lg_code = models.CharField("団体コード", max_length=6)

    class Meta:
        abstract = True
