"""児童扶養手当 受給 tables: the 認定 (``Entitlement``), each 支給年度's determination in versions
(``Determination``, with its amount periods ``AmountPeriod``), the 現況届 of each 支給年度
(``StatusReport``), the August run that opens them and the feed position.

Persons are named by the registry's 宛名番号 only — what the registry knows of them is read
through its door or its events. A determination is never rewritten: a new fact (the 現況届, a
corrected income) is the next version of its 支給年度, and the latest version decides the months
it covers. The 支給年度 runs from November to the next October (facts §7) and is named by the
year of its November; its 所得 is the previous calendar year's, i.e. the 住民税 of the 年度 named
by that same year.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from yakuba.child_support_allowance.codes import (
    Category,
    Claimant,
    DeterminationReason,
    EndReason,
    Ground,
    RunState,
    Status,
)
from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.payments.models import PaidEntitlement
from yakuba.platform.tenancy.models import TenantModel


class Entitlement(TenantModel, PaidEntitlement):
    """One 受給者's 認定: the 受給資格の事由, the 対象児童, since when it pays (``first_month``: the
    month after the 請求月, 児童扶養手当法 §7①), until when (``last_month``: the month of the
    事由's end, set at 消滅) and the account paid into (全銀: 4-digit bank, 3-digit branch,
    1 普通 / 2 当座, 7 digits, カナ)."""

    claimant_kind = models.CharField("受給者の区分", max_length=10, choices=Claimant.choices)
    ground = models.CharField("受給資格の事由", max_length=20, choices=Ground.choices)
    children = models.JSONField("対象児童の宛名番号")  # ["000000123", …] oldest first
    # A child added by an 額改定請求 counts from the month after that 請求: {宛名番号: "YYYY-MM-01"}
    # (the others from the 支給開始月).
    children_from = models.JSONField("対象児童の算定開始月", default=dict)
    status = models.CharField("状態", max_length=8, choices=Status.choices, default=Status.ACTIVE)
    end_reason = models.CharField(
        "消滅事由", max_length=10, choices=EndReason.choices, blank=True, default=""
    )

    class Meta:
        db_table = "child_support_allowance_entitlement"
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "claimant_atena_no"],
                condition=Q(status="active"),
                name="csa_entitlement_one_active",
            ),
        ]
        indexes = [models.Index(fields=["lg_code", "status", "id"], name="csa_entitlement_status")]


class Determination(TenantModel):
    """One version of one 支給年度's decision for an 認定: the 所得額 and its inputs (the tax app's
    figures, the 養育費, the 諸控除), the 扶養親族等, the category and the steps; its amounts by
    month are its ``periods`` (the amounts change each April, the 支給年度 in November)."""

    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.PROTECT, related_name="determinations", verbose_name="認定"
    )
    benefit_year = models.SmallIntegerField("支給年度（11月の年）")
    version = models.SmallIntegerField("版")
    reason = models.CharField("事由", max_length=16, choices=DeterminationReason.choices)
    from_month = models.DateField("開始月")
    until_month = models.DateField("終了月")
    category = models.CharField("支給区分", max_length=8, choices=Category.choices)
    income_for_test = models.BigIntegerField("所得額")
    # {"salary_income", "public_pension_income", "other_income", "child_support_received_annual",
    #  "other_deductions", "tax_year"}: the engine's ``income`` and the 住民税 年度 it came from
    income = models.JSONField("所得の内訳")
    dependants = models.SmallIntegerField("扶養親族等の数")
    elderly_dependants = models.SmallIntegerField("老人扶養親族等の数", default=0)
    specific_dependants = models.SmallIntegerField("特定扶養親族等の数", default=0)
    children = models.SmallIntegerField("対象児童の数")
    steps = models.JSONField("計算の過程", default=list)
    note = models.CharField("備考", max_length=200, blank=True, default="")
    # Where each period's amounts came from: [{"from_month": "2026-04", "source": "packaged" |
    # "registered", "fiscal_year", "version"}] (services/amounts.py) — a 手当額 the 管理者 registered
    # is told apart from the packaged data on the record itself.
    amount_sources = models.JSONField("手当額の出典", default=list)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "child_support_allowance_determination"
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "entitlement", "benefit_year", "version"], name="csa_determination_version"
            ),
            models.CheckConstraint(
                condition=Q(until_month__gte=models.F("from_month")), name="csa_det_months"
            ),
        ]


class AmountPeriod(TenantModel):
    """The monthly amount of one determination from ``from_month`` to ``until_month`` (inclusive):
    each child's amount (第1子 first) and their total. A determination has one period per set of
    figures in force (April's 改定 splits a 支給年度 in two)."""

    determination = models.ForeignKey(
        Determination, on_delete=models.PROTECT, related_name="periods", verbose_name="決定"
    )
    from_month = models.DateField("開始月")
    until_month = models.DateField("終了月")
    monthly_total = models.IntegerField("手当月額")
    per_child = models.JSONField("児童ごとの月額")

    class Meta:
        db_table = "child_support_allowance_amount_period"
        constraints = [
            models.CheckConstraint(
                condition=Q(until_month__gte=models.F("from_month")), name="csa_period_months"
            ),
        ]
        indexes = [models.Index(fields=["lg_code", "determination", "from_month"], name="csa_period_from")]


class StatusReport(TenantModel):
    """The 現況届 of one 認定 for one 支給年度: opened by the August run (or by hand), received when
    the clerk records it — then the 支給年度 is determined with the new year's 所得. One still
    open in November means the 手当 is withheld (差止め) from November on."""

    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.PROTECT, related_name="status_reports", verbose_name="認定"
    )
    benefit_year = models.SmallIntegerField("支給年度（11月の年）")
    opened_at = models.DateTimeField()
    received_on = models.DateField("受付日", null=True)
    received_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        db_table = "child_support_allowance_status_report"
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "entitlement", "benefit_year"], name="csa_status_report_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["lg_code", "benefit_year", "received_on", "id"], name="csa_status_report_open"
            )
        ]


class AmountsVersion(TenantModel):
    """One version of one 年度's 手当額, 係数 and 所得制限限度額 as the 管理者 registered them from
    the 告示 (for a 年度 the packaged ``rules/data/jifu.toml`` does not have yet): never rewritten —
    a correction is the next version with who, when and the 告示 text; the latest one is used
    (services/amounts.py)."""

    fiscal_year = models.SmallIntegerField("年度（4月〜翌3月）")
    version = models.SmallIntegerField("版")
    payload = models.JSONField("手当額・係数・所得制限限度額")
    source = models.CharField("出典（告示・通知）", max_length=500)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "child_support_allowance_amounts"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "fiscal_year", "version"], name="csa_amounts_version")
        ]


class StatusReportRun(TenantModel):
    """The August run that opens the 現況届 of one 支給年度 for every 受給者: how far it got
    (``last_id``, the 認定's id), so a killed run resumes after its last committed page."""

    benefit_year = models.SmallIntegerField("支給年度（11月の年）")
    state = models.CharField(max_length=8, choices=RunState.choices, default=RunState.RUNNING)
    done = models.IntegerField("開いた現況届", default=0)
    last_id = models.BigIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "child_support_allowance_status_run"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "benefit_year"], name="csa_status_run_year")
        ]


class FeedPosition(FeedCursor):
    """How far the 児童扶養手当 consumer has read the municipality's event feed."""

    class Meta(FeedCursor.Meta):
        db_table = "child_support_allowance_feed_position"
