"""The address master's one table: a 町字 of the municipality, current or abolished."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q

from yakuba.address.codes import Addressing, Source
from yakuba.platform.tenancy.models import TenantModel


class TownArea(TenantModel):
    """One 町字 (町丁目 or 大字・字).

    A 町字 renamed or abolished (住居表示の実施, 合併) keeps its row with ``abolished_on``, so an
    old 除票 still names a 町字 the master knows; a current name is unique in its municipality.
    """

    name = models.CharField("町字", max_length=60)
    name_kana = models.CharField("町字カナ", max_length=120, blank=True)
    postal_codes = ArrayField(models.CharField(max_length=7), verbose_name="郵便番号", default=list)
    addressing = models.CharField(
        "住居表示・地番",
        max_length=10,
        choices=[(a.value, a.label) for a in Addressing],
        default=Addressing.LOT.value,
    )
    block_from = models.PositiveIntegerField("番地の範囲（始）", null=True, blank=True)
    block_to = models.PositiveIntegerField("番地の範囲（終）", null=True, blank=True)
    town_area_id = models.CharField("町字ID", max_length=7, blank=True)  # アドレス・ベース・レジストリ
    effective_on = models.DateField("施行日", null=True, blank=True)
    abolished_on = models.DateField("廃止日", null=True, blank=True)
    source = models.CharField("出典", max_length=10, choices=[(s.value, s.value) for s in Source])
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        db_table = "address_town_area"
        verbose_name = "町字"
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "name"],
                condition=Q(abolished_on__isnull=True),
                name="address_current_name",
            ),
            models.CheckConstraint(
                condition=Q(block_from__isnull=True)
                | Q(block_to__isnull=True)
                | Q(block_from__lte=models.F("block_to")),
                name="address_block_range",
            ),
        ]
        indexes = [
            models.Index(fields=["lg_code", "name"], name="address_name"),
            GinIndex(fields=["postal_codes"], name="address_postal"),
        ]

    def __str__(self) -> str:
        return self.name
