"""児童手当 受給 tables: the 認定 (``Entitlement``), the amount of each period (``AmountPeriod``),
the children counted (``CountedChild``), work items from registry events and the feed position.

Persons are named by the registry's 宛名番号 only — what the registry knows of them is read
through its door or its events. An amount period is never rewritten except to close it when the
next one starts (``until_month``); periods of one entitlement never overlap (an exclusion
constraint). The amount payable for month M is the ``monthly_total`` of the period covering M,
provided ``first_month`` ≤ M ≤ ``last_month`` (docs/child_allowance.md).
"""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import Func, Q

from yakuba.child_allowance.codes import (
    ChoiceBasis,
    Cohabitation,
    EndReason,
    PeriodReason,
    Status,
    WorkKind,
    WorkStatus,
)
from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.payments.models import PaidEntitlement
from yakuba.platform.tenancy.models import TenantModel


class MonthRange(Func):
    """``daterange(from_month, until_month, '[]')`` — NULL ``until_month`` is open-ended."""

    function = "DATERANGE"
    output_field = DateRangeField()


class Entitlement(TenantModel, PaidEntitlement):
    """One 受給者's 認定: since when it pays (``first_month``: the month after the 請求, or after
    the event under the 15日特例, facts §6), until when (``last_month``, set at 消滅), and the
    account paid into (全銀: 4-digit bank, 3-digit branch, 1 普通 / 2 当座, 7 digits, カナ)."""

    setai_no = models.CharField("世帯番号（認定時）", max_length=15)
    spouse_atena_no = models.CharField("配偶者（他の親）の宛名番号", max_length=15, blank=True, default="")
    choice_basis = models.CharField("受給者とした理由", max_length=12, choices=ChoiceBasis.choices)
    status = models.CharField("状態", max_length=8, choices=Status.choices, default=Status.ACTIVE)
    end_reason = models.CharField(
        "消滅事由", max_length=16, choices=EndReason.choices, blank=True, default=""
    )

    class Meta:
        db_table = "child_allowance_entitlement"
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "claimant_atena_no"],
                condition=Q(status="active"),
                name="ca_entitlement_one_active",
            ),
            # Open while 支給中; a 消滅 always has its 支給終了月 (before the first month when
            # nothing was paid: a 転出 or 消滅届 in the month of the 請求).
            models.CheckConstraint(
                condition=Q(status="active", last_month__isnull=True)
                | Q(status="ended", last_month__isnull=False),
                name="ca_entitlement_ended_month",
            ),
        ]
        indexes = [models.Index(fields=["lg_code", "status", "id"], name="ca_entitlement_status")]


class CountedChild(TenantModel):
    """A child (児童) or young person (大学生年代) the 受給者 supports, counted from ``from_month``
    to ``until_month`` (NULL: still counted). A child outside the registry (別居 in another
    municipality) has no 宛名番号, only the name and birth date the clerk entered. ``bears_costs``:
    the 監護相当・生計費の負担についての確認書 (a 19–22-year-old is counted only with it, facts §6)."""

    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.PROTECT, related_name="children", verbose_name="認定"
    )
    atena_no = models.CharField("宛名番号", max_length=15, blank=True, default="")
    name = models.CharField("氏名", max_length=100)
    birth_date = models.DateField("生年月日")
    relationship = models.CharField("続柄", max_length=20)
    cohabitation = models.CharField("同居・別居", max_length=8, choices=Cohabitation.choices)
    bears_costs = models.BooleanField("監護相当・生計費の負担の確認書", default=False)
    from_month = models.DateField("算定開始月")
    until_month = models.DateField("算定終了月", null=True)

    class Meta:
        db_table = "child_allowance_child"
        constraints = [
            # A child is counted in one open entitlement at a time (facts §6: one 受給者 per child).
            models.UniqueConstraint(
                fields=["lg_code", "atena_no"],
                condition=Q(until_month__isnull=True) & ~Q(atena_no=""),
                name="ca_child_once",
            ),
        ]
        indexes = [models.Index(fields=["lg_code", "atena_no"], name="ca_child_atena")]


class AmountPeriod(TenantModel):
    """The monthly total of one entitlement from ``from_month`` to ``until_month`` (inclusive;
    NULL = open) with each child's rank, band and 月額 and the engine's steps, and why it
    started. A new period closes the previous one in the same transaction."""

    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.PROTECT, related_name="periods", verbose_name="認定"
    )
    from_month = models.DateField("開始月")
    until_month = models.DateField("終了月", null=True)
    monthly_total = models.IntegerField("月額")
    # [{"atena_no", "name", "birth_date", "rank", "band", "eligible", "monthly"}, …] oldest first
    children = models.JSONField("子ごとの額")
    steps = models.JSONField("計算の過程", default=list)
    reason = models.CharField("事由", max_length=16, choices=PeriodReason.choices)
    claimed_on = models.DateField("額改定認定請求日", null=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "child_allowance_amount_period"
        constraints = [
            ExclusionConstraint(
                name="ca_period_no_overlap",
                expressions=[
                    ("entitlement", RangeOperators.EQUAL),
                    (MonthRange("from_month", "until_month", models.Value("[]")), RangeOperators.OVERLAPS),
                ],
            ),
            models.CheckConstraint(
                condition=Q(until_month__isnull=True) | Q(until_month__gte=models.F("from_month")),
                name="ca_period_months",
            ),
        ]
        indexes = [models.Index(fields=["lg_code", "entitlement", "from_month"], name="ca_period_from")]


class WorkItem(TenantModel):
    """Work a registry event leaves: a birth or 転入 with no 認定請求 yet (``deadline``: the last
    day the 15日特例 still applies, facts §6), a birth into a 受給者's household with no
    額改定認定請求 yet. Closed when the 請求 is recorded."""

    kind = models.CharField("種類", max_length=12, choices=WorkKind.choices)
    atena_no = models.CharField("宛名番号（出生した子・転入した人）", max_length=15)
    setai_no = models.CharField("世帯番号", max_length=15, blank=True, default="")
    event = models.CharField("異動", max_length=16)  # born, moved-in
    event_date = models.DateField("異動日")
    deadline = models.DateField("15日特例の期限")
    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.PROTECT, null=True, related_name="work_items", verbose_name="認定"
    )
    status = models.CharField("状態", max_length=8, choices=WorkStatus.choices, default=WorkStatus.OPEN)
    source_event = models.UUIDField("元のイベント", null=True)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "child_allowance_work_item"
        indexes = [models.Index(fields=["lg_code", "status", "deadline"], name="ca_work_open")]
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "kind", "atena_no", "event_date"], name="ca_work_once")
        ]


class FeedPosition(FeedCursor):
    """How far the 児童手当 consumer has read the municipality's event feed."""

    class Meta(FeedCursor.Meta):
        db_table = "child_allowance_feed_position"
